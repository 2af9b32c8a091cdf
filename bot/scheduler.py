"""Scheduled jobs, owned by the core.

Every cron spec is read in local time: per-guild jobs in each guild's timezone, global jobs in
the bot's default timezone. Slots are computed with cronsim (DST-aware) and each slot is claimed
by inserting a unique ``(job, scope, slot)`` row before it runs, so a slot runs at most once
across restarts, DST folds (aiocron may fire twice around one) and several bot processes.
A single aiocron tick each minute wakes the scheduler on the real clock; the fake clock wakes it
on every move. Slots missed while the bot was down are caught up once at start.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import aiocron
from cronsim import CronSim, CronSimError
from tortoise.exceptions import IntegrityError

from bot.clock import FakeClock
from bot.message import Content, as_outgoing
from bot.storage.models import GuildSettings, JobRun

if TYPE_CHECKING:
    from bot.adapters.base import SentMessage
    from bot.app import App
    from bot.plugin import CronSpec

__all__ = ["JobContext", "Scheduler", "latest_slot", "validate_cron"]

log = logging.getLogger(__name__)
T = TypeVar("T")
GLOBAL_SCOPE = "*"
# How far back a catch-up looks; older slots are history, not work.
CATCH_UP_WINDOW = timedelta(days=2)


def validate_cron(spec: str) -> None:
    try:
        CronSim(spec, datetime(2026, 1, 1))
    except CronSimError as exc:
        raise ValueError(f"bad cron spec {spec!r}: {exc}") from None


def latest_slot(spec: str, tz: ZoneInfo, after: datetime, until: datetime) -> datetime | None:
    """The latest slot of ``spec`` in (after, until], as an aware UTC datetime."""
    if until <= after:
        return None
    latest = None
    for local in CronSim(spec, after.astimezone(tz)):
        if local > until:
            break
        latest = local
    return latest.astimezone(ZoneInfo("UTC")) if latest else None


@dataclass(slots=True)
class JobContext:
    """What a job sees: the app, its scope (a guild or the whole bot), the slot it runs for."""

    app: App
    job: str
    plugin: str
    slot: datetime
    timezone: ZoneInfo
    locale: str
    platform: str | None = None
    guild_id: str | None = None

    @property
    def local_slot(self) -> datetime:
        return self.slot.astimezone(self.timezone)

    @property
    def config(self) -> Any:
        return self.app.plugin_config(self.plugin)

    def service(self, cls: type[T]) -> T:
        return self.app.service(cls, requested_by=self.plugin)

    def t(self, key: str, /, **params: Any) -> str:
        return self.app.catalog.t(key, self.locale, **params)

    async def send(self, content: Content) -> SentMessage | None:
        """Post in the guild's main channel (the group itself on Telegram and the console)."""
        if self.platform is None or self.guild_id is None:
            raise RuntimeError(f"{self.job} is not a per-guild job: nowhere to send")
        channel = await self.app.main_channel(self.platform, self.guild_id)
        if channel is None:
            return None
        return await self.app.deliver(self.platform, channel, as_outgoing(content), self.plugin)


@dataclass(frozen=True, slots=True)
class _Scope:
    key: str
    tz: ZoneInfo
    locale: str
    platform: str | None
    guild_id: str | None


