"""Reasons of ledger entries that each reader sees in their own language.

A plugin that pays or charges for something passes ``Reason("checkin.reason.day", day=...,
streak=3)``: a key of its own catalog and the values the text needs. The entry stores it as a
short marked string (the ``reason`` column stays text, so older entries and an admin's typed
reason need nothing), and ``/points history`` and the export show it translated for whoever
reads. A plain ``str`` reason is shown as it was written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["MAX_REASON", "Reason", "readable", "stored"]

MAX_REASON = 200
_MARK = "i18n:"
# The points plugin's own reasons from before reasons were keys (``activity``, ``import``).
_LEGACY = {"activity": "points.reason.activity", "import": "points.reason.import"}


@dataclass(frozen=True)
class Reason:
    key: str
    params: dict[str, str | int] = field(default_factory=dict)

    def __init__(self, key: str, /, **params: str | int) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", params)

    def stored(self) -> str:
        text = _MARK + json.dumps({"k": self.key, "p": self.params}, ensure_ascii=False,
                                  separators=(",", ":"))
        if len(text) > MAX_REASON:
            raise ValueError(f"reason {self.key!r} is longer than {MAX_REASON} characters stored")
        return text


def stored(reason: str | Reason) -> str:
    return reason.stored() if isinstance(reason, Reason) else reason[:MAX_REASON]


def readable(text: str, plugin: str, translate: Callable[..., str]) -> str:
    """A stored reason for a reader: ``translate(key, **params)`` in their language."""
    if plugin == "points" and text in _LEGACY:
        return translate(_LEGACY[text])
    if not text.startswith(_MARK):
        return text
    try:
        data = json.loads(text[len(_MARK):])
        key, params = data["k"], data["p"]
    except (ValueError, KeyError, TypeError):
        return text  # typed by someone, not written by a plugin
    if not isinstance(key, str) or not isinstance(params, dict):
        return text
    return translate(key, **params)
