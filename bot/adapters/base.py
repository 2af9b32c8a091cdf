"""The Adapter interface: what every platform can be asked to do.

Ids are platform-local strings (no ``platform:`` prefix). A platform that cannot do something
raises :class:`NotSupported`; plugins ask ``ctx.bot.supports("member.kick")`` first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from bot.clock import Clock
from bot.commands import CommandRegistry, CommandSpec
from bot.events import Event, Member
from bot.i18n import Catalog
from bot.message import Outgoing
from bot.permissions import PermissionLevel

__all__ = [
    "Adapter",
    "CannotAct",
    "Capability",
    "FormField",
    "Host",
    "NotSupported",
    "PlatformError",
    "SentMessage",
]


class PlatformError(Exception):
    """A platform call failed after the adapter's own retries. ``reason`` is a locale key.

    Set by the adapter where it maps the platform's errors, so a caller decides without
    reading the message:

    - ``retryable``: the failure passes by itself (a flood limit that outlived the adapter's
      waiting, a 5xx, a connection that failed): the same call may succeed later. False for a
      refusal (removed, no right, gone), which stays until someone changes something.
    - ``maybe_sent``: no answer came after the request left (a timeout, a dropped connection,
      part of a long message sent): the platform may have done it. Sending the same message
      again may show it twice, unless the platform honours the message's idempotency key
      (:attr:`bot.message.Outgoing.key`, :data:`Capability.IDEMPOTENT`).
    """

    def __init__(
        self, message: str, reason: str = "bot.error.platform", *, retryable: bool = False,
        maybe_sent: bool = False,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.retryable = retryable
        self.maybe_sent = maybe_sent


class NotSupported(PlatformError):
    def __init__(self, what: str) -> None:
        super().__init__(f"not supported on this platform: {what}", "bot.error.not_supported")


class CannotAct(PlatformError):
    """The bot may not act on this member (owner, higher role, missing right)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "bot.error.cannot_act")


class Capability:
    """Names for :meth:`Adapter.supports`."""

    KICK = "member.kick"
    MUTE = "member.mute"
    UNBAN = "member.unban"
    ROLE = "member.role"
    TITLE = "member.title"
    JOIN_REQUEST = "guild.join_request"
    PRIVATE = "message.private"
    EDIT = "message.edit"
    DELETE = "message.delete"
    IMAGE = "message.image"
    BUTTONS = "message.buttons"
    FORM_MODAL = "form.modal"
    MESSAGE_CONTENT = "message.content"
    # A CopyOf element of this platform is copied natively (media, formatting, files).
    COPY = "message.copy"
    PIN = "message.pin"
    # Outgoing.key makes a send idempotent: sent again with the same key, it is not doubled.
    IDEMPOTENT = "message.idempotent"
    # create_invite: a link for one person to join the group.
    INVITE = "guild.invite"


@dataclass(frozen=True, slots=True)
class SentMessage:
    channel_id: str
    message_id: str


@dataclass(frozen=True, slots=True)
class FormField:
    """One input of a platform form (a Discord modal): key, label, required, max length."""

    key: str
    label: str
    required: bool = True
    max_length: int = 400
    long: bool = False
    default: str = ""


class Host(Protocol):
    """What an adapter may use of the bot that runs it."""

    clock: Clock
    catalog: Catalog
    commands: CommandRegistry
    default_locale: str

    async def dispatch(self, event: Event) -> None:
        """Hand an event to the core; returns when it has been handled."""

    async def locale_for(self, event: Event) -> str:
        """The language to answer the event's member in."""

    async def level_of(self, event: Event, right: str | None = None) -> PermissionLevel:
        """The event's member's level, owners from config included."""

    def plugins_needing_content(self) -> list[str]:
        """Plugins that read ordinary message text (disarmed where it is withheld)."""

    async def migrate_guild(self, platform: str, old_id: str, new_id: str) -> bool:
        """A group changed id; False when that was already recorded."""

    async def load_state(self, key: str) -> str | None:
        """A small fact the adapter saved with :meth:`save_state` (None: never saved)."""

    async def save_state(self, key: str, value: str) -> None:
        """Remember a small fact durably (one row write): e.g. which updates were handled."""


