"""What a running bot shares between the core and its plugins: config, clock, catalogs,
commands, hooks, the roster, the adapters, the services, and the way out (buttons stored,
messages delivered). :class:`bot.app.App` builds one and drives its lifecycle; plugins see it
only through their :class:`bot.context.Scope`."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import replace
from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.adapters.base import Adapter, PlatformError, SentMessage
from bot.clock import Clock
from bot.commands import CommandRegistry
from bot.config import Config
from bot.events import Event
from bot.i18n import Catalog, normalize_locale
from bot.message import Outgoing
from bot.outbox import Outbox
from bot.permissions import PermissionLevel
from bot.plugin import HookDriver, Plugin, PluginError
from bot.refs import GroupRef
from bot.roster import Roster
from bot.storage.models import AuditEntry, ButtonToken, SyncState, delete_core_user_data

__all__ = ["HANDLING", "SENT", "Runtime"]

log = logging.getLogger(__name__)
T = TypeVar("T")
# Messages the unit of work running in this task tried to send (``[count]``, shared by the
# tasks it starts): the dispatcher runs a handler again after a database error only while it
# has said nothing, so that a member never reads the same answer twice.
SENT: ContextVar[list[int] | None] = ContextVar("qunbot_sent", default=None)
# Set while an event is handled: a channel message that would wait for the platform's flood
# limit then goes to the outbox instead of holding up the updates behind it (bot.outbox).
HANDLING: ContextVar[bool] = ContextVar("qunbot_handling", default=False)


def _sending() -> None:
    box = SENT.get()
    if box is not None:
        box[0] += 1


class Runtime:
    def __init__(self, config: Config, clock: Clock, scope_factory: Callable[[Runtime, str], Any]) -> None:
        self.config = config
        # bot.context.Scope: the scope builds on the runtime, so the app hands its class in.
        self._scope_factory = scope_factory
        self.clock = clock
        self.catalog = Catalog()
        self.commands = CommandRegistry()
        self.hooks = HookDriver(self.scope)
        self.roster = Roster(config.bot.timezone, config.bot.locale, config.bot.member_cache)
        self.adapters: dict[str, Adapter] = {}
        self.outbox = Outbox(clock, self.adapters)
        self.plugins: dict[str, Plugin] = {}
        self.plugin_configs: dict[str, Any] = {}
        self.owners = set(config.bot.owners)
        self._services: dict[type, Any] = {}
        self._service_owner: dict[type, str] = {}
        self._bound: dict[tuple[type, str], Any] = {}
        self._scopes: dict[str, Any] = {}

    # -- scopes and services ---------------------------------------------------------------------
    def scope(self, plugin: str) -> Any:
        """The plugin's :class:`bot.context.Scope`: one per plugin for the life of the runtime."""
        found = self._scopes.get(plugin)
        if found is None:
            found = self._scopes[plugin] = self._scope_factory(self, plugin)
        return found

    def offer_service(self, owner: str, cls: type) -> None:
        self._service_owner[cls] = owner

    def build_services(self) -> None:
        for cls, owner in self._service_owner.items():
            if cls not in self._services:
                self._services[cls] = cls(self.scope(owner))

    def service(self, cls: type[T], caller: str) -> T:
        """``cls`` as ``caller`` sees it. A service that defines ``for_caller(scope)`` gets a
        handle that knows who asked (the points ledger records the source plugin from it)."""
        owner = self._service_owner.get(cls)
        if owner is None or cls not in self._services:
            raise PluginError(f"service {cls.__name__} is not available (is its plugin enabled?)")
        if caller not in (owner, "core"):
            plugin = self.plugins.get(caller)
            if plugin is not None and owner not in plugin.requires + plugin.optional:
                raise PluginError(f"plugin {caller} uses {cls.__name__} without requires=[{owner!r}]")
        bound = self._bound.get((cls, caller))
        if bound is None:
            instance = self._services[cls]
            for_caller = getattr(instance, "for_caller", None)
            bound = for_caller(self.scope(caller)) if for_caller else instance
            self._bound[(cls, caller)] = bound
        return bound

    def has_service(self, cls: type) -> bool:
        return cls in self._services

    def plugins_needing_content(self) -> list[str]:
        """Plugins that read ordinary message text; disarmed where a platform withholds it."""
        return sorted(name for name, p in self.plugins.items() if p.needs_content)

    # -- levels, locales -------------------------------------------------------------------------
    async def level_of(self, event: Event, right: str | None = None) -> PermissionLevel:
        if event.user is None:
            return PermissionLevel.MEMBER
        return await self.level(event.platform, event.guild.id if event.guild else None, event.user.id, right)

    async def level(
        self, platform: str, guild_id: str | None, user_id: str, right: str | None = None
    ) -> PermissionLevel:
        """A user's level in a group at the platform's real level; owners from config are
        OWNER everywhere."""
        if f"{platform}:{user_id}" in self.owners:
            return PermissionLevel.OWNER
        if guild_id is None:
            return PermissionLevel.MEMBER
        try:
            return await self.adapters[platform].get_level(guild_id, user_id, right)
        except PlatformError as exc:
            log.warning("%s: cannot read the level of %s: %s", platform, user_id, exc)
            return PermissionLevel.MEMBER

    async def locale_for(self, event: Event) -> str:
        """The member's choice, else the group's, else the platform's language, else config."""
        if event.user is not None:
            account = await self.roster.account(event.platform, event.user)
            if account.locale:
                return account.locale
        if event.guild is not None:
            settings = await self.roster.settings(event.platform, event.guild.id, event.guild.name)
            if settings.locale:
                return settings.locale
        return normalize_locale(event.locale) or self.config.bot.locale

    # -- output ----------------------------------------------------------------------------------
    async def _store_buttons(
        self, platform: str, channel_id: str | None, message: Outgoing, plugin: str
    ) -> Outgoing:
        if not message.buttons:
            return message
        now = self.clock.now()
        rows, tokens = [], []
        for row in message.buttons:
            out_row = []
            for button in row:
                if button.url or button.id:
                    out_row.append(button)
                    continue
                token = secrets.token_urlsafe(12)
                tokens.append(
                    ButtonToken(
                        id=token, plugin=plugin, action=button.action, payload=button.payload,
                        platform=platform, channel_id=channel_id, only_user=button.only_user,
                        created_at=now,
                    )
                )
                out_row.append(replace(button, id=token))
            rows.append(tuple(out_row))
        if tokens:
            await ButtonToken.bulk_create(tokens)
        return message.replace(buttons=tuple(rows))

    async def deliver(
        self, platform: str, channel_id: str, message: Outgoing, plugin: str, *, wait: bool = False
    ) -> SentMessage | None:
        """Send ``message`` to a channel. While an event is handled, a message that would wait
        for the channel's flood limit (or behind messages already waiting) is kept in the
        outbox and sent at the platform's pace: then None is returned. ``wait``: send it now
        whatever the wait, to get its id (a message the plugin edits or deletes later)."""
        message = await self._store_buttons(platform, channel_id, message, plugin)
        _sending()
        adapter = self.adapters[platform]
        if not wait and HANDLING.get() and (
            self.outbox.waiting(platform, channel_id) or adapter.send_delay(channel_id) > 0
        ):
            await self.outbox.put(platform, channel_id, message, plugin)
            return None
        return await adapter.send(channel_id, message)

    async def deliver_private(
        self, platform: str, user_id: str, message: Outgoing, plugin: str
    ) -> SentMessage:
        message = await self._store_buttons(platform, None, message, plugin)
        _sending()
        return await self.adapters[platform].send_private(user_id, message)

    async def deliver_interaction(
        self, event: Event, interaction: Any, message: Outgoing, plugin: str
    ) -> SentMessage | None:
        channel = event.channel.id if event.channel else None
        message = await self._store_buttons(event.platform, channel, message, plugin)
        _sending()
        return await self.adapters[event.platform].reply_interaction(interaction, message)

    async def main_channel(self, group: GroupRef) -> str | None:
        """Where a group is addressed: the group itself on Telegram and the console, the
        system or first writable channel on Discord."""
        adapter = self.adapters[group.platform]
        finder = getattr(adapter, "main_channel", None)
        return await finder(group.id) if finder else group.id

    async def audit(
        self, plugin: str, action: str, *, platform: str, group: GroupRef | None,
        actor: str | None, target: str | None, detail: dict[str, Any],
    ) -> None:
        await AuditEntry.create(
            time=self.clock.now(), platform=platform, guild_id=group.key if group else None,
            actor=actor, plugin=plugin, action=action, target=target, detail=detail,
        )

    async def sync_commands(self, platform: str) -> None:
        """An adapter is online (first time or after a reconnect): publish its command menu
        when the command set changed since the last sync."""
        adapter = self.adapters[platform]
        texts = {loc: self._command_texts(loc) for loc in ("zh", "en")}
        signature = self.commands.signature(texts)
        key = f"commands:{platform}:{adapter.self_id}"
        state = await SyncState.filter(key=key).first()
        if state is not None and state.value == signature:
            return
        try:
            if await adapter.sync_commands(list(self.commands), texts):
                await SyncState.update_or_create(key=key, defaults={"value": signature})
        except PlatformError as exc:
            log.warning("%s: command menu not synced: %s", platform, exc)

    def _command_texts(self, locale: str) -> dict[str, str]:
        return {
            spec.name: self.catalog.t(spec.description, locale) if spec.description else ""
            for spec in self.commands
        }

    # -- whole-bot changes -----------------------------------------------------------------------
    async def delete_user_data(self, platform: str, user_id: str, locale: str) -> list[str]:
        """Forget a user everywhere: every plugin's rows (``bot_delete_user_data``), then the
        core's account and roster rows. Returns the plugins' notes for the user."""
        await self.roster.flush()
        self.roster.forget_counts(platform, user_id)  # held for a batch: gone with the rows
        notes = await self.hooks.call(
            "bot_delete_user_data", platform=platform, user_id=user_id, locale=locale
        )
        await delete_core_user_data(platform, user_id)
        self.roster.forget_caches()
        return [note for note in notes if note]

    async def migrate_guild(self, platform: str, old_id: str, new_id: str) -> bool:
        """A group changed id (Telegram group -> supergroup): its row takes the new id, its key
        stays, so no row keyed by the group moves. Runs at most once per (old, new) pair,
        however often and in whatever order the platform reports it; returns False when it
        was already done."""
        claim = f"migrated:{platform}:{old_id}->{new_id}"
        await self.roster.flush()
        async with in_transaction():
            try:
                await SyncState.create(key=claim, value=self.clock.now().isoformat())
            except IntegrityError:
                return False
            await self.roster.migrate(platform, old_id, new_id)
            # Buttons in the group's chat are addressed by its channel id, the old id.
            await ButtonToken.filter(platform=platform, channel_id=old_id).update(channel_id=new_id)
        self.roster.forget_caches()
        return True
