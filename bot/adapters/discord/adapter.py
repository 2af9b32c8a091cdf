"""The Discord adapter: discord.py's client inside the core's event loop.

``start`` logs in, connects in a background task and returns once ``on_ready`` fired (or raises
a clear :class:`PlatformError`). Events become qunbot events (``convert``), outgoing messages are
rendered markdown-safe with no pings unless meant (``render``, sent by ``messages``), and the
command registry becomes slash commands (``commands``). Interactions are answered within
Discord's 3 s (``interactions``); kicks, timeouts and roles respect Discord's hierarchy
(``moderation``).

Connection state reaches plugins as events: ``AdapterOnline`` once ready, ``AdapterOffline``
when the gateway connection is lost, ``AdapterOnline`` again when it is resumed or a new session
is ready; never the same one twice in a row. With shards, the bot is offline while any shard is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import discord

from bot.adapters.base import Adapter, Capability, Host, PlatformError
from bot.adapters.discord.client import Client, ShardedClient, endpoints, intents_for
from bot.adapters.discord.commands import base_alias, command_payloads
from bot.adapters.discord.convert import (
    PLATFORM,
    channel_of,
    edit_to_event,
    guild_of,
    interaction_to_event,
    member_join_to_event,
    member_remove_to_event,
    message_to_event,
)
from bot.adapters.discord.errors import platform_error
from bot.adapters.discord.interactions import DEFER_AFTER, Interactions
from bot.adapters.discord.messages import Messaging
from bot.adapters.discord.moderation import Moderation
from bot.commands import CommandSpec
from bot.config import DiscordSection
from bot.events import (
    AdapterOffline,
    AdapterOnline,
    BotJoinedGuild,
    BotLeftGuild,
    CommandInvoked,
    Event,
    MessageDeleted,
)

__all__ = ["DEFER_AFTER", "DiscordAdapter"]

log = logging.getLogger(__name__)

PORTAL = "https://discord.com/developers/applications"

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
        Capability.COPY,
        Capability.PIN,
        Capability.IDEMPOTENT,
        Capability.INVITE,
    }
)


class DiscordAdapter(Interactions, Moderation, Messaging, Adapter):
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
        self._endpoints = contextlib.ExitStack()
        # Between start and stop, connection changes are announced; ``_down``: the shards
        # (None without sharding) whose connection is lost.
        self._reporting = False
        self._down: set[int | None] = set()
        self._announcing = asyncio.Lock()
        self._empty_streak = 0

    # -- lifecycle --------------------------------------------------------------------------------
    async def start(self, host: Host) -> None:
        await super().start(host)
        if not self.config.token:
            raise PlatformError("discord: no token (set [discord] token or QUNBOT_DISCORD_TOKEN)")
        self._endpoints.enter_context(endpoints(self.config.api_base, self.config.gateway_url))
        try:
            await self._connect_with_granted_intents()
        except BaseException:
            self._endpoints.close()
            raise
        self._down.clear()
        self._reporting = True
        await self._announce(AdapterOnline)

    async def _connect_with_granted_intents(self) -> None:
        """Connect with the privileged intents, dropping each one the gateway refuses."""
        members, content = True, True
        while True:
            try:
                await self._connect(intents_for(members, content))
                return
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

    def _make_client(self, intents: discord.Intents) -> discord.Client:
        options: dict[str, Any] = {
            "intents": intents,
            "allowed_mentions": discord.AllowedMentions.none(),
            "guild_ready_timeout": self.guild_ready_timeout,
            # Big servers would delay on_ready; members are fetched when needed.
            "chunk_guilds_at_startup": False,
        }
        if self.config.shards > 0:
            client: discord.Client = ShardedClient(shard_count=self.config.shards, **options)
        else:
            client = Client(**options)
        client.identify_delay = self.identify_delay  # type: ignore[attr-defined]
        handlers: dict[str, Any] = {
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
        if self.config.shards > 0:
            # A sharded client reports each shard's connection (and the plain events as well).
            handlers["on_shard_disconnect"] = self._on_shard_disconnect
            handlers["on_shard_resumed"] = self._on_shard_resumed
            handlers["on_shard_ready"] = self._on_shard_ready
        else:
            handlers["on_disconnect"] = self._on_disconnect
            handlers["on_resumed"] = self._on_resumed
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
        # The app announces AdapterOffline once stopped; closing is no lost connection.
        self._reporting = False
        self._down.clear()
        if self.client is not None:
            await self.client.close()
        if self._connector is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._connector, 10)
            self._connector = None
        self._endpoints.close()

    def _require_client(self) -> discord.Client:
        if self.client is None:
            raise PlatformError("discord: not started")
        return self.client

    def _disarm_content(self, cause: str) -> None:
        if Capability.MESSAGE_CONTENT not in self.capabilities:
            return
        self.capabilities = self.capabilities - {Capability.MESSAGE_CONTENT}
        plugins = self.host.plugins_needing_content() if self.host is not None else []
        log.warning(
            "discord: %s: turn on 'MESSAGE CONTENT INTENT' under Bot → Privileged Gateway "
            "Intents in the developer portal (%s) and restart; until then these plugins do not "
            "see messages: %s",
            cause,
            PORTAL,
            ", ".join(plugins) or "none",
        )

    # -- connection state ---------------------------------------------------------------------
    async def _on_ready(self) -> None:
        assert self.client is not None and self.client.user is not None
        self.self_id = str(self.client.user.id)
        if not self._ready.is_set():
            self._ready.set()  # start() announces the first AdapterOnline
            return
        # A new session after the connection was lost (discord.py reports the loss first).
        await self._connection_back(None)

    async def _on_disconnect(self) -> None:
        await self._connection_lost(None)

    async def _on_resumed(self) -> None:
        await self._connection_back(None)

    async def _on_shard_disconnect(self, shard_id: int) -> None:
        await self._connection_lost(shard_id)

    async def _on_shard_resumed(self, shard_id: int) -> None:
        await self._connection_back(shard_id)

    async def _on_shard_ready(self, shard_id: int) -> None:
        await self._connection_back(shard_id)

    async def _connection_lost(self, shard: int | None) -> None:
        """discord.py reports a loss at each failed attempt to reconnect too: only the first
        one of an outage is announced."""
        if not self._reporting or shard in self._down:
            return
        first = not self._down
        self._down.add(shard)
        if first:
            log.warning("discord: the gateway connection was lost; reconnecting")
            await self._announce(AdapterOffline)

    async def _connection_back(self, shard: int | None) -> None:
        if not self._reporting or shard not in self._down:
            return
        self._down.discard(shard)
        if not self._down:
            log.info("discord: connected again")
            await self._announce(AdapterOnline)

    async def _announce(self, kind: type[AdapterOnline | AdapterOffline]) -> None:
        """Handed to the core one after the other, in the order they happened (the state
        above changed synchronously when discord.py reported it)."""
        assert self.host is not None
        async with self._announcing:
            if self._reporting:
                await self._emit(
                    kind(platform=PLATFORM, self_id=self.self_id, timestamp=self.host.clock.now())
                )

    # -- inbound ----------------------------------------------------------------------------------
    async def _emit(self, event: Event | None) -> None:
        if event is None or self.host is None:
            return
        try:
            await self.host.dispatch(event)
        except Exception:
            log.exception("discord: dispatching %s failed", type(event).__name__)

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
        removed = self._was_removed_by_bot(payload.guild_id, payload.user.id)
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
        await self._handle_in_time(interaction, self._emit(event))

    def _unalias(self, event: CommandInvoked) -> None:
        """``/lang me`` (the stand-in for ``/lang`` beside ``/lang group``) → ``/lang``."""
        options = event.options
        if not options or "subcommand" not in options or self.host is None:
            return
        specs = [s for s in self.host.commands if s.words[0] == event.name and not s.hidden]
        if options["subcommand"] == base_alias(event.name, specs):
            del options["subcommand"]

    # -- commands ---------------------------------------------------------------------------------
    async def sync_commands(
        self, commands: Sequence[CommandSpec], texts: Mapping[str, Mapping[str, str]]
    ) -> bool:
        client = self._require_client()
        locale = self.host.default_locale if self.host is not None else "en"
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
            raise platform_error(exc, "publish the slash commands") from exc
        where = ", ".join(self.config.dev_guild_ids) or "all servers"
        log.info("discord: published %d slash commands to %s", len(payload), where)
        return True


def _with_guild(event: Any, guild_id: int) -> Any:
    return replace(event, guild=guild_of(None, guild_id))
