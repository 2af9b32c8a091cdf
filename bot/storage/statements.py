"""Hot statements sent as written, not built by the ORM on every call.

A statement is written once with ``{}`` where each value goes; :class:`PlainSQL` keeps it in
both dialects' placeholders (SQLite's ``?``, PostgreSQL's ``$1``, ``$2``, ...) and hands out the
one a connection speaks. Anything else that differs by dialect is passed as a named part.
"""

from __future__ import annotations

import logging
import math
import re
import string
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import islice
from typing import Any, TypeVar

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.connection import connections
from tortoise.transactions import in_transaction

from bot.storage.postgres import ResilientAsyncpgClient, Unpreparable
from bot.storage.sqlite import InlineSqliteClient

__all__ = ["IN_CHUNK", "Deferred", "PlainSQL", "chunked", "found_among", "write_unflushed"]


T = TypeVar("T")
# Statements, each with its rows (execute_many's arguments).
Batch = list[tuple[str, list[list[Any]]]]
log = logging.getLogger(__name__)

# PostgreSQL's protocol carries at most 32,767 values in a statement (asyncpg refuses more) and
# SQLite takes 32,766: a filter on a list that grows with a group (everyone ranked above a
# member, everyone who left) is asked in parts of this many.
IN_CHUNK = 10_000


