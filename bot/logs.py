"""Logging set-up. Tokens never reach a log line: every record is redacted on its way out,
whatever library wrote it (PTB's Bot repr and httpx's request URLs carry the Telegram token).

Members' words stay out of the log too. At DEBUG the platform libraries and the database
layer log what they send and receive: raw updates and gateway events, API parameters (a
reply's text, a member's name), SQL parameters (form answers). Unless ``[logging]
personal_data = true`` (or ``QUNBOT_LOG_PERSONAL_DATA=1``) says otherwise, their records keep
their shape (which endpoint, which event, which query, how many rows, ids and numbers) and
lose the text: a string becomes ``…(N chars)``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["PersonalDataFilter", "RedactingFilter", "setup_logging"]

_TOKEN_SHAPES = (
    re.compile(r"(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,}"),  # Telegram bot token
    re.compile(r"\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"),  # Discord
)
MASK = "[redacted]"


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 6]

    def add(self, secret: str) -> None:
        if len(secret) >= 6 and secret not in self.secrets:
            self.secrets.append(secret)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        for shape in _TOKEN_SHAPES:
            text = shape.sub(MASK, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True


# Loggers whose DEBUG records carry what members wrote, and for each message format the
# arguments that are safe as they are (an endpoint, a method and URL, a query with its
# placeholders). Every other string argument is hidden.
_PERSONAL_SOURCES: dict[str, dict[str, tuple[int, ...]]] = {
    "telegram": {  # python-telegram-bot: API parameters and results, webhook bodies
        "Calling Bot API endpoint `%s` with parameters `%s`": (0,),
        "Call to Bot API endpoint `%s` finished with return value `%s`": (0,),
    },
    "discord.gateway": {},  # every gateway event in full
    "discord.http": {  # request bodies and responses
        "%s %s with %s has returned %s": (0, 1),
        "%s %s has received %s": (0, 1),
    },
    "discord.state": {},
    "tortoise.db_client": {"%s: %s": (0,)},  # the query (see _sql_shape) and its parameters
    "aiosqlite": {},  # the statement and its parameters, twice per query
}
# Keys of a logged mapping whose string values say what happened, not what anyone wrote.
_SAFE_KEYS = frozenset({"op", "t", "type", "status", "parse_mode", "method"})


def _hidden(value: Any, depth: int = 0) -> Any:
    """``value`` without the text in it: numbers and flags stay, strings show their length."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str | bytes):
        return f"…({len(value)} chars)"
    if isinstance(value, Mapping):
        if depth:
            return f"{{{len(value)} keys}}"
        return "{" + ", ".join(
            f"{k}: {value[k]!r}" if k in _SAFE_KEYS and isinstance(value[k], str)
            else f"{k}: {_hidden(value[k], depth + 1)}"
            for k in value
        ) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        return f"[{len(value)} items]"
    if isinstance(value, functools.partial):
        return f"{getattr(value.func, '__name__', 'call')}(…)"
    return f"<{type(value).__name__}>"


_SQL_STRING = re.compile(r"'(?:[^']|'')*'")


def _sql_shape(query: str) -> str:
    """A query without the string literals Tortoise writes into some of them."""
    return _SQL_STRING.sub("'…'", query)


class PersonalDataFilter(logging.Filter):
    """Takes members' words out of the DEBUG records of the libraries that log them."""

    def __init__(self) -> None:
        super().__init__()
        self.allowed = False  # [logging] personal_data

    def filter(self, record: logging.LogRecord) -> bool:
        if self.allowed or record.levelno > logging.DEBUG:
            return True
        safe = _safe_arguments(record)
        if safe is None:
            return True
        sql = record.name.startswith("tortoise")
        if not record.args:
            if sql and isinstance(record.msg, str):  # a script, logged without parameters
                record.msg = _sql_shape(record.msg)
            return True
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        record.args = tuple(
            (_sql_shape(a) if sql and isinstance(a, str) else a) if i in safe else _hidden(a)
            for i, a in enumerate(args)
        )
        return True


def _safe_arguments(record: logging.LogRecord) -> tuple[int, ...] | None:
    """None: the record is not from a library that logs members' words."""
    for source, formats in _PERSONAL_SOURCES.items():
        if record.name == source or record.name.startswith(source + "."):
            return formats.get(str(record.msg), ())
    return None


_filter = RedactingFilter()
_personal = PersonalDataFilter()


def setup_logging(
    level: str = "INFO", secrets: Iterable[str] = (), personal_data: bool = False
) -> RedactingFilter:
    """Configure the root logger once; the personal-data and redacting filters sit on every
    handler (in that order: a hidden argument is never formatted)."""
    for secret in secrets:
        _filter.add(secret)
    _personal.allowed = personal_data
    root = logging.getLogger()
    if not any(getattr(h, "_qunbot", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._qunbot = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    for handler in root.handlers:
        for kept in (_personal, _filter):
            if kept not in handler.filters:
                handler.addFilter(kept)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and a Telegram URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Tortoise's start-up chatter is noise at INFO; at DEBUG its queries (without their
    # parameters, see above) are what a developer wants.
    logging.getLogger("tortoise").setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    return _filter
