"""One event model for every platform (Satori-shaped).

Entities are frozen dataclasses and every id is a ``str``: Telegram ids need 52 bits and Discord
snowflakes 64, so neither fits a float and both round-trip through text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.permissions import PermissionLevel

__all__ = [
    "AdapterOffline",
    "AdapterOnline",
    "BotJoinedGuild",
    "BotLeftGuild",
    "ButtonClicked",
    "Channel",
    "ChannelType",
    "CommandInvoked",
    "Event",
    "FormSubmitted",
    "ForwardOrigin",
    "Guild",
    "JoinRequest",
    "MessageLink",
    "Member",
    "MemberJoined",
    "MemberLeft",
    "Message",
    "MessageCreated",
    "MessageDeleted",
    "MessageUpdated",
    "User",
]


@dataclass(frozen=True, slots=True)
class User:
    id: str
    name: str
    nick: str | None = None
    is_bot: bool = False
    # Channel identities (a Telegram channel posting in a group, a linked-channel forward,
    # an anonymous admin) speak in groups but are never members: no points, no kicks.
    is_channel: bool = False
    username: str | None = None
    locale: str | None = None

    @property
    def display_name(self) -> str:
        return self.nick or self.name


class ChannelType(enum.StrEnum):
    TEXT = "text"
    DIRECT = "direct"
    THREAD = "thread"


@dataclass(frozen=True, slots=True)
class Guild:
    """A Telegram group or a Discord server."""

    id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    type: ChannelType = ChannelType.TEXT
    name: str = ""


@dataclass(frozen=True, slots=True)
class Member:
    user: User
    nick: str | None = None
    roles: tuple[str, ...] = ()
    joined_at: datetime | None = None
    level: PermissionLevel = PermissionLevel.MEMBER


@dataclass(frozen=True, slots=True)
class MessageLink:
    """A link in or on a message, as the platform gave it."""

    url: str
    # The visible words when the link hides behind them (Telegram text_link, Discord
    # [words](url), a button's label); "" for a bare URL in the text.
    text: str = ""


@dataclass(frozen=True, slots=True)
class ForwardOrigin:
    """Where a forwarded message came from."""

    # "user", "hidden_user", "chat" (a group) or "channel".
    kind: str
    name: str = ""
    username: str | None = None
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    # The text, or a media message's caption.
    text: str = ""
    elements: tuple[Any, ...] = ()
    reply_to: str | None = None
    # The text (or caption) of the message replied to, where the platform gives it with the reply
    # (Telegram always, Discord when it resolved the reference): what this message answers.
    reply_text: str = ""
    created_at: datetime | None = None
    edited_at: datetime | None = None
    # A forward or a linked-channel automatic forward: not the sender's own activity.
    forwarded: bool = False
    # Every link: in the text (bare or behind words) and in embeds.
    links: tuple[MessageLink, ...] = ()
    # @usernames mentioned in the text, without the @.
    usernames: tuple[str, ...] = ()
    # URL buttons attached to the message (Telegram inline keyboards, Discord link buttons).
    buttons: tuple[MessageLink, ...] = ()
    # The inline bot the message was sent through (its username), if any.
    via_bot: str | None = None
    forward_origin: ForwardOrigin | None = None
    # "photo", "video", "document", "sticker", "animation", "voice", "audio" or None.
    media: str | None = None
    # Posted by the platform on behalf of a channel the group follows: the linked channel's
    # post copied into its discussion group (Telegram is_automatic_forward), a Discord
    # crosspost from a followed announcement channel. Not a member's message.
    automatic_forward: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class Event:
    platform: str
    self_id: str
    timestamp: datetime
    guild: Guild | None = None
    channel: Channel | None = None
    user: User | None = None
    member: Member | None = None
    operator: User | None = None
    locale: str | None = None
    # A stable id of the platform delivery (Telegram update_id, Discord interaction id) so a
    # redelivered update can be recognised; None where the platform has no such id.
    delivery_id: str | None = None
    raw: Any = field(default=None, compare=False, repr=False)

    @property
    def uid(self) -> str | None:
        return f"{self.platform}:{self.user.id}" if self.user else None

    @property
    def gid(self) -> str | None:
        return f"{self.platform}:{self.guild.id}" if self.guild else None

    @property
    def cid(self) -> str | None:
        return f"{self.platform}:{self.channel.id}" if self.channel else None

    @property
    def is_direct(self) -> bool:
        return self.channel is not None and self.channel.type is ChannelType.DIRECT


@dataclass(frozen=True, kw_only=True, slots=True)
class MessageCreated(Event):
    message: Message


@dataclass(frozen=True, kw_only=True, slots=True)
class MessageUpdated(Event):
    message: Message


@dataclass(frozen=True, kw_only=True, slots=True)
class MessageDeleted(Event):
    message_id: str


@dataclass(frozen=True, kw_only=True, slots=True)
class MemberJoined(Event):
    pass


@dataclass(frozen=True, kw_only=True, slots=True)
class MemberLeft(Event):
    # True when an admin (or the bot) removed the member rather than the member leaving.
    removed: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class JoinRequest(Event):
    bio: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class CommandInvoked(Event):
    """A command: Telegram/console text ``/name args`` or a Discord slash command.

    Exactly one of ``text`` (unparsed argument text, parsed by the core against the command's
    spec) and ``options`` (already-typed platform options, e.g. Discord slash options) is set.
    """

    name: str
    text: str | None = None
    options: dict[str, Any] | None = None
    message: Message | None = None
    # Discord interactions must be answered on their token; the adapter keeps it here.
    interaction: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True, slots=True)
class ButtonClicked(Event):
    button_id: str
    message_id: str | None = None
    interaction: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True, slots=True)
class FormSubmitted(Event):
    form_id: str
    values: dict[str, str] = field(default_factory=dict)
    interaction: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True, slots=True)
class BotJoinedGuild(Event):
    pass


@dataclass(frozen=True, kw_only=True, slots=True)
class BotLeftGuild(Event):
    pass


@dataclass(frozen=True, kw_only=True, slots=True)
class AdapterOnline(Event):
    pass


@dataclass(frozen=True, kw_only=True, slots=True)
class AdapterOffline(Event):
    pass