def chunked(values: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """``values`` in lists of at most ``size``, for ``field__in=`` filters (none when empty)."""
    it = iter(values)
    while part := list(islice(it, size)):
        yield part


async def found_among(query: Any, field: str, values: Iterable[T]) -> set[T]:
    """Which of ``values`` ``query`` finds in ``field`` (any number of them: ``field__in`` is
    asked in parts)."""
    found: set[T] = set()
    for part in chunked(values):
        found.update(await query.filter(**{f"{field}__in": part}).values_list(field, flat=True))
    return found


class PlainSQL:
    __slots__ = ("_postgres", "_sqlite")

    def __init__(self, template: str, *, sqlite: dict[str, str] | None = None,
                 postgres: dict[str, str] | None = None) -> None:
        # "{}" takes the row's values in turn; "{0}", "{1}"... name one, to use it more than once.
        fields = [field for _, field, _, _ in string.Formatter().parse(template) if field]
        numbered = [int(field) for field in fields if field.isdigit()]
        if numbered:
            count = max(numbered) + 1
            self._sqlite = template.format(*(f"?{n}" for n in range(1, count + 1)), **(sqlite or {}))
        else:
            count = template.count("{}")
            self._sqlite = template.format(*["?"] * count, **(sqlite or {}))
        self._postgres = template.format(*(f"${n}" for n in range(1, count + 1)), **(postgres or {}))

    def on(self, connection: Any) -> str:
        """The statement in ``connection``'s placeholders."""
        return self._sqlite if connection.capabilities.dialect == "sqlite" else self._postgres


# Up to this many rows a script wins (one round trip); past it, asyncpg's executemany (a
# statement's rows sent in one go each) cost the server less: a batch of 100 updates ran 10 %
# slower as a script of literals.
SCRIPT_ROWS = 16
# The names under which PostgreSQL connections prepare the statements of these scripts, by
# their SQL; a statement the server cannot prepare is written out with its values instead.
_NAMES: dict[str, str] = {}
_UNPREPARABLE: set[str] = set()


class Deferred:
    """Statements kept to run later together, each with its rows (``execute_many``'s arguments):
    the writes of a transaction whose writers read nothing back. Looks like a connection to
    them (``capabilities``, ``execute_many``); :meth:`run` writes everything in one transaction:
    on SQLite straight on the connection (``InlineSqliteClient.write_batch``), on PostgreSQL as
    one script when the rows are few (one round trip instead of one per statement, BEGIN and
    COMMIT) of prepared statements (the server plans each once per connection: a typical
    update's script took 0.65-0.84 ms with its statements written out, 0.43-0.52 ms
    prepared)."""

    __slots__ = ("capabilities", "statements")

    def __init__(self, capabilities: Any) -> None:
        self.capabilities = capabilities
        self.statements: Batch = []

    async def execute_many(self, sql: str, rows: list[list[Any]]) -> None:
        if rows:
            self.statements.append((sql, rows))

    async def run(self) -> None:
        """Write every statement kept, in one transaction."""
        connection = connections.get("default")
        if isinstance(connection, InlineSqliteClient) and await connection.write_batch(self.statements):
            return
        total = sum(len(rows) for _, rows in self.statements)
        if self.capabilities.dialect != "sqlite" and total <= SCRIPT_ROWS:
            if isinstance(connection, ResilientAsyncpgClient):
                await _run_prepared(connection, self.statements)
            else:  # inside a transaction already: part of it
                await connection.execute_script(_postgres_script(self.statements))
            return
        async with in_transaction() as transaction:
            for sql, rows in self.statements:
                await transaction.execute_many(sql, rows)


_UNFLUSHED = "SET LOCAL synchronous_commit TO OFF;\n"


async def write_unflushed(connection: Any, sql: PlainSQL, row: list[Any]) -> None:
    """Run one write in a transaction of its own that, on PostgreSQL, does not wait for the disk
    (``synchronous_commit`` off for it alone): for a write that a later commit makes durable
    anyway. PostgreSQL flushes its log in order, so a transaction committed without waiting is
    on disk once any later one has committed waiting, and a crash of the bot itself loses
    neither. SQLite's commits here never wait for the disk (WAL, ``synchronous=NORMAL``)."""
    if connection.capabilities.dialect == "sqlite" or isinstance(connection, TransactionalDBClient):
        # Inside a transaction the write is part of it: its commit, not this, decides.
        await connection.execute_query(sql.on(connection), row)
        return
    # One round trip: a script of several statements is one transaction.
    statements = [(sql.on(connection), [row])]
    if isinstance(connection, ResilientAsyncpgClient):
        await _run_prepared(connection, statements, _UNFLUSHED)
    else:
        await connection.execute_script(_UNFLUSHED + _postgres_script(statements))


async def _run_prepared(client: ResilientAsyncpgClient, statements: Batch, prefix: str = "") -> None:
    """``statements`` in one script (after ``prefix``), executed as statements prepared."""
    while client.prepares:
        names = {sql: _NAMES.setdefault(sql, f"qunbot_{len(_NAMES)}")
                 for sql, _ in statements if sql not in _UNPREPARABLE}
        try:
            await client.run_prepared(names, prefix + _postgres_script(statements, names))
            return
        except Unpreparable as exc:
            if exc.sql is not None:
                log.warning("PostgreSQL cannot prepare a statement; it is written out at every use: %s",
                            exc.sql)
                _UNPREPARABLE.add(exc.sql)
    await client.execute_script(prefix + _postgres_script(statements))


# A placeholder of PostgreSQL's: $1, $2, ... (our statements hold no "$" of their own).
_PLACEHOLDER = re.compile(r"\$([0-9]+)")


def _postgres_script(statements: Batch, names: dict[str, str] | None = None) -> str:
    """The statements with their rows' values written in as literals, one statement per row,
    or the statement named in ``names`` (SQL → name of a prepared statement) executed with
    them: PostgreSQL runs a script of several statements sent at once as one transaction."""
    lines = []
    for sql, rows in statements:
        name = names.get(sql) if names else None
        for row in rows:
            literals = [_literal(value) for value in row]
            if name is not None:
                lines.append(f"EXECUTE {name}({','.join(literals)})" if literals else f"EXECUTE {name}")
            else:
                lines.append(_PLACEHOLDER.sub(lambda m, values=literals: values[int(m.group(1)) - 1], sql))
    return ";\n".join(lines)


def _literal(value: Any) -> str:
    """A value as a PostgreSQL literal. Strings are escape strings (E'...'), so the server's
    standard_conforming_strings setting does not change their meaning."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("PostgreSQL text cannot hold NUL")
        return "E'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return f"'{value.isoformat()}'::timestamp"
        return f"'{value.isoformat()}'::timestamptz"
    if isinstance(value, date):
        return f"'{value.isoformat()}'::date"
    raise TypeError(f"no PostgreSQL literal for {type(value).__name__}")
