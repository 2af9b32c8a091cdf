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
    "CopyOf",
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


@dataclass(frozen=True, slots=True)
class CopyOf:
    """Another message, copied as it is: text with its formatting, photos, files, albums'
    first item. An adapter of ``platform`` that can (:data:`Capability.COPY`) copies it
    natively (Telegram ``copyMessage``; Discord re-sends its content, embeds and attachments);
    everywhere else, and when the original is gone, ``fallback`` is sent instead: its text,
    links and a note of the media it had. Other elements of the same message go out before
    the copy, in a message of their own; the message's buttons go on the copy."""

    platform: str
    channel_id: str
    message_id: str
    fallback: tuple[Text | Bold | Code | Mention | Link, ...] = ()

    def plain(self) -> str:
        return "".join(e.plain() for e in self.fallback)


Element = Text | Bold | Code | Mention | Link | Image | File | CopyOf


@dataclass(frozen=True, slots=True)
class Outgoing:
    elements: tuple[Element, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    reply_to: str | None = None
    # Only the addressee sees it (a Discord ephemeral reply); elsewhere it goes to private chat
    # when the platform can, or to the channel otherwise.
    ephemeral: bool = False
    # An idempotency key (at most 64 characters, unique per message meant): where the platform
    # honours one (Capability.IDEMPOTENT: a Discord nonce), a send repeated with the same key
    # within minutes returns the first message instead of posting a second.
    key: str | None = None

    def plain(self) -> str:
        return "".join(e.plain() for e in self.elements if not isinstance(e, Image | File))

    @property
    def attachments(self) -> tuple[Image | File, ...]:
        return tuple(e for e in self.elements if isinstance(e, Image | File))

    @property
    def copy_of(self) -> CopyOf | None:
        return next((e for e in self.elements if isinstance(e, CopyOf)), None)

    @property
    def mentions(self) -> tuple[Mention, ...]:
        return tuple(e for e in self.elements if isinstance(e, Mention) and e.notify)

    def with_buttons(self, *rows: Iterable[Button]) -> Outgoing:
        return self.replace(buttons=tuple(tuple(r) for r in rows))

    def replace(self, **changes: Any) -> Outgoing:
        fields = {
            "elements": self.elements,
            "buttons": self.buttons,
            "reply_to": self.reply_to,
            "ephemeral": self.ephemeral,
            "key": self.key,
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
