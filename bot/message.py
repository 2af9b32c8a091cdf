"""Outbound content: text plus elements, each with a defined plain-text fallback.

A plugin builds an :class:`Outgoing` (or passes a ``str``); each adapter renders the elements it
supports natively (HTML on Telegram, markdown-safe text on Discord) and uses ``plain()`` for the
rest, so a plugin never branches on the platform.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Bold",
    "Button",
    "Code",
    "Content",
    "File",
    "Image",
    "Link",
    "Mention",
    "Outgoing",
    "Text",
    "as_outgoing",
]


@dataclass(frozen=True, slots=True)
class Text:
    text: str

    def plain(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Bold:
    text: str

    def plain(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Code:
    """Preformatted text in a monospace font (tables, calendars); plain text where there is
    no such thing."""

    text: str

    def plain(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Mention:
    """A user, by id. ``notify`` = ping them; otherwise only their name is shown."""

    user_id: str
    name: str
    notify: bool = False

    def plain(self) -> str:
        return f"@{self.name}"


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str = ""

    def plain(self) -> str:
        return f"{self.text} ({self.url})" if self.text and self.text != self.url else self.url


@dataclass(frozen=True, slots=True)
class Image:
    data: bytes = field(repr=False)
    filename: str = "image.png"
    caption: str = ""

    def plain(self) -> str:
        return f"[{self.caption or self.filename}]"


@dataclass(frozen=True, slots=True)
class File:
    data: bytes = field(repr=False)
    filename: str
    mime: str = "application/octet-stream"

    def plain(self) -> str:
        return f"[{self.filename}]"


@dataclass(frozen=True, slots=True)
class Button:
    """A button that calls ``action`` of the plugin that sent it, with ``payload``.

    The payload never travels to the platform: the core stores it and puts only a random
    token (``id``) in the callback data, so a forged or foreign payload changes nothing.
    ``only_user``: the uid allowed to press it (others get a polite refusal).
    """

    label: str
    action: str
    payload: dict[str, Any] = field(default_factory=dict)
    only_user: str | None = None
    url: str | None = None
    id: str | None = None


Element = Text | Bold | Code | Mention | Link | Image | File


@dataclass(frozen=True, slots=True)
class Outgoing:
    elements: tuple[Element, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    reply_to: str | None = None
    # Only the addressee sees it (a Discord ephemeral reply); elsewhere it goes to private chat
    # when the platform can, or to the channel otherwise.
    ephemeral: bool = False

    def plain(self) -> str:
        return "".join(e.plain() for e in self.elements if not isinstance(e, Image | File))

    @property
    def attachments(self) -> tuple[Image | File, ...]:
        return tuple(e for e in self.elements if isinstance(e, Image | File))

    @property
    def mentions(self) -> tuple[Mention, ...]:
        return tuple(e for e in self.elements if isinstance(e, Mention) and e.notify)

    def with_buttons(self, *rows: Iterable[Button]) -> Outgoing:
        return Outgoing(self.elements, tuple(tuple(r) for r in rows), self.reply_to, self.ephemeral)

    def replace(self, **changes: Any) -> Outgoing:
        fields = {
            "elements": self.elements,
            "buttons": self.buttons,
            "reply_to": self.reply_to,
            "ephemeral": self.ephemeral,
        }
        fields.update(changes)
        return Outgoing(**fields)


Content = str | Outgoing | Sequence[Element]


def as_outgoing(content: Content) -> Outgoing:
    if isinstance(content, Outgoing):
        return content
    if isinstance(content, str):
        return Outgoing((Text(content),))
    return Outgoing(tuple(content))
