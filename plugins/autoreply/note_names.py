"""What a note may be called: one word of letters (any script), digits, ``_`` or ``-``, at
most 32 characters; ``#faq`` names the note ``faq``."""

from __future__ import annotations

import re

__all__ = ["valid_name"]

_NAME = re.compile(r"^[\w-]{1,32}$")


def valid_name(name: str) -> str | None:
    """The name as written, without its ``#``, or None when it is not a note's name."""
    name = name.strip().removeprefix("#")
    return name if _NAME.match(name) else None
