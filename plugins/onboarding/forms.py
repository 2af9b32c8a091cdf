"""Form answers: normalisation and validation per field type.

Validation patterns come from the operator's config and are run on strangers' input, so they
are compiled with RE2 (google-re2: linear time in the input, no catastrophic backtracking) and
every answer is capped at :data:`HARD_INPUT_CAP` characters before any pattern sees it. A
pattern RE2 cannot run (backreferences, lookaround) is refused when the config is loaded.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import re2

if TYPE_CHECKING:
    from plugins.onboarding.config import FieldConfig

__all__ = ["HARD_INPUT_CAP", "Invalid", "compile_pattern", "validate_answer"]

# No answer is ever longer than this, whatever the config says.
HARD_INPUT_CAP = 1000
_LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")
_NOT_A_CITY = re.compile(r"[0-9@/\\:#<>{}\[\]]")
_OPTIONS = re2.Options()
_OPTIONS.log_errors = False


class Invalid(Exception):
    """An answer was refused; ``reason`` is a locale key under ``onboarding.invalid``."""

    def __init__(self, reason: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params or {}
        # The group whose form refused it, when that is not the one being answered (an edit
        # reaches the member's profiles in other groups too).
        self.where = ""


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Any:
    try:
        return re2.compile(pattern, options=_OPTIONS)
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ValueError(
            f"pattern {pattern!r} is not RE2-compatible ({detail}); backreferences and lookaround "
            "are not supported"
        ) from None


def validate_answer(spec: FieldConfig, text: str, *, numbers: bool = True) -> str:
    """The stored form of an answer, or :class:`Invalid` with the reason. ``numbers``: a
    number may name a choice (by its place in the list the member was shown)."""
    if len(text) > HARD_INPUT_CAP:
        raise Invalid("too_long", {"max": spec.max_length})
    text = text.strip()
    if not text:
        if spec.required:
            raise Invalid("required")
        return ""
    if spec.type == "choice":
        return _one_choice(spec, text, numbers)
    if spec.type == "multi_choice":
        return ", ".join(_many_choices(spec, text, numbers))
    if spec.type == "city":
        text = _city(text)
    elif spec.type == "url":
        text = _url(text)
    if len(text) > spec.max_length:
        raise Invalid("too_long", {"max": spec.max_length})
    if len(text) < spec.min_length:
        raise Invalid("too_short", {"min": spec.min_length})
    if spec.pattern and compile_pattern(spec.pattern).fullmatch(text) is None:
        raise Invalid("pattern", {"hint": spec.hint})
    return text


def _one_choice(spec: FieldConfig, text: str, numbers: bool) -> str:
    if numbers and text.isdigit() and 1 <= int(text) <= len(spec.choices):
        return spec.choices[int(text) - 1]
    for choice in spec.choices:
        if choice.casefold() == text.casefold():
            return choice
    raise Invalid("not_choice", {"choices": spec.choices})


def _many_choices(spec: FieldConfig, text: str, numbers: bool) -> list[str]:
    parts = [p.strip() for p in _LIST_SEPARATORS.split(text) if p.strip()]
    if numbers and len(parts) == 1 and all(w.isdigit() for w in parts[0].split()):
        parts = parts[0].split()  # "1 3" as well as "1,3"
    chosen: list[str] = []
    for part in parts:
        choice = _one_choice(spec, part, numbers)
        if choice not in chosen:
            chosen.append(choice)
    return chosen


def _city(text: str) -> str:
    if _NOT_A_CITY.search(text):
        raise Invalid("bad_city")
    text = " ".join(text.split())
    # 上海市 -> 上海; "new york" -> "New York"
    if len(text) > 2 and text.endswith("市"):
        text = text[:-1]
    if text.isascii() and text.islower():
        text = text.title()
    return text


def _url(text: str) -> str:
    if any(c.isspace() for c in text):
        raise Invalid("bad_url")
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a port out of range, like the brackets of a broken IPv6 host
    except ValueError:
        raise Invalid("bad_url") from None
    if parts.scheme not in ("http", "https") or "." not in host or host.startswith(".") or host.endswith("."):
        raise Invalid("bad_url")
    return text
