"""A broadcast's message as stored (JSON) and as sent (bot.message elements).

What an incoming message carries is copied: its text with its links (Telegram text links,
Discord markdown links) and the names of the users it mentions. A mention of someone in HQ
means nothing in another group, so it is copied as the name, without a ping. Photos and files
are not copied: the core hands plugins a media message's kind and caption, not its bytes
(see docs/broadcast.md).
"""

from __future__ import annotations

from typing import Any

from bot import Bold, Code, Link, Mention, Text

__all__ = ["from_message", "from_text", "to_elements"]


def from_text(text: str) -> list[dict[str, Any]]:
    return [{"t": "text", "v": text}]


def from_message(text: str, elements: tuple[Any, ...]) -> list[dict[str, Any]]:
    """The message's text, with the spans its links cover turned into links."""
    out: list[dict[str, Any]] = []
    rest = text
    for element in elements:
        if isinstance(element, Link):
            span = element.text or element.url
            before, found, after = rest.partition(span)
            if not found:
                continue
            if before:
                out.append({"t": "text", "v": before})
            out.append({"t": "link", "url": element.url, "v": span})
            rest = after
    if rest:
        out.append({"t": "text", "v": rest})
    return out


def to_elements(stored: list[dict[str, Any]]) -> list[Text | Bold | Code | Link | Mention]:
    elements: list[Text | Bold | Code | Link | Mention] = []
    for item in stored:
        kind, value = item.get("t"), str(item.get("v", ""))
        if kind == "link" and item.get("url"):
            elements.append(Link(str(item["url"]), value))
        elif kind == "bold":
            elements.append(Bold(value))
        elif kind == "code":
            elements.append(Code(value))
        else:
            elements.append(Text(value))
    return elements