class Adapter:
    """One platform. Emits ``AdapterOnline`` when connected (again) and ``AdapterOffline``
    when the connection is lost or the adapter stops."""

    platform: str = ""
    capabilities: frozenset[str] = frozenset()

    def __init__(self) -> None:
        self.host: Host | None = None
        self.self_id: str = ""

    def supports(self, capability: str) -> bool:
        return capability in self.capabilities

    def send_delay(self, channel_id: str) -> float:
        """Seconds a message to ``channel_id`` would wait for the platform's flood limit if
        sent now (0: it would go at once). The core keeps such a message in its outbox rather
        than hold up the handling of later updates."""
        return 0.0

    # -- lifecycle (non-blocking: the core owns the event loop) ---------------------------------
    async def start(self, host: Host) -> None:
        self.host = host

    async def stop(self) -> None:
        pass

    # -- messages ---------------------------------------------------------------------------------
    async def send(self, channel_id: str, message: Outgoing) -> SentMessage:
        raise NotSupported("send")

    async def send_private(self, user_id: str, message: Outgoing) -> SentMessage:
        """Raise :class:`PlatformError` with reason ``bot.error.dm_closed`` when the user
        cannot be reached in private (never started the bot, DMs closed)."""
        raise NotSupported("send_private")

    async def edit(self, channel_id: str, message_id: str, message: Outgoing) -> None:
        raise NotSupported("edit")

    async def delete(self, channel_id: str, message_id: str) -> None:
        raise NotSupported("delete")

    async def pin(self, channel_id: str, message_id: str) -> None:
        """Pin a message in its channel, without notifying the members where the platform
        lets the bot choose (:data:`Capability.PIN`)."""
        raise NotSupported("pin")

    async def reply_interaction(self, interaction: Any, message: Outgoing) -> SentMessage | None:
        """Answer a platform interaction (Discord) instead of sending a new message."""
        raise NotSupported("reply_interaction")

    # -- members ----------------------------------------------------------------------------------
    async def get_member(self, guild_id: str, user_id: str) -> Member | None:
        raise NotSupported("get_member")

    async def get_level(
        self, guild_id: str, user_id: str, right: str | None = None
    ) -> PermissionLevel:
        """The member's real level in the guild. ``right``: a specific admin right the action
        needs (e.g. ``restrict`` for kicks); an admin without it counts as MEMBER."""
        return PermissionLevel.MEMBER

    async def kick(self, guild_id: str, user_id: str, reason: str = "") -> None:
        """Remove the member so that they may come back."""
        raise NotSupported("kick")

    async def unban(self, guild_id: str, user_id: str) -> None:
        raise NotSupported("unban")

    async def mute(self, guild_id: str, user_id: str, duration: timedelta | None) -> None:
        """Mute for ``duration`` (None: until unmuted)."""
        raise NotSupported("mute")

    async def unmute(self, guild_id: str, user_id: str) -> None:
        raise NotSupported("unmute")

    async def set_role(self, guild_id: str, user_id: str, role: str, present: bool) -> None:
        raise NotSupported("set_role")

    async def set_title(self, guild_id: str, user_id: str, title: str) -> None:
        raise NotSupported("set_title")

    async def answer_join_request(self, guild_id: str, user_id: str, approve: bool) -> None:
        raise NotSupported("answer_join_request")

    async def create_invite(self, guild_id: str, *, expires: timedelta = timedelta(days=7)) -> str:
        """A link for one person to join the guild, valid for ``expires`` at most (Discord
        keeps an invite 7 days at most): Telegram's createChatInviteLink with member_limit 1,
        a Discord channel invite with max_uses 1 (:data:`Capability.INVITE`). Needs the right
        to invite users."""
        raise NotSupported("create_invite")

    # -- interactions ----------------------------------------------------------------------------
    async def answer_button(self, event: Any, text: str = "", alert: bool = False) -> None:
        """Acknowledge a button press (a toast on Telegram, an ephemeral note on Discord)."""

    async def ask_form(
        self, event: Any, form_id: str, title: str, fields: Sequence[FormField]
    ) -> None:
        raise NotSupported("ask_form")

    async def sync_commands(
        self, commands: Sequence[CommandSpec], texts: Mapping[str, Mapping[str, str]]
    ) -> bool:
        """Publish the command menu. Returns True when a sync call was made (the set changed)."""
        return False
