"""The application: config -> database -> plugins -> adapters -> schedules; reverse on stop."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot import hookspecs
from bot.adapters.base import Adapter, PlatformError, SentMessage
from bot.clock import Clock, SystemClock
from bot.commands import CommandRegistry
from bot.config import Config, ConfigError, format_validation_error
from bot.dispatch import Dispatcher
from bot.events import Event
from bot.i18n import Catalog, normalize_locale
from bot.message import Outgoing
from bot.permissions import PermissionLevel
from bot.plugin import HookDriver, Plugin, PluginError, discover_plugins
from bot.roster import Roster
from bot.scheduler import Scheduler
from bot.storage import AppModels, close_database, open_database
from bot.storage.models import (
    AuditEntry,
    ButtonToken,
    SyncState,
    delete_core_user_data,
    rekey_guild,
)

__all__ = ["App"]

log = logging.getLogger(__name__)
T = TypeVar("T")
CORE_LOCALES = Path(__file__).parent / "locales"
ROSTER_FLUSH_SECONDS = 1.0


class App:
    """One running bot. ``plugins``: the plugins to consider (default: every installed one);
    the config's ``[plugins] enabled/disabled`` then chooses among them."""

    def __init__(
        self,
        config: Config,
        *,
        adapters: Iterable[Adapter] = (),
        clock: Clock | None = None,
        plugins: dict[str, Plugin] | None = None,
        database_url: str | None = None,
    ) -> None:
        self.config = config
        self.clock = clock or SystemClock()
        self.database_url = database_url or config.database.url
        self.catalog = Catalog()
        self.commands = CommandRegistry()
        self.hooks = HookDriver()
        self.hooks.add_specs(hookspecs)
        self.roster = Roster(config.bot.timezone, config.bot.locale)
        self.scheduler = Scheduler(self)
        self.dispatcher = Dispatcher(self)
        self.adapters: dict[str, Adapter] = {a.platform: a for a in adapters}
        self.available = plugins if plugins is not None else discover_plugins()
        self.plugins: dict[str, Plugin] = {}
        self._plugin_configs: dict[str, Any] = {}
        self._services: dict[type, Any] = {}
        self._service_owner: dict[type, str] = {}
        self.owners = set(config.bot.owners)
        self.running = False
        self._flusher: asyncio.Task[None] | None = None

    # -- loading ---------------------------------------------------------------------------------
    def load_plugins(self) -> None:
        """Choose, validate and order the plugins; bind their declarations."""
        self.catalog.load_dir("bot", CORE_LOCALES)
        chosen = self._choose_plugins()
        for plugin in _ordered(chosen):
            self._bind(plugin)
        self.dispatcher.register_builtins()
        self.commands.localize(self.catalog)

    def _choose_plugins(self) -> dict[str, Plugin]:
        section = self.config.plugins
        for name in section.model_extra or {}:
            if name not in self.available:
                raise ConfigError(
                    f"invalid config in {self.config.source}:\n  plugins.{name}: no such plugin "
                    f"(installed: {', '.join(sorted(self.available)) or 'none'})"
                )
        wanted = section.enabled if section.enabled is not None else sorted(self.available)
        missing = [n for n in wanted if n not in self.available]
        if missing:
            raise ConfigError(
                f"invalid config in {self.config.source}:\n  plugins.enabled: unknown plugin(s) "
                f"{', '.join(missing)}"
            )
        chosen = {n: self.available[n] for n in wanted if n not in section.disabled}
        for plugin in chosen.values():
            absent = [r for r in plugin.requires if r not in chosen]
            if absent:
                raise ConfigError(
                    f"invalid config in {self.config.source}:\n  plugins.enabled: {plugin.name} "
                    f"requires {', '.join(absent)}, which is not enabled"
                )
        return chosen

    def _bind(self, plugin: Plugin) -> None:
        raw = self.config.plugins.section(plugin.name)
        if plugin.config is not None:
            try:
                self._plugin_configs[plugin.name] = plugin.config.model_validate(raw)
            except ValidationError as exc:
                raise ConfigError(
                    format_validation_error(exc, self.config.source, f"plugins.{plugin.name}")
                ) from None
        elif raw:
            raise ConfigError(
                f"invalid config in {self.config.source}:\n  plugins.{plugin.name}: this plugin "
                "takes no settings"
            )
        if plugin.locales is not None:
            self.catalog.load_dir(plugin.name, plugin.locales)
        if plugin.hookspecs is not None:
            self.hooks.add_specs(plugin.hookspecs)
        for obj in plugin.hook_objects:
            self.hooks.register(obj, name=f"{plugin.name}:{getattr(obj, '__name__', id(obj))}")
        for spec in plugin.commands:
            self.commands.add(spec)
        for cron in plugin.crons:
            self.scheduler.add(plugin.name, cron)
        for cls in plugin.services:
            self._service_owner[cls] = plugin.name
        self.plugins[plugin.name] = plugin

    def models(self) -> list[AppModels]:
        return [
            AppModels(p.name, p.models, p.migrations) for p in self.plugins.values() if p.models
        ]

    # -- lifecycle -------------------------------------------------------------------------------
    async def open(self) -> None:
        """Plugins loaded, database migrated, services built; nothing online yet (also what
        maintenance commands such as ``qunbot points verify`` need)."""
        if not self.plugins:
            self.load_plugins()
        await open_database(self.database_url, self.models())
        for plugin in self.plugins.values():
            for cls, factory in plugin.services.items():
                self._services[cls] = factory(self)

    async def start(self) -> None:
        await self.open()
        await self.hooks.call("bot_register", registry=self.commands)
        await self.hooks.call("bot_startup", app=self)
        for plugin in self.plugins.values():
            for handler in plugin.startup:
                await handler(self)
        for adapter in self.adapters.values():
            await adapter.start(self)
        self.running = True
        self._flusher = asyncio.create_task(self._flush_roster_every(ROSTER_FLUSH_SECONDS))
        for platform in self.adapters:
            await self.adapter_ready(platform)
        await self.scheduler.start()

    async def _flush_roster_every(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await self.roster.flush()
            except Exception:
                log.exception("roster activity not written yet; retrying")

    async def adapter_ready(self, platform: str) -> None:
        """An adapter is online (first time or after a reconnect): sync its command menu when
        the command set changed, then tell the plugins."""
        adapter = self.adapters[platform]
        texts = {loc: self._command_texts(loc) for loc in ("zh", "en")}
        signature = self.commands.signature(texts)
        key = f"commands:{platform}:{adapter.self_id}"
        state = await SyncState.filter(key=key).first()
        if state is None or state.value != signature:
            try:
                if await adapter.sync_commands(list(self.commands), texts):
                    await SyncState.update_or_create(key=key, defaults={"value": signature})
            except PlatformError as exc:
                log.warning("%s: command menu not synced: %s", platform, exc)
        await self.hooks.call("bot_adapter_ready", app=self, platform=platform)

    def _command_texts(self, locale: str) -> dict[str, str]:
        return {
            spec.name: self.catalog.t(spec.description, locale) if spec.description else ""
            for spec in self.commands
        }

    async def stop(self) -> None:
        if not self.running:
            await close_database()
            return
        self.running = False
        await self.scheduler.stop()
        for adapter in reversed(list(self.adapters.values())):
            try:
                await adapter.stop()
            except Exception:
                log.exception("adapter %s failed to stop cleanly", adapter.platform)
        if self._flusher is not None:
            self._flusher.cancel()
            self._flusher = None
        await self.roster.flush()
        await self.hooks.call("bot_shutdown", app=self)
        await close_database()

    async def __aenter__(self) -> App:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- services and config ---------------------------------------------------------------------
    def service(self, cls: type[T], requested_by: str | None = None) -> T:
        owner = self._service_owner.get(cls)
        if owner is None or cls not in self._services:
            raise PluginError(f"service {cls.__name__} is not available (is its plugin enabled?)")
        if requested_by and requested_by not in (owner, "core"):
            plugin = self.plugins.get(requested_by)
            if plugin is not None and owner not in plugin.requires:
                raise PluginError(f"plugin {requested_by} uses {cls.__name__} without requires=[{owner!r}]")
        return self._services[cls]

    def has_service(self, cls: type) -> bool:
        return cls in self._services

    def plugin_config(self, name: str) -> Any:
        return self._plugin_configs.get(name)

    def adapter(self, platform: str) -> Adapter:
        return self.adapters[platform]

    # -- levels, locales -------------------------------------------------------------------------
    async def level_of(self, event: Event, right: str | None = None) -> PermissionLevel:
        if event.user is None:
            return PermissionLevel.MEMBER
        if f"{event.platform}:{event.user.id}" in self.owners:
            return PermissionLevel.OWNER
        if event.guild is None:
            return PermissionLevel.MEMBER
        try:
            return await self.adapter(event.platform).get_level(event.guild.id, event.user.id, right)
        except PlatformError as exc:
            log.warning("%s: cannot read the level of %s: %s", event.platform, event.user.id, exc)
            return PermissionLevel.MEMBER

    async def locale_for(self, event: Event) -> str:
        """The member's choice, else the group's, else the platform's language, else config."""
        if event.user is not None:
            account = await self.roster.account(event.platform, event.user)
            if account.locale:
                return account.locale
        if event.guild is not None:
            settings = await self.roster.guild(event.platform, event.guild.id, event.guild.name)
            if settings.locale:
                return settings.locale
        return normalize_locale(event.locale) or self.config.bot.locale

    # -- output ----------------------------------------------------------------------------------
    async def _store_buttons(self, platform: str, channel_id: str | None, message: Outgoing, plugin: str) -> Outgoing:
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
                        id=token,
                        plugin=plugin,
                        action=button.action,
                        payload=button.payload,
                        platform=platform,
                        channel_id=channel_id,
                        only_user=button.only_user,
                        created_at=now,
                    )
                )
                out_row.append(replace(button, id=token))
            rows.append(tuple(out_row))
        if tokens:
            await ButtonToken.bulk_create(tokens)
        return message.replace(buttons=tuple(rows))

    async def deliver(self, platform: str, channel_id: str, message: Outgoing, plugin: str = "core") -> SentMessage:
        message = await self._store_buttons(platform, channel_id, message, plugin)
        return await self.adapter(platform).send(channel_id, message)

    async def deliver_private(self, platform: str, user_id: str, message: Outgoing, plugin: str = "core") -> SentMessage:
        message = await self._store_buttons(platform, None, message, plugin)
        return await self.adapter(platform).send_private(user_id, message)

    async def deliver_interaction(self, ctx: Any, interaction: Any, message: Outgoing) -> SentMessage | None:
        channel = ctx.event.channel.id if ctx.event.channel else None
        message = await self._store_buttons(ctx.platform, channel, message, ctx.plugin)
        return await self.adapter(ctx.platform).reply_interaction(interaction, message)

    async def main_channel(self, platform: str, guild_id: str) -> str | None:
        adapter = self.adapter(platform)
        finder = getattr(adapter, "main_channel", None)
        return await finder(guild_id) if finder else guild_id

    async def audit(self, event: Event | None, plugin: str, action: str, target: str | None, detail: dict[str, Any]) -> None:
        await AuditEntry.create(
            time=self.clock.now(),
            platform=event.platform if event else "",
            guild_id=event.guild.id if event and event.guild else None,
            actor=event.uid if event else None,
            plugin=plugin,
            action=action,
            target=target,
            detail=detail,
        )

    async def dispatch(self, event: Event) -> None:
        await self.dispatcher.dispatch(event)

    async def delete_user_data(self, platform: str, user_id: str) -> None:
        """Forget a user everywhere: every plugin's rows (``bot_delete_user_data``), then the
        core's account and roster rows."""
        await self.roster.flush()
        await self.hooks.call("bot_delete_user_data", platform=platform, user_id=user_id)
        await delete_core_user_data(platform, user_id)
        self.roster.forget_caches()

    def plugins_needing_content(self) -> list[str]:
        """Plugins that read ordinary message text; disarmed where a platform withholds it."""
        return sorted(name for name, p in self.plugins.items() if p.needs_content)

    async def migrate_guild(self, platform: str, old_id: str, new_id: str) -> bool:
        """Re-key every row of a group that changed id (Telegram group -> supergroup).

        Runs at most once per (old, new) pair, however often and in whatever order the platform
        reports it: the claim row and the core's re-keying commit in one transaction, then the
        plugins re-key their own rows through ``bot_guild_migrated``. Returns False when the
        migration was already done.
        """
        key = f"migrated:{platform}:{old_id}->{new_id}"
        await self.roster.flush()
        async with in_transaction():
            try:
                await SyncState.create(key=key, value=self.clock.now().isoformat())
            except IntegrityError:
                return False
            await rekey_guild(platform, old_id, new_id)
        self.roster.forget_caches()
        await self.hooks.call("bot_guild_migrated", platform=platform, old_id=old_id, new_id=new_id)
        return True


def _ordered(plugins: dict[str, Plugin]) -> list[Plugin]:
    """Plugins after the ones they require."""
    done: list[Plugin] = []
    seen: set[str] = set()

    def visit(plugin: Plugin, path: tuple[str, ...]) -> None:
        if plugin.name in seen:
            return
        if plugin.name in path:
            raise PluginError(f"plugins require each other in a circle: {' -> '.join((*path, plugin.name))}")
        for name in plugin.requires:
            visit(plugins[name], (*path, plugin.name))
        seen.add(plugin.name)
        done.append(plugin)

    for plugin in plugins.values():
        visit(plugin, ())
    return done
