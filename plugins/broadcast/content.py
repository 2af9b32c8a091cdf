"""A broadcast's message as stored (JSON) and as sent (bot.message elements).

A message read in HQ is stored twice over: where it is (its *source*: platform, channel,
message id, its URL buttons), so that each copy on the same platform is the platform's own
copy (photos, files, bold and italic, all of it: ``CopyOf``); and as elements (its text with
its links, a note of its media) for the groups on another platform and for an original
deleted meanwhile. A mention of someone in HQ means nothing in another group, so the elements
carry the name, without a ping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from bot import Bold, Button, Code, Link, Mention, Message, Text
from bot.message import CopyOf

__all__ = [
    "Stored", "buttons_of", "from_message", "from_text", "message_link", "source_of", "to_content",
    "to_elements",
]

Stored = list[dict[str, Any]]
_DISCORD_LINK = re.compile(
    r"^https://(?:ptb\.|canary\.)?discord(?:app)?\.com/channels/(?:\d+|@me)/(\d+)/(\d+)/?$"
)
_TELEGRAM_LINK = re.compile(r"^https://t\.me/c/(\d+)/(?:\d+/)?(\d+)/?$")


def from_text(text: str) -> Stored:
    return [{"t": "text", "v": text}]


def from_message(message: Message) -> Stored:
    """The message's text, the spans its links cover turned into links, and its media."""
    out: Stored = []
    rest = message.text
    for element in message.elements:
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
    if message.media:
        out.append({"t": "media", "kind": message.media})
    return out


def source_of(platform: str, channel_id: str, message: Message) -> dict[str, Any]:
    return {
        "platform": platform,
        "channel": channel_id,
        "message": message.id,
        "buttons": [{"label": b.text or b.url, "url": b.url} for b in message.buttons],
    }


def to_elements(
    stored: Stored, media_label: Callable[[str], str] | None = None
) -> list[Text | Bold | Code | Link | Mention]:
    """Elements to send; a media item becomes a note (``[photo]``) in the reader's language."""
    elements: list[Text | Bold | Code | Link | Mention] = []
    for item in stored:
        kind, value = item.get("t"), str(item.get("v", ""))
        if kind == "link" and item.get("url"):
            elements.append(Link(str(item["url"]), value))
        elif kind == "bold":
            elements.append(Bold(value))
        elif kind == "code":
            elements.append(Code(value))
        elif kind == "media":
            label = media_label(str(item.get("kind"))) if media_label else str(item.get("kind"))
            elements.append(Text(f"\n[{label}]" if elements else f"[{label}]"))
        else:
            elements.append(Text(value))
    return elements


def to_content(
    stored: Stored, source: dict[str, Any] | None, media_label: Callable[[str], str] | None = None
) -> tuple[Text | Bold | Code | Link | Mention | CopyOf, ...]:
    """What a copy carries: the platform's own copy of the source (the elements as its
    fallback), or the elements."""
    elements = tuple(to_elements(stored, media_label))
    if not source:
        return elements
    return (CopyOf(source["platform"], source["channel"], source["message"], elements),)


def buttons_of(source: dict[str, Any] | None) -> list[Sequence[Button]]:
    """The original's URL buttons, one row each."""
    return [
        [Button(str(b["label"])[:64], "", url=str(b["url"]))]
        for b in (source or {}).get("buttons", [])[:5]
    ]


def message_link(text: str) -> tuple[str, str] | None:
    """(channel id, message id) of a Discord message link or a Telegram private-group link
    (``t.me/c/…``), else None."""
    link = text.strip()
    if found := _DISCORD_LINK.match(link):
        return found.group(1), found.group(2)
    if found := _TELEGRAM_LINK.match(link):
        return f"-100{found.group(1)}", found.group(2)
    return None
