"""Text from a platform made valid before anything stores it.

Telegram and Discord send JSON, and JSON may carry a lone UTF-16 surrogate (``"\\ud800"``): a
valid JSON string that is not valid Unicode text. Python keeps it, and then every write of it
fails (UTF-8 cannot encode it; SQLite and PostgreSQL refuse it), so a member with such a name
could not be recorded at all. PostgreSQL also refuses NUL in text. ``clean_text`` replaces a
lone surrogate with U+FFFD (one UTF-16 unit for one, so entity offsets stay right), joins a
surrogate pair into its character, and drops NUL. ``clean`` does it to every string of an event
(names, usernames, titles, text, links, options), however deep.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, TypeVar

import opencc

__all__ = ["clean", "clean_text", "simplified"]

T = TypeVar("T")
_DEPTH = 12  # events nest a few levels (event -> message -> elements -> mention); never more


def clean_text(text: str) -> str:
    """``text`` as valid Unicode without NUL (the same object when it already was)."""
    if text.isascii():
        return text.replace("\x00", "") if "\x00" in text else text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text.replace("\x00", "") if "\x00" in text else text


def clean(value: T, _depth: int = 0) -> T:
    """``value`` with every string in it cleaned: strings, tuples, lists, dicts and (frozen)
    dataclasses such as events; anything else (a platform's raw object) is left as it is."""
    kind = type(value)
    if kind is str:
        return clean_text(value)  # type: ignore[arg-type, return-value]
    if kind in _ATOMS or _depth >= _DEPTH:
        return value
    if isinstance(value, tuple | list):
        items = [clean(item, _depth + 1) for item in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        if isinstance(value, list):
            return items  # type: ignore[return-value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)  # type: ignore[return-value]
    if isinstance(value, dict):
        changed, out = False, {}
        for key, item in value.items():
            new_key, new_item = clean(key, _depth + 1), clean(item, _depth + 1)
            changed = changed or new_key is not key or new_item is not item
            out[new_key] = new_item
        return out if changed else value  # type: ignore[return-value]
    names = _init_fields(kind)
    if not names:
        return value
    changes: dict[str, Any] = {}
    for name in names:
        current = getattr(value, name)
        fixed = clean(current, _depth + 1)
        if fixed is not current:
            changes[name] = fixed
    return dataclasses.replace(value, **changes) if changes else value  # type: ignore[type-var]


# Values with no text in them: the walk stops at once (it runs on every event).
_ATOMS = frozenset({int, float, bool, type(None), datetime, date, timedelta})


@cache
def _init_fields(cls: type) -> tuple[str, ...]:
    """The fields a dataclass is built from (none for any other class)."""
    if not dataclasses.is_dataclass(cls):
        return ()
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


@cache
def _t2s() -> opencc.OpenCC:
    # Its dictionaries ship in the wheel; loading them takes about 10 ms, once.
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional Chinese characters and phrases written as simplified (OpenCC ``t2s``: 請問怎麼
    退款 = 请问怎么退款), so one list of words matches both; the rest unchanged."""
    return text if text.isascii() else _t2s().convert(text)
