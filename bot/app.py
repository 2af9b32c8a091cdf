"""The application: config -> database -> plugins -> adapters -> schedules; reverse on stop.

``App`` is what runs a bot and what adapters talk to (:class:`bot.adapters.base.Host`).
Plugins never see it: they get their :class:`bot.context.Scope`.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from tortoise.connection import connections

from bot import builtins, hookspecs
from bot.adapters.base import Adapter
from bot.clock import Clock, SystemClock
from bot.config import Config, ConfigError, format_validation_error
from bot.context import Scope
from bot.dispatch import Dispatcher
from bot.events import AdapterOffline, AdapterOnline, Event
from bot.permissions import PermissionLevel
from bot.plugin import Plugin, PluginError, discover_plugins
from bot.runtime import Runtime
from bot.scheduler import Scheduler
from bot.storage import AppModels, Deferred, PlainSQL, close_database, open_database
from bot.storage.faults import retrying
from bot.storage.models import SyncState
from bot.tally import Batch

__all__ = ["App"]

log = logging.getLogger(__name__)
CORE_LOCALES = Path(__file__).parent / "locales"
ROSTER_FLUSH_SECONDS = 1.0
# App.stop: the longest each step may take (an adapter finishing its updates, the roster's
# last write with its retries), and closing the database.
STOP_STEP_SECONDS = 30.0
STOP_CLOSE_SECONDS = 15.0


def keep_startup_objects() -> None:
    """What start-up built (modules, plugins, models, caches, the roster's index) lives as long
    as the process: take it out of the cycle collector's care, so a full collection walks only
    what the bot made since instead of pausing a message for every object of the process. For
    the process that runs the bot (``qunbot run``); not for one that starts many apps (tests)."""
    gc.collect()
    gc.freeze()


_SAVE_STATE = PlainSQL(
    'INSERT INTO "core_sync_state" ("key","value") VALUES ({},{}) '
    'ON CONFLICT ("key") DO UPDATE SET "value"=excluded."value"'
)


class App:
    """One running bot. ``plugins``: the plugins to consider (default: every installed one);
    the config's ``[plugins] enabled/disabled`` then chooses among them. The built-in plugin
    (``/help``, ``/lang``, ``/timezone``, ``/id``, ``/forgetme``) is always loaded."""

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
        self._runtime = Runtime(config, clock or SystemClock(), Scope)
        self._runtime.hooks.add_specs(hookspecs)
        self._runtime.adapters.update({a.platform: a for a in adapters})
        self._scheduler = Scheduler(self._runtime)
        self._dispatcher = Dispatcher(self._runtime)
        self._database_url = database_url or config.database.url
        self.available = plugins if plugins is not None else discover_plugins()
        self.running = False
        self._flusher: asyncio.Task[None] | None = None
        # Each platform's last AdapterOnline/AdapterOffline: stopping tells plugins "offline"
        # once, and not again for an adapter whose connection was already lost.
        self._online: dict[str, bool] = {}

    # -- the host adapters see --------------------------------------------------------------------
    @property
    def clock(self) -> Clock:
        return self._runtime.clock

    @property
    def catalog(self) -> Any:
        return self._runtime.catalog

    @property
    def commands(self) -> Any:
        return self._runtime.commands

    @property
    def default_locale(self) -> str:
        return self.config.bot.locale

    async def dispatch(self, event: Event) -> None:
        if isinstance(event, AdapterOnline | AdapterOffline):
            self._online[event.platform] = isinstance(event, AdapterOnline)
        await self._dispatcher.dispatch(event)

    async def locale_for(self, event: Event) -> str:
        return await self._runtime.locale_for(event)

    async def level_of(self, event: Event, right: str | None = None) -> PermissionLevel:
        return await self._runtime.level_of(event, right)

    def plugins_needing_content(self) -> list[str]:
        return self._runtime.plugins_needing_content()

    async def migrate_guild(self, platform: str, old_id: str, new_id: str) -> bool:
        return await self._runtime.migrate_guild(platform, old_id, new_id)

    async def load_state(self, key: str) -> str | None:
        row = await SyncState.filter(key=key).first()
        return row.value if row is not None else None

    async def save_state(self, key: str, value: str) -> None:
        # A passing database error (PostgreSQL may end a transaction as a deadlock's victim)
        # rolls the whole batch back: it is written again from the start.
        await retrying(lambda: self._save_state(key, value), "confirming updates")

    async def _save_state(self, key: str, value: str) -> None:
        # One commit with everything counted in memory (bot.tally): what an adapter confirms
        # to its platform after this (a batch of updates) has all of its effects durable, and
        # what it did not confirm has none of its counts written. The batch takes the counts
        # before the first await, at the moment the adapter made ``value``. Its writers only
        # write, so their statements are kept and sent together: on PostgreSQL one round trip.
        batch = Batch()
        try:
            writes = batch.connection = Deferred(connections.get("default").capabilities)
            await self._runtime.roster.flush(batch)
            await self._runtime.hooks.call_in_transaction("bot_commit_batch", batch=batch)
            await writes.execute_many(_SAVE_STATE.on(writes), [[key, value]])
            await writes.run()
        except BaseException:
            batch.rolled_back()
            raise
        batch.committed()
        await batch.run_after_commit()

    # -- what tools and tests may ask --------------------------------------------------------------
    @property
    def plugins(self) -> dict[str, Plugin]:
        """The loaded plugins by name (the built-in one is ``core``)."""
        return self._runtime.plugins

    @property
    def adapters(self) -> dict[str, Adapter]:
        return self._runtime.adapters

    def adapter(self, platform: str) -> Adapter:
        return self._runtime.adapters[platform]

    def scope(self, plugin: str) -> Scope:
        """A plugin's scope (maintenance commands, tests)."""
        if plugin not in self._runtime.plugins:
            raise PluginError(f"plugin {plugin} is not loaded")
        return self._runtime.scope(plugin)

    def plugin_config(self, name: str) -> Any:
        return self._runtime.plugin_configs.get(name)

    async def run_job(self, job: str, platform: str | None = None, guild_id: str | None = None) -> None:
        """Run a scheduled job now, for one group or all (tests, ``fake.run_job``)."""
        await self._scheduler.run_now(job, platform, guild_id)

    async def drain_outbox(self) -> None:
        """Wait until the messages waiting for a flood limit are sent (tests, the console)."""
        await self._runtime.outbox.drain()

    async def flush(self) -> None:
        """Write what is held in memory (the roster's latest activity)."""
        await self._runtime.roster.flush()

    # -- loading ---------------------------------------------------------------------------------
    def load_plugins(self) -> None:
        """Choose, validate and order the plugins; bind their declarations."""
        self._runtime.catalog.load_dir("bot", CORE_LOCALES)
        chosen = {builtins.plugin.name: builtins.plugin, **self._choose_plugins()}
        for plugin in _ordered(chosen):
            self._bind(plugin)
        self._runtime.commands.localize(self._runtime.catalog)

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
        runtime = self._runtime
        plugin.load()
        raw = self.config.plugins.section(plugin.name)
        if plugin.config is not None:
            try:
                runtime.plugin_configs[plugin.name] = plugin.config.model_validate(raw)
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
            runtime.catalog.load_dir(plugin.name, plugin.locales)
        if plugin.hookspecs is not None:
            runtime.hooks.add_specs(plugin.hookspecs)
        for obj in plugin.hook_objects:
            runtime.hooks.register(obj, name=f"{plugin.name}:{getattr(obj, '__name__', id(obj))}")
        for spec in plugin.commands:
            runtime.commands.add(spec)
        for cron in plugin.crons:
            self._scheduler.add(plugin.name, cron, runtime.plugin_configs.get(plugin.name))
        for cls in plugin.services:
            runtime.offer_service(plugin.name, cls)
        runtime.plugins[plugin.name] = plugin

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
        await open_database(self._database_url, self.models())
        self._runtime.build_services()

    async def start(self) -> None:
        await self.open()
        await self._runtime.hooks.call("bot_startup")
        self.running = True
        for adapter in self.adapters.values():
            await adapter.start(self)
        await self._runtime.outbox.resume()
        self._flusher = asyncio.create_task(self._flush_roster_every(ROSTER_FLUSH_SECONDS))
        await self._scheduler.start()

    async def _flush_roster_every(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await self._runtime.roster.flush()
            except Exception:
                log.exception("roster activity not written yet; retrying")

    async def stop(self) -> None:
        """Stop everything, in order. Bounded whatever fails (a full disk, a database that went
        away, an adapter that hangs): each step is logged and given up after its time limit,
        and the next one runs, so the process always gets to exit."""
        if not self.running:
            await _bounded("close the database", close_database(), STOP_CLOSE_SECONDS)
            return
        self.running = False
        await _bounded("stop the scheduler", self._scheduler.stop(), STOP_STEP_SECONDS)
        await _bounded("stop the outbox", self._runtime.outbox.stop(), STOP_STEP_SECONDS)
        for adapter in reversed(list(self.adapters.values())):
            await _bounded(f"stop adapter {adapter.platform}", adapter.stop(), STOP_STEP_SECONDS)
            if self._online.get(adapter.platform):
                offline = AdapterOffline(
                    platform=adapter.platform, self_id=adapter.self_id, timestamp=self.clock.now()
                )
                await _bounded(f"tell plugins {adapter.platform} is offline", self.dispatch(offline),
                               STOP_STEP_SECONDS)
        if self._flusher is not None:
            self._flusher.cancel()
            self._flusher = None
        flush = retrying(self._runtime.roster.flush, "the roster's last activity")
        await _bounded("write the roster's last activity", flush, STOP_STEP_SECONDS)
        await _bounded("shut the plugins down", self._runtime.hooks.call("bot_shutdown"), STOP_STEP_SECONDS)
        await _bounded("close the database", close_database(), STOP_CLOSE_SECONDS)

    async def __aenter__(self) -> App:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


async def _bounded(what: str, step: Awaitable[object], seconds: float) -> None:
    try:
        await asyncio.wait_for(step, seconds)
    except TimeoutError:
        log.error("stopping: could not %s within %.0f s; going on", what, seconds)
    except Exception:
        log.exception("stopping: could not %s; going on", what)


def _ordered(plugins: dict[str, Plugin]) -> list[Plugin]:
    """Plugins after the ones they require."""
    done: list[Plugin] = []
    seen: set[str] = set()

    def visit(plugin: Plugin, path: tuple[str, ...]) -> None:
        if plugin.name in seen:
            return
        if plugin.name in path:
            raise PluginError(f"plugins require each other in a circle: {' -> '.join((*path, plugin.name))}")
        for name in plugin.requires + tuple(n for n in plugin.optional if n in plugins):
            visit(plugins[name], (*path, plugin.name))
        seen.add(plugin.name)
        done.append(plugin)

    for plugin in plugins.values():
        visit(plugin, ())
    return done
