"""Hot statements sent as written, not built by the ORM on every call.

A statement is written once with ``{}`` where each value goes; :class:`PlainSQL` keeps it in
both dialects' placeholders (SQLite's ``?``, PostgreSQL's ``$1``, ``$2``, ...) and hands out the
one a connection speaks. Anything else that differs by dialect is passed as a named part.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PlainSQL"]


class PlainSQL:
    __slots__ = ("_postgres", "_sqlite")

    def __init__(self, template: str, *, sqlite: dict[str, str] | None = None,
                 postgres: dict[str, str] | None = None) -> None:
        count = template.count("{}")
        self._sqlite = template.format(*["?"] * count, **(sqlite or {}))
        self._postgres = template.format(*(f"${n}" for n in range(1, count + 1)), **(postgres or {}))

    def on(self, connection: Any) -> str:
        """The statement in ``connection``'s placeholders."""
        return self._sqlite if connection.capabilities.dialect == "sqlite" else self._postgres
