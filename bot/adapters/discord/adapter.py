"""The Discord adapter: discord.py's client inside the core's event loop.

``start`` logs in, connects in a background task and returns once ``on_ready`` fired (or raises
a clear :class:`PlatformError`). Events become qunbot events (``convert``), outgoing messages are
rendered markdown-safe with no pings unless meant (``render``), and the command registry becomes
slash commands (``commands``).

Interactions must be answered within 3 s: a timer defers any interaction the core has not
answered after :data:`DEFER_AFTER` seconds ("thinking", ephemeral, for commands and forms; a
silent deferred update for buttons), replies then edit that placeholder or follow up, and an
interaction nobody answered is acknowledged silently when its handlers are done.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord
import yarl

from bot.adapters.base import (
    Adapter,
    CannotAct,
    Capability,
    FormField,
    NotSupported,
    PlatformError,
    SentMessage,
)
from bot.adapters.discord.commands import base_alias, command_payloads
from bot.adapters.discord.convert import (
    PLATFORM,
    channel_of,
    edit_to_event,
    guild_of,
    interaction_to_event,
    level_of,
    member_join_to_event,
    member_of,
    member_remove_to_event,
    message_to_event,
)
from bot.adapters.discord.render import (
    MESSAGE_LIMIT,
    allowed_mentions_for,
    components_for,
    files_for,
    render_text,
    split_text,
)
from bot.config import DiscordSection
from bot.events import (
    BotJoinedGuild,
    BotLeftGuild,
    CommandInvoked,
    Event,
    Member,
    MessageDeleted,
)
from bot.message import Outgoing
from bot.permissions import PermissionLevel

if TYPE_CHECKING:
    from bot.app import App
    from bot.commands import CommandSpec

__all__ = ["DEFER_AFTER", "DiscordAdapter"]

log = logging.getLogger(__name__)

# Discord drops an interaction not acknowledged within 3 s; defer well before that.
DEFER_AFTER = 2.0
# After a 403 on a kick/timeout/role change, further such calls in that guild are refused
# locally for this long: Discord bans IPs that send many invalid requests.
FORBIDDEN_PAUSE = 60.0
MAX_TIMEOUT = timedelta(days=28)
MODAL_INPUTS = 5
MODAL_TITLE_LIMIT = 45
INPUT_LABEL_LIMIT = 45
INPUT_MAX_LENGTH = 4000
_DM_CLOSED = 50007
PORTAL = "https://discord.com/developers/applications"

# A specific right a command may need (CommandSpec.right) → Discord permissions, any of which
# grants it. Unknown rights need administrator.
_RIGHTS = {
    "restrict": ("moderate_members", "kick_members"),
    "kick": ("kick_members",),
    "ban": ("ban_members",),
    "delete": ("manage_messages",),
    "pin": ("manage_messages",),
    "roles": ("manage_roles",),
    "invite": ("create_instant_invite",),
}

_CAPABILITIES = frozenset(
    {
        Capability.KICK,
        Capability.MUTE,
        Capability.ROLE,
        Capability.PRIVATE,
        Capability.EDIT,
        Capability.DELETE,
        Capability.IMAGE,
        Capability.BUTTONS,
        Capability.FORM_MODAL,
        Capability.MESSAGE_CONTENT,
    }
)


class _PacedIdentify:
    """discord.py waits 5 s before every IDENTIFY but the first (Discord's identify budget);
    the pause is configurable so tests of a reconnect stay short."""

    identify_delay: float = 5.0

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if not initial and self.identify_delay > 0:
            await asyncio.sleep(self.identify_delay)


class _Client(_PacedIdentify, discord.Client):
    pass


class _ShardedClient(_PacedIdentify, discord.AutoShardedClient):
    pass


@dataclass(slots=True)
class _Pending:
    """An interaction being handled: who answered it and how."""

    interaction: discord.Interaction
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    thinking: bool = False  # we deferred with an ephemeral "thinking…" placeholder
    answered: bool = False  # a real answer (message, toast, form) was given
    deferring: asyncio.Task[None] | None = None


def _intents(members: bool, content: bool) -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True
    intents.messages = True  # guild and direct messages
    intents.members = members
    intents.message_content = content
    return intents


class DiscordAdapter(Adapter):
    platform = PLATFORM

    def __init__(
        self,
        config: DiscordSection,
        *,
        guild_ready_timeout: float = 2.0,
        identify_delay: float = 5.0,
        ready_timeout: float = 60.0,
        empty_content_limit: int = 5,
        defer_after: float = DEFER_AFTER,
    ) -> None:
        """``empty_content_limit``: this many consecutive guild messages arriving with no text,
        attachment, embed or sticker (and not mentioning the bot) mean Discord withholds
        message content although the intent was granted at login."""
        super().__init__()
        self.config = config
        self.capabilities = _CAPABILITIES
        self.client: discord.Client | None = None
        self.guild_ready_timeout = guild_ready_timeout
        self.identify_delay = identify_delay
        self.ready_timeout = ready_timeout
        self.empty_content_limit = empty_content_limit
        self.defer_after = defer_after
        self.missing_intents: list[str] = []
        self._connector: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._online = False
        self._pending: dict[int, _Pending] = {}
        self._paused_until: dict[int, float] = {}
        self._removed_by_bot: set[tuple[int, int]] = set()
        self._empty_streak = 0
        self._in_flight = 0
        self._saved_endpoints: tuple[str, yarl.URL] | None = None

    # -- lifecycle --------------------------------------------------------------------------------
    async def start(self, app: App) -> None:
        await super().start(app)
        if not self.config.token:
            raise PlatformError("discord: no token (set [discord] token or QUNBOT_DISCORD_TOKEN)")
        self._point_at_endpoints()
        members, content = True, True
        while True:
            try:
                await self._connect(_intents(members, content))
                break
            except discord.PrivilegedIntentsRequired:
                if content:
                    content = False
                    self.missing_intents.append("message_content")
                    self._disarm_content("the gateway refused the Message Content intent")
                elif members:
                    members = False
                    self.missing_intents.append("members")
                    log.warning(
                        "discord: the gateway refused the Server Members intent: turn on "
                        "'SERVER MEMBERS INTENT' under Bot → Privileged Gateway Intents in the "
                        "developer portal (%s) and restart. Until then joins and leaves are "
                        "not seen.",
                        PORTAL,
                    )
                else:
                    raise PlatformError("discord: the gateway refused even the basic intents") from None
        self._online = True

    def _point_at_endpoints(self) -> None:
        """REST and gateway proxies (large bots, tests). Both are class attributes of
        discord.py, read at each request/connection; restored on stop."""
        if not (self.config.api_base or self.config.gateway_url):
            return
        self._saved_endpoints = (
            discord.http.Route.BASE,
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
        )
        if self.config.api_base:
            discord.http.Route.BASE = self.config.api_base.rstrip("/")
        if self.config.gateway_url:
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.config.gateway_url)

    def _make_client(self, intents: discord.Intents) -> discord.Client:
        options: dict[str, Any] = {
            "intents": intents,
            "allowed_mentions": discord.AllowedMentions.none(),
            "guild_ready_timeout": self.guild_ready_timeout,
            # Big servers would delay on_ready; members are fetched when needed.
            "chunk_guilds_at_startup": False,
        }
        if self.config.shards > 0:
            client: discord.Client = _ShardedClient(shard_count=self.config.shards, **options)
        else:
            client = _Client(**options)
        client.identify_delay = self.identify_delay  # type: ignore[attr-defined]
        handlers = {
            "on_ready": self._on_ready,
            "on_message": self._on_message,
            "on_raw_message_edit": self._on_raw_message_edit,
            "on_raw_message_delete": self._on_raw_message_delete,
            "on_member_join": self._on_member_join,
            "on_raw_member_remove": self._on_raw_member_remove,
            "on_guild_join": self._on_guild_join,
            "on_guild_remove": self._on_guild_remove,
            "on_interaction": self._on_interaction,
        }
        for name, handler in handlers.items():
            setattr(client, name, handler)
        return client

    async def _connect(self, intents: discord.Intents) -> None:
        client = self._make_client(intents)
        self.client = client
        self._ready = asyncio.Event()
        try:
            await client.login(self.config.token)
        except discord.LoginFailure:
            await client.close()
            raise PlatformError(
                "discord: the token was refused; copy it again from Bot → Token in the "
                f"developer portal ({PORTAL})"
            ) from None
        except (discord.HTTPException, OSError) as exc:
            await client.close()
            raise PlatformError(f"discord: cannot log in: {exc}") from exc
        connector = asyncio.create_task(client.connect(reconnect=True))
        ready = asyncio.create_task(self._ready.wait())
        done, _ = await asyncio.wait(
            {connector, ready}, timeout=self.ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready in done:
            self._connector = connector
            return
        ready.cancel()
        await client.close()
        if connector not in done:
            connector.cancel()
            raise PlatformError(f"discord: not ready within {self.ready_timeout:.0f} s")
        error = connector.exception()
        if isinstance(error, discord.PrivilegedIntentsRequired):
            raise error
        if isinstance(error, discord.LoginFailure):
            raise PlatformError("discord: the gateway refused the token") from error
        raise PlatformError(f"discord: the gateway connection ended: {error!r}") from error

    async def stop(self) -> None:
        self._online = False
        if self.client is not None:
            await self.client.close()
        if self._connector is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._connector, 10)
            self._connector = None
        if self._saved_endpoints is not None:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = (
                self._saved_endpoints
            )
            self._saved_endpoints = None

    def _disarm_content(self, cause: str) -> None:
        if Capability.MESSAGE_CONTENT not in self.capabilities:
            return
        self.capabilities = self.capabilities - {Capability.MESSAGE_CONTENT}
        plugins = self.app.plugins_needing_content() if self.app is not None else []
        log.warning(
            "discord: %s: turn on 'MESSAGE CONTENT INTENT' under Bot → Privileged Gateway "
            "Intents in the developer portal (%s) and restart; until then these plugins do not "
            "see messages: %s",
            cause,
            PORTAL,
            ", ".join(plugins) or "none",
        )

    # -- inbound ----------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """Some event is still being handled (tests wait for this to settle)."""
        return self._in_flight > 0

    async def _emit(self, event: Event | None) -> None:
        if event is None or self.app is None:
            return
        self._in_flight += 1
        try:
            await self.app.dispatch(event)
        except Exception:
            log.exception("discord: dispatching %s failed", type(event).__name__)
        finally:
            self._in_flight -= 1

    async def _on_ready(self) -> None:
        assert self.client is not None and self.client.user is not None
        self.self_id = str(self.client.user.id)
        if not self._ready.is_set():
            self._ready.set()
            return
        if self._online and self.app is not None:
            # A new session after a reconnect: the core re-syncs only if the commands changed
            # and starts no jobs; the adapter starts nothing either.
            log.info("discord: reconnected with a new session")
            await self.app.adapter_ready(PLATFORM)

    async def _on_message(self, msg: discord.Message) -> None:
        self._watch_content(msg)
        await self._emit(message_to_event(msg, self.self_id))

    def _watch_content(self, msg: discord.Message) -> None:
        """Discord empties the text of guild messages for a bot without the content intent,
        even when the gateway accepted it at login (the portal switch changed meanwhile)."""
        if (
            Capability.MESSAGE_CONTENT not in self.capabilities
            or msg.guild is None
            or msg.author.bot
            or msg.is_system()
        ):
            return
        if msg.content:
            self._empty_streak = 0
            return
        forwarded = msg.reference is not None and (
            msg.reference.type is discord.MessageReferenceType.forward
        )
        mentions_bot = any(str(u.id) == self.self_id for u in msg.mentions)
        if msg.attachments or msg.embeds or msg.stickers or msg.poll or forwarded or mentions_bot:
            return
        self._empty_streak += 1
        if self._empty_streak >= self.empty_content_limit:
            self._disarm_content(
                f"{self._empty_streak} messages in a row arrived without their text"
            )

    async def _on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        await self._emit(edit_to_event(payload.cached_message, payload.message, self.self_id))

    async def _on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        assert self.client is not None
        guild = self.client.get_guild(payload.guild_id) if payload.guild_id else None
        channel = self.client.get_channel(payload.channel_id)
        await self._emit(
            MessageDeleted(
                platform=PLATFORM,
                self_id=self.self_id,
                timestamp=discord.utils.utcnow(),
                guild=guild_of(guild, payload.guild_id),
                channel=channel_of(channel, payload.channel_id),
                message_id=str(payload.message_id),
            )
        )

    async def _on_member_join(self, member: discord.Member) -> None:
        if str(member.id) != self.self_id:
            await self._emit(member_join_to_event(member, self.self_id))

    async def _on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        assert self.client is not None
        if str(payload.user.id) == self.self_id:
            return
        removed = (payload.guild_id, payload.user.id) in self._removed_by_bot
        self._removed_by_bot.discard((payload.guild_id, payload.user.id))
        guild = self.client.get_guild(payload.guild_id)
        event = member_remove_to_event(payload.user, self.self_id, guild, removed=removed)
        if guild is None:
            event = _with_guild(event, payload.guild_id)
        await self._emit(event)

    async def _on_guild_join(self, guild: discord.Guild) -> None:
        await self._emit(self._guild_event(BotJoinedGuild, guild))

    async def _on_guild_remove(self, guild: discord.Guild) -> None:
        await self._emit(self._guild_event(BotLeftGuild, guild))

    def _guild_event(self, kind: type[Event], guild: discord.Guild) -> Event:
        return kind(
            platform=PLATFORM,
            self_id=self.self_id,
            timestamp=discord.utils.utcnow(),
            guild=guild_of(guild),
            locale=str(guild.preferred_locale),
        )

    # -- interactions -----------------------------------------------------------------------------
    async def _on_interaction(self, interaction: discord.Interaction) -> None:
        event = interaction_to_event(interaction, self.self_id)
        if event is None:
            return
        if isinstance(event, CommandInvoked):
            self._unalias(event)
        pending = _Pending(interaction)
        self._pending[interaction.id] = pending
        self._in_flight += 1
        timer = asyncio.get_running_loop().call_later(self.defer_after, self._start_defer, pending)
        try:
            await self._emit(event)
        finally:
            timer.cancel()
            if pending.deferring is not None:
                await pending.deferring
            await self._settle(pending)
            self._pending.pop(interaction.id, None)
            self._in_flight -= 1

    def _unalias(self, event: CommandInvoked) -> None:
        """``/lang me`` (the stand-in for ``/lang`` beside ``/lang group``) → ``/lang``."""
        options = event.options
        if not options or "subcommand" not in options or self.app is None:
            return
        specs = [s for s in self.app.commands if s.words[0] == event.name and not s.hidden]
        if options["subcommand"] == base_alias(event.name, specs):
            del options["subcommand"]

    def _start_defer(self, pending: _Pending) -> None:
        pending.deferring = asyncio.create_task(self._defer(pending))

    async def _defer(self, pending: _Pending) -> None:
        interaction = pending.interaction
        async with pending.lock:
            if interaction.response.is_done():
                return
            try:
                if _is_component(interaction):
                    await interaction.response.defer()
                else:
                    # Whether the answer will be private is not known yet: keep the
                    # placeholder private; a public answer is posted in the channel.
                    await interaction.response.defer(thinking=True, ephemeral=True)
                    pending.thinking = True
            except discord.HTTPException as exc:
                log.warning("discord: could not defer interaction %s: %s", interaction.id, exc)

    async def _settle(self, pending: _Pending) -> None:
        """Acknowledge an interaction nobody answered, and clear an unused placeholder."""
        interaction = pending.interaction
        async with pending.lock:
            try:
                if not interaction.response.is_done():
                    if _is_component(interaction):
                        await interaction.response.defer()
                        return
                    await interaction.response.defer(thinking=True, ephemeral=True)
                    await interaction.delete_original_response()
                elif pending.thinking and not pending.answered:
                    await interaction.delete_original_response()
            except discord.HTTPException as exc:
                log.warning("discord: could not settle interaction %s: %s", interaction.id, exc)

    async def reply_interaction(self, interaction: Any, message: Outgoing) -> SentMessage | None:
        pending = self._pending.get(interaction.id) or _Pending(interaction)
        async with pending.lock:
            try:
                sent = await self._answer(pending, message)
            except discord.HTTPException as exc:
                raise _platform_error(exc, "answer the interaction") from exc
            # Only now: a failed answer leaves the placeholder for _settle to clear.
            pending.answered = True
            return sent

    async def _answer(self, pending: _Pending, message: Outgoing) -> SentMessage | None:
        interaction = pending.interaction
        parts = _parts(message)
        if not parts:
            return None
        mentions = allowed_mentions_for(message)
        channel_id = str(interaction.channel_id)
        first_answer = not pending.answered
        if not interaction.response.is_done():
            callback = await interaction.response.send_message(
                **parts[0], ephemeral=message.ephemeral, allowed_mentions=mentions
            )
            last = str(callback.message_id) if callback.message_id else None
            for part in parts[1:]:
                last = await self._followup(interaction, part, message.ephemeral, mentions)
            return SentMessage(channel_id, last) if last else None
        if pending.thinking and first_answer:
            if not message.ephemeral:
                # The placeholder is private; a public answer goes to the channel.
                sent = await self.send(channel_id, message)
                await interaction.delete_original_response()
                return sent
            first = parts[0]
            edited = await interaction.edit_original_response(
                content=first.get("content", ""),
                attachments=first.get("files", []),
                view=first.get("view"),
                allowed_mentions=mentions,
            )
            last = str(edited.id)
            for part in parts[1:]:
                last = await self._followup(interaction, part, True, mentions)
            return SentMessage(channel_id, last)
        last = ""
        for part in parts:
            last = await self._followup(interaction, part, message.ephemeral, mentions)
        return SentMessage(channel_id, last)

    @staticmethod
    async def _followup(
        interaction: discord.Interaction,
        part: dict[str, Any],
        ephemeral: bool,
        mentions: discord.AllowedMentions,
    ) -> str:
        sent = await interaction.followup.send(
            **part, ephemeral=ephemeral, allowed_mentions=mentions, wait=True
        )
        return str(sent.id)

    async def answer_button(self, event: Any, text: str = "", alert: bool = False) -> None:
        interaction = getattr(event, "interaction", None)
        if interaction is None:
            return
        pending = self._pending.get(interaction.id) or _Pending(interaction)
        async with pending.lock:
            try:
                if not interaction.response.is_done():
                    if text:
                        await interaction.response.send_message(
                            text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
                        )
                    else:
                        await interaction.response.defer()
                elif text:
                    await interaction.followup.send(
                        text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
                    )
                pending.answered = True
            except discord.HTTPException as exc:
                raise _platform_error(exc, "answer the button") from exc

    async def ask_form(
        self, event: Any, form_id: str, title: str, fields: Sequence[FormField]
    ) -> None:
        """A modal. Discord allows at most 5 inputs: longer forms are the plugin's to page."""
        if len(fields) > MODAL_INPUTS:
            raise ValueError(f"a Discord form holds at most {MODAL_INPUTS} inputs, got {len(fields)}")
        interaction = getattr(event, "interaction", None)
        if interaction is None:
            raise NotSupported("form outside a slash command or button")
        modal = discord.ui.Modal(title=title[:MODAL_TITLE_LIMIT], custom_id=form_id, timeout=None)
        for item in fields:
            modal.add_item(
                discord.ui.TextInput(
                    label=item.label[:INPUT_LABEL_LIMIT],
                    custom_id=item.key,
                    required=item.required,
                    max_length=min(item.max_length, INPUT_MAX_LENGTH),
                    style=discord.TextStyle.paragraph if item.long else discord.TextStyle.short,
                    default=item.default or None,
                )
            )
        # Submissions reach the adapter through on_interaction; discord.py must not keep the
        # modal in its view store.
        modal.stop()
        pending = self._pending.get(interaction.id) or _Pending(interaction)
        async with pending.lock:
            if interaction.response.is_done():
                raise PlatformError("discord: a form must be the first answer to an interaction")
            try:
                await interaction.response.send_modal(modal)
            except discord.HTTPException as exc:
                raise _platform_error(exc, "open the form") from exc
            pending.answered = True

    # -- messages ---------------------------------------------------------------------------------
    def _messageable(self, channel_id: str) -> Any:
        client = self._require_client()
        cid = int(channel_id)
        return client.get_channel(cid) or client.get_partial_messageable(cid)

    def _require_client(self) -> discord.Client:
        if self.client is None:
            raise PlatformError("discord: not started")
        return self.client

    async def send(self, channel_id: str, message: Outgoing) -> SentMessage:
        channel = self._messageable(channel_id)
        return await self._send_parts(channel, message)

    async def _send_parts(self, channel: Any, message: Outgoing) -> SentMessage:
        parts = _parts(message)
        if not parts:
            raise ValueError("cannot send an empty message")
        mentions = allowed_mentions_for(message)
        reference = None
        if message.reply_to:
            reference = discord.MessageReference(
                message_id=int(message.reply_to), channel_id=channel.id, fail_if_not_exists=False
            )
        last = None
        try:
            for index, part in enumerate(parts):
                extra = {"reference": reference} if reference is not None and index == 0 else {}
                last = await channel.send(**part, allowed_mentions=mentions, **extra)
        except discord.HTTPException as exc:
            raise _platform_error(exc, "send a message") from exc
        assert last is not None
        return SentMessage(str(channel.id), str(last.id))

    async def send_private(self, user_id: str, message: Outgoing) -> SentMessage:
        client = self._require_client()
        try:
            channel = await client.create_dm(discord.Object(int(user_id)))
        except discord.HTTPException as exc:
            raise _platform_error(exc, "open a private chat") from exc
        return await self._send_parts(channel, message)

    async def edit(self, channel_id: str, message_id: str, message: Outgoing) -> None:
        partial = self._messageable(channel_id).get_partial_message(int(message_id))
        text = render_text(message)
        if len(text) > MESSAGE_LIMIT:
            text = split_text(text)[0]
        files = files_for(message)
        extra: dict[str, Any] = {"attachments": files} if files else {}
        try:
            await partial.edit(
                content=text,
                view=components_for(message),
                allowed_mentions=allowed_mentions_for(message),
                **extra,
            )
        except discord.HTTPException as exc:
            raise _platform_error(exc, "edit a message") from exc

    async def delete(self, channel_id: str, message_id: str) -> None:
        partial = self._messageable(channel_id).get_partial_message(int(message_id))
        try:
            await partial.delete()
        except discord.NotFound:
            pass  # already gone: what the caller wanted
        except discord.HTTPException as exc:
            raise _platform_error(exc, "delete a message") from exc

    async def main_channel(self, guild_id: str) -> str | None:
        """Where scheduled posts go: the server's system channel, else the first text channel
        the bot may write in."""
        guild = self._require_client().get_guild(int(guild_id))
        if guild is None:
            return None
        me = guild.me
        channels = [guild.system_channel, *sorted(guild.text_channels, key=lambda c: c.position)]
        for channel in channels:
            if channel is not None and channel.permissions_for(me).send_messages:
                return str(channel.id)
        return None

    # -- members ----------------------------------------------------------------------------------
    def _guild(self, guild_id: str) -> discord.Guild:
        guild = self._require_client().get_guild(int(guild_id))
        if guild is None:
            raise PlatformError(f"discord: the bot is not in server {guild_id}")
        return guild

    async def _member(self, guild: discord.Guild, user_id: str) -> discord.Member | None:
        member = guild.get_member(int(user_id))
        if member is not None:
            return member
        try:
            return await guild.fetch_member(int(user_id))
        except discord.NotFound:
            return None
        except discord.HTTPException as exc:
            raise _platform_error(exc, "look up a member") from exc

    async def get_member(self, guild_id: str, user_id: str) -> Member | None:
        member = await self._member(self._guild(guild_id), user_id)
        return member_of(member) if member is not None else None

    async def get_level(
        self, guild_id: str, user_id: str, right: str | None = None
    ) -> PermissionLevel:
        guild = self._guild(guild_id)
        member = await self._member(guild, user_id)
        if member is None:
            return PermissionLevel.MEMBER
        level = level_of(member)
        if right is None or member.id == guild.owner_id:
            return level
        permissions = member.guild_permissions
        needed = _RIGHTS.get(right, ("administrator",))
        if permissions.administrator or any(getattr(permissions, p) for p in needed):
            return level
        return PermissionLevel.MEMBER

    def _check_not_paused(self, guild: discord.Guild) -> None:
        if self._paused_until.get(guild.id, 0.0) > time.monotonic():
            raise CannotAct(
                f"discord: Discord refused a moderation action in {guild.name} less than "
                f"{FORBIDDEN_PAUSE:.0f} s ago; not trying again yet"
            )

    def _check_can_act(self, guild: discord.Guild, member: discord.Member, permission: str) -> None:
        """Discord's rules, checked before calling it (its 403 does not say which failed)."""
        self._check_not_paused(guild)
        me = guild.me
        if member.id == me.id:
            raise CannotAct("discord: the bot does not act on itself")
        if member.id == guild.owner_id:
            raise CannotAct(f"discord: {member} owns the server")
        if not getattr(me.guild_permissions, permission):
            raise CannotAct(f"discord: the bot lacks the {permission} permission in {guild.name}")
        if member.top_role >= me.top_role:
            raise CannotAct(f"discord: {member}'s top role is not below the bot's")

    async def _moderate(self, guild: discord.Guild, action: str, call: Any) -> None:
        try:
            await call
        except discord.Forbidden as exc:
            self._paused_until[guild.id] = time.monotonic() + FORBIDDEN_PAUSE
            raise CannotAct(f"discord: refused to {action}: {exc.text}") from exc
        except discord.HTTPException as exc:
            raise _platform_error(exc, action) from exc

    async def _target(self, guild_id: str, user_id: str) -> tuple[discord.Guild, discord.Member]:
        guild = self._guild(guild_id)
        self._check_not_paused(guild)
        member = await self._member(guild, user_id)
        if member is None:
            raise PlatformError(f"discord: {user_id} is not a member of {guild.name}")
        return guild, member

    async def kick(self, guild_id: str, user_id: str, reason: str = "") -> None:
        guild = self._guild(guild_id)
        self._check_not_paused(guild)
        member = await self._member(guild, user_id)
        if member is None:
            return  # already gone
        self._check_can_act(guild, member, "kick_members")
        key = (guild.id, member.id)
        self._removed_by_bot.add(key)
        try:
            await self._moderate(guild, "kick", guild.kick(member, reason=reason or None))
        except PlatformError:
            # Still a member: a later leave of their own must not read as the bot's removal.
            self._removed_by_bot.discard(key)
            raise

    async def mute(self, guild_id: str, user_id: str, duration: timedelta | None) -> None:
        """A timeout: at most 28 days (None or longer → 28 days)."""
        guild, member = await self._target(guild_id, user_id)
        self._check_can_act(guild, member, "moderate_members")
        if member.guild_permissions.administrator:
            raise CannotAct(f"discord: {member} is an administrator and cannot be timed out")
        length = min(duration or MAX_TIMEOUT, MAX_TIMEOUT)
        await self._moderate(guild, "time out", member.timeout(length))

    async def unmute(self, guild_id: str, user_id: str) -> None:
        guild, member = await self._target(guild_id, user_id)
        self._check_can_act(guild, member, "moderate_members")
        await self._moderate(guild, "lift a timeout", member.timeout(None))

    async def set_role(self, guild_id: str, user_id: str, role: str, present: bool) -> None:
        """``role``: a role id or a role name (case-insensitive). Roles are never created."""
        guild, member = await self._target(guild_id, user_id)
        found = _find_role(guild, role)
        if found is None:
            raise PlatformError(f"discord: no role {role!r} in {guild.name}")
        me = guild.me
        if not me.guild_permissions.manage_roles:
            raise CannotAct(f"discord: the bot lacks the manage_roles permission in {guild.name}")
        if found.is_default() or found.managed or found >= me.top_role:
            raise CannotAct(f"discord: the role {found.name} is not below the bot's top role")
        if present:
            await self._moderate(guild, "add a role", member.add_roles(found))
        else:
            await self._moderate(guild, "remove a role", member.remove_roles(found))

    # -- commands ---------------------------------------------------------------------------------
    async def sync_commands(
        self, commands: Sequence[CommandSpec], texts: Mapping[str, Mapping[str, str]]
    ) -> bool:
        client = self._require_client()
        locale = self.app.config.bot.locale if self.app is not None else "en"
        payload = command_payloads(commands, texts, locale)
        application_id = client.application_id
        try:
            if self.config.dev_guild_ids:
                for guild_id in self.config.dev_guild_ids:
                    await client.http.bulk_upsert_guild_commands(
                        application_id, int(guild_id), payload
                    )
            else:
                await client.http.bulk_upsert_global_commands(application_id, payload)
        except discord.HTTPException as exc:
            raise _platform_error(exc, "publish the slash commands") from exc
        where = ", ".join(self.config.dev_guild_ids) or "all servers"
        log.info("discord: published %d slash commands to %s", len(payload), where)
        return True


def _is_component(interaction: discord.Interaction) -> bool:
    """Button presses, and forms opened from a button (their message can be updated)."""
    return interaction.type is discord.InteractionType.component or (
        interaction.type is discord.InteractionType.modal_submit and interaction.message is not None
    )


def _parts(message: Outgoing) -> list[dict[str, Any]]:
    """The message as Discord sends it: text in pieces of ≤ 2000 characters, files with the
    first piece, buttons under the last."""
    chunks: list[dict[str, Any]] = [{"content": c} for c in split_text(render_text(message))]
    files = files_for(message)
    view = components_for(message)
    if not chunks and (files or view is not None):
        chunks = [{}]
    if files:
        chunks[0]["files"] = files
    if view is not None:
        chunks[-1]["view"] = view
    return chunks


def _find_role(guild: discord.Guild, role: str) -> discord.Role | None:
    if role.isdigit():
        found = guild.get_role(int(role))
        if found is not None:
            return found
    wanted = role.strip().lower()
    return next((r for r in guild.roles if r.name.lower() == wanted), None)


def _platform_error(exc: discord.HTTPException, action: str) -> PlatformError:
    if exc.code == _DM_CLOSED:
        return PlatformError(f"discord: cannot {action}: {exc.text}", "bot.error.dm_closed")
    return PlatformError(f"discord: cannot {action}: {exc.status} {exc.text}")


def _with_guild(event: Any, guild_id: int) -> Any:
    return replace(event, guild=guild_of(None, guild_id))
