"""Outgoing messages to Telegram: escaped HTML, split to Telegram's size, inline keyboards.

Why HTML: it is the only parse mode where escaping is total and simple (``&``, ``<``, ``>``),
so a user name such as ``</b>_*[`` can never change the formatting or break the send, which
MarkdownV2's many special characters make easy to get wrong.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.message import Bold, Button, Code, CopyOf, File, Image, Link, Mention, Outgoing, Text

__all__ = [
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION",
    "MAX_MESSAGE",
    "inline_keyboard",
    "render_html",
    "split_html",
    "utf16_len",
]

MAX_MESSAGE = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64


def utf16_len(text: str) -> int:
    """Telegram measures text in UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def render_html(outgoing: Outgoing) -> str:
    """The message text as Telegram HTML; attachments are sent separately and render nothing."""
    return "".join(_element_html(element) for element in outgoing.elements)


def _element_html(element: Any) -> str:
    if isinstance(element, Text):
        return _escape(element.text)
    if isinstance(element, Bold):
        return f"<b>{_escape(element.text)}</b>"
    if isinstance(element, Code):
        return f"<pre>{_escape(element.text)}</pre>"
    if isinstance(element, Mention):
        return _mention_html(element)
    if isinstance(element, Link):
        url = html.escape(element.url, quote=True)
        return f'<a href="{url}">{_escape(element.text or element.url)}</a>'
    if isinstance(element, Image | File):
        return ""
    if isinstance(element, CopyOf):
        return "".join(_element_html(e) for e in element.fallback)
    return _escape(element.plain())


def _mention_html(mention: Mention) -> str:
    """A notifying mention links the user id (works without a username); a silent one is
    just the name, so nobody is pinged."""
    if mention.notify and mention.user_id.isdigit():
        return f'<a href="tg://user?id={mention.user_id}">{_escape(mention.name)}</a>'
    return _escape(f"@{mention.name}")


# -- splitting ---------------------------------------------------------------------------------

# One token: a tag, an HTML entity, or one visible character with what must stay attached to it
# (combining marks, variation selectors, skin tones, ZWJ sequences, flag pairs, keycaps).
_TOKEN = re.compile(
    r"<[^>]*>"
    r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"
    r"|[\U0001F1E6-\U0001F1FF]{2}"
    r"|.(?:[\u0300-\u036f\u20e3\ufe0e\ufe0f\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F]"
    r"|\u200d[^<&])*",
    re.DOTALL,
)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][\w-]*)")


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    units: int
    opens: str | None = None
    closes: str | None = None


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split Telegram HTML into messages of at most ``limit`` visible UTF-16 units.

    Cuts prefer a line break, then a space, in the second half of a chunk; never fall inside a
    tag, an entity or a character (surrogate pair, emoji sequence). Tags open at a cut are
    closed at the end of the chunk and reopened at the start of the next, so every chunk is
    valid HTML on its own."""
    if limit < 2:
        raise ValueError("limit must be at least 2 UTF-16 units")
    if utf16_len(text) <= limit:
        return [text]  # tags and entities only add to the length: what fits raw fits shown
    tokens = _tokenize(text, limit)
    if sum(t.units for t in tokens) <= limit:
        return [text]
    stacks = _open_tags(tokens)
    chunks: list[str] = []
    start = 0
    while start < len(tokens):
        end = _cut(tokens, start, limit)
        # Telegram refuses a message without visible text: blank pieces are dropped.
        if any(t.units and not t.text.isspace() for t in tokens[start:end]):
            reopen = "".join(raw for _, raw in stacks[start])
            body = "".join(t.text for t in tokens[start:end])
            close = "".join(f"</{name}>" for name, _ in reversed(stacks[end]))
            chunks.append(reopen + body + close)
        start = end
    return chunks or [text]  # nothing visible at all: Telegram will say so


def _tokenize(text: str, limit: int) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        piece = match.group()
        if piece.startswith("<"):
            tokens.append(_tag_token(piece))
        elif piece.startswith("&"):
            tokens.append(_Token(piece, utf16_len(html.unescape(piece))))
        elif utf16_len(piece) > limit:
            tokens.extend(_Token(ch, utf16_len(ch)) for ch in piece)
        else:
            tokens.append(_Token(piece, utf16_len(piece)))
    return tokens


def _tag_token(raw: str) -> _Token:
    match = _TAG.match(raw)
    if match is None:
        return _Token(raw, 0)
    closing, name = match.group(1), match.group(2).lower()
    return _Token(raw, 0, closes=name) if closing else _Token(raw, 0, opens=name)


def _open_tags(tokens: Sequence[_Token]) -> list[tuple[tuple[str, str], ...]]:
    """The open tags (name, start tag) before each token, and after the last one."""
    stack: list[tuple[str, str]] = []
    stacks = [()]
    for token in tokens:
        if token.opens:
            stack.append((token.opens, token.text))
        elif token.closes:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == token.closes:
                    del stack[i]
                    break
        stacks.append(tuple(stack))
    return stacks


def _cut(tokens: Sequence[_Token], start: int, limit: int) -> int:
    """End (exclusive) of the chunk starting at ``start``."""
    used, end = 0, start
    newline = space = None
    while end < len(tokens) and used + tokens[end].units <= limit:
        used += tokens[end].units
        end += 1
        if used >= limit // 2 and tokens[end - 1].units:
            if tokens[end - 1].text == "\n":
                newline = end
            elif tokens[end - 1].text.isspace():
                space = end
    if end == len(tokens):
        return end
    end = newline or space or end
    # A chunk never ends on a start tag: it moves to the next chunk with its content.
    while end > start + 1 and tokens[end - 1].opens:
        end -= 1
    return max(end, start + 1)


# -- keyboards ---------------------------------------------------------------------------------


def inline_keyboard(buttons: Iterable[Iterable[Button]]) -> dict[str, Any] | None:
    """An InlineKeyboardMarkup dict for ``Outgoing.buttons`` (None when there are none).

    Raises ValueError for what Telegram would refuse: callback data over 64 bytes (UTF-8, not
    characters), a button without text, or one with neither a callback id nor a URL."""
    rows = [[_button(button) for button in row] for row in buttons]
    rows = [row for row in rows if row]
    return {"inline_keyboard": rows} if rows else None


def _button(button: Button) -> dict[str, str]:
    if not button.label:
        raise ValueError("a Telegram button needs a label")
    if button.url:
        return {"text": button.label, "url": button.url}
    if not button.id:
        raise ValueError(f"button {button.label!r} has neither an id nor a url")
    size = len(button.id.encode("utf-8"))
    if size > MAX_CALLBACK_DATA_BYTES:
        raise ValueError(
            f"callback_data of button {button.label!r} is {size} bytes; Telegram allows "
            f"{MAX_CALLBACK_DATA_BYTES}"
        )
    return {"text": button.label, "callback_data": button.id}