class Scheduler:
    def __init__(self, app: App) -> None:
        self.app = app
        self.jobs: list[tuple[str, CronSpec]] = []
        self._checked: dict[tuple[str, str], datetime] = {}
        self._running: set[tuple[str, str]] = set()
        self._tick: aiocron.Cron | None = None
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self.started = False
        self.detached = False

    def add(self, plugin: str, spec: CronSpec) -> None:
        validate_cron(spec.spec)
        self.jobs.append((plugin, spec))

    async def start(self) -> None:
        """Catch up missed slots, then follow the clock."""
        self.started = True
        clock = self.app.clock
        if isinstance(clock, FakeClock):
            clock.on_advance(self.run_due)
        else:
            # On the real clock a job runs as a task of its own, so one slow or stuck job never
            # holds up the others (its next slots are skipped while it still runs).
            self.detached = True
            self._tick = aiocron.Cron("* * * * *", self.run_due, start=True, tz=ZoneInfo("UTC"))
        await self.run_due(catching_up=True)

    async def stop(self, grace: float = 10.0) -> None:
        self.started = False
        if self._tick is not None:
            self._tick.stop()
            self._tick = None
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in pending:
                log.warning("job still running at stop: %s", task.get_name())
                task.cancel()

    async def run_due(self, catching_up: bool = False) -> None:
        if not self.started:
            return
        # One pass at a time: a long job must not let the next tick claim the same work twice.
        async with self._lock:
            await self.app.roster.flush()  # jobs read the roster: give them its latest activity
            now = self.app.clock.now()
            for plugin, spec in self.jobs:
                for scope in await self._scopes(spec):
                    await self._run_scope(plugin, spec, scope, now, catching_up)

    async def run_now(self, job: str, platform: str | None = None, guild_id: str | None = None) -> None:
        """Run a job immediately for one scope (tests, ``fake.run_job``), outside any slot."""
        for plugin, spec in self.jobs:
            if spec.name == job:
                scopes = await self._scopes(spec)
                for scope in scopes:
                    if guild_id is None or (scope.platform, scope.guild_id) == (platform, guild_id):
                        await self._execute(plugin, spec, scope, self.app.clock.now())
                return
        raise KeyError(f"no job named {job!r}")

    async def _scopes(self, spec: CronSpec) -> list[_Scope]:
        default_locale = self.app.config.bot.locale
        if not spec.per_guild:
            tz = ZoneInfo(self.app.config.bot.timezone)
            return [_Scope(GLOBAL_SCOPE, tz, default_locale, None, None)]
        platforms = list(self.app.adapters)
        guilds = await GuildSettings.filter(active=True, platform__in=platforms).all()
        return [
            _Scope(
                f"{g.platform}:{g.guild_id}",
                self.app.roster.timezone_of(g),
                g.locale or default_locale,
                g.platform,
                g.guild_id,
            )
            for g in guilds
        ]

    async def _run_scope(
        self, plugin: str, spec: CronSpec, scope: _Scope, now: datetime, catching_up: bool
    ) -> None:
        key = (spec.name, scope.key)
        since = self._checked.get(key)
        if since is None:
            # First look at this job and scope. At start, resume after its last recorded slot
            # (a missed slot runs once); a scope that appears later (a new group) starts now.
            since = now - timedelta(minutes=1) if not catching_up else now
            if catching_up and spec.catch_up:
                last = await JobRun.filter(job=spec.name, scope=scope.key).order_by("-slot").first()
                if last is not None:
                    since = max(last.slot, now - CATCH_UP_WINDOW)
        self._checked[key] = now
        slot = latest_slot(spec.spec, scope.tz, since, now)
        if slot is None or key in self._running:
            return
        try:
            await JobRun.create(job=spec.name, scope=scope.key, slot=slot, started_at=self.app.clock.now())
        except IntegrityError:
            return  # this slot already ran (a restart, a DST fold, another process)
        except Exception:
            log.exception("job %s: slot %s for %s not claimed", spec.name, slot, scope.key)
            return
        # Claimed: the slot counts as running from here, so the next tick cannot start it again.
        self._running.add(key)
        run = self._execute(plugin, spec, scope, slot, record=True)
        if self.detached:
            task = asyncio.create_task(run, name=f"{spec.name} {scope.key}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            await run

    async def _execute(
        self, plugin: str, spec: CronSpec, scope: _Scope, slot: datetime, record: bool = False
    ) -> None:
        key = (spec.name, scope.key)
        self._running.add(key)
        job = JobContext(
            self.app, spec.name, plugin, slot, scope.tz, scope.locale, scope.platform, scope.guild_id
        )
        status, error = "done", None
        try:
            await spec.handler(job)
        except Exception as exc:
            status, error = "failed", repr(exc)[:2000]
            log.exception("plugin %s: job %s failed for %s", plugin, spec.name, scope.key)
            await self.app.hooks.call("bot_job_error", job=job, error=exc)
        finally:
            self._running.discard(key)
        if record:
            await JobRun.filter(job=spec.name, scope=scope.key, slot=slot).update(
                status=status, error=error, finished_at=self.app.clock.now()
            )

