"""Matching a message against a group's keywords.

Text is normalised before comparing: Unicode NFKC (full-width letters and digits become
half-width, ｒｅｆｕｎｄ = refund), case folded, traditional Chinese written as simplified
(OpenCC's ``t2s``: 請問怎麼退款 = 请问怎么退款), runs of white space made one space. Keywords
and note names go through the same steps, so a rule written in either script answers both.
Patterns run on RE2 (google-re2): matching takes time linear in the text whatever the pattern,
so a member cannot stall the bot with a crafted message, and no timeout is needed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import re2

from bot import simplified

__all__ = ["Rule", "compile_pattern", "normalise"]

_SPACE = re.compile(r"\s+")
_OPTIONS = re2.Options()
_OPTIONS.max_mem = 1 << 20
_OPTIONS.log_errors = False
_OPTIONS.case_sensitive = False


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", simplified(folded)).strip()


def compile_pattern(pattern: str):
    """The compiled RE2 pattern; raises ValueError with RE2's message when it is not one."""
    try:
        return re2.compile(simplified(unicodedata.normalize("NFKC", pattern)), _OPTIONS)
    except re2.error as exc:
        message = exc.args[0] if exc.args else exc
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        raise ValueError(str(message)) from None


@dataclass(slots=True)
class Rule:
    id: int
    kind: str
    keyword: str
    reply: str
    source: dict | None = None
    normal: str = ""
    pattern: object = None

    def __post_init__(self) -> None:
        self.normal = normalise(self.keyword)
        if self.kind == "regex":
            self.pattern = compile_pattern(self.keyword)

    def matches(self, normal_text: str) -> bool:
        if self.kind == "exact":
            return normal_text == self.normal
        if self.kind == "contains":
            return bool(self.normal) and self.normal in normal_text
        return self.pattern is not None and self.pattern.search(normal_text) is not None
