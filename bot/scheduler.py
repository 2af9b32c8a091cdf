"""Scheduled jobs, owned by the core.

Every cron spec is read in local time: per-group jobs in each group's timezone, global jobs in
the bot's default timezone. Slots are computed with cronsim (DST-aware) and each slot is claimed
by inserting a unique ``(job, scope, slot)`` row before it runs, so a slot runs at most once
across restarts, DST folds (aiocron may fire twice around one) and several bot processes.

The clock wakes the scheduler (once a minute on the real clock, on every move of the fake one)
and every job runs as a task of its own, so a slow or stuck job never holds up the others; a
job and scope never overlap with themselves. Slots missed while the bot was down follow the
job's ``catch_up``: all of them in order, the latest, or none.

A job that fails on a passing database error (a lost connection, a file locked by another
process, a full disk: bot.storage.faults) is run again from its start while it has sent
nothing, a bounded number of times within seconds, as an event's handler is; a slot that
could not even be claimed stays due for the next tick.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError
from tortoise.exceptions import IntegrityError

from bot.context import JobContext
from bot.plugin import CronSpec
from bot.refs import GroupRef
from bot.runtime import SENT, Runtime
from bot.storage.faults import retrying
from bot.storage.models import JobRun

__all__ = ["Scheduler", "slots_between", "validate_cron"]

log = logging.getLogger(__name__)
UTC = ZoneInfo("UTC")
GLOBAL_SCOPE = "*"
# How far back a catch-up looks; older slots are history, not work.
CATCH_UP_WINDOW = timedelta(days=2)
# A job that skips missed slots still runs the one its tick is for (ticks come a minute apart).
TICK = timedelta(minutes=1)


def validate_cron(spec: str) -> None:
    try:
        CronSim(spec, datetime(2026, 1, 1))
    except CronSimError as exc:
        raise ValueError(f"bad cron spec {spec!r}: {exc}") from None


def slots_between(spec: str, tz: ZoneInfo, after: datetime, until: datetime) -> list[datetime]:
    """The slots of ``spec`` in (after, until], oldest first, as aware UTC datetimes."""
    found: list[datetime] = []
    if until <= after:
        return found
    for local in CronSim(spec, after.astimezone(tz)):
        if local > until:
            break
        found.append(local.astimezone(UTC))
    return found


def _is_group(group: GroupRef | None, platform: str | None, guild_id: str) -> bool:
    return group is not None and (group.platform, group.id) == (platform, guild_id)


def _next_slot(spec: str, tz: ZoneInfo, after: datetime) -> datetime:
    return next(iter(CronSim(spec, after.astimezone(tz)))).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class _Scope:
    key: str
    tz: ZoneInfo
    locale: str
    group: GroupRef | None


class Scheduler:
    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self.jobs: list[tuple[str, CronSpec]] = []
        self._checked: dict[tuple[str, str], datetime] = {}
        self._running: set[tuple[str, str]] = set()
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._stop_waking: object = None
        self.started = False

    def add(self, plugin: str, spec: CronSpec, config: Any = None) -> None:
        if callable(spec.spec):
            spec = replace(spec, spec=spec.spec(config))
        validate_cron(spec.spec)
        self.jobs.append((plugin, spec))

    async def start(self) -> None:
        """Catch up missed slots, then follow the clock."""
        self.started = True
        self._stop_waking = self._runtime.clock.wake(self.run_due, self.next_due)
        await asyncio.gather(*await self.run_due(catching_up=True), return_exceptions=True)

    async def stop(self, grace: float = 10.0) -> None:
        self.started = False
        if callable(self._stop_waking):
            self._stop_waking()
            self._stop_waking = None
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in pending:
                log.warning("job still running at stop: %s", task.get_name())
                task.cancel()

    async def next_due(self, now: datetime) -> datetime | None:
        """The next slot of a job that runs every missed slot (a jumping clock stops there)."""
        due = None
        for _plugin, spec in self.jobs:
            if spec.catch_up != "all":
                continue
            for scope in await self._scopes(spec):
                slot = _next_slot(spec.spec, scope.tz, now)
                due = slot if due is None else min(due, slot)
        return due

    async def run_due(self, catching_up: bool = False) -> list[asyncio.Task[None]]:
        """Claim and start every due slot; returns the tasks started."""
        if not self.started:
            return []
        started: list[asyncio.Task[None]] = []
        # One pass at a time: two ticks must not claim the same work twice.
        async with self._lock:
            try:
                await self._runtime.roster.flush()  # jobs read the roster: its latest activity
            except Exception:
                log.exception("scheduler: the roster's activity not written before the jobs")
            now = self._runtime.clock.now()
            for plugin, spec in self.jobs:
                try:
                    scopes = await self._scopes(spec)
                except Exception:
                    # The database is away: this job's slots stay due for the next tick.
                    log.exception("job %s: its groups could not be read", spec.name)
                    continue
                for scope in scopes:
                    task = await self._start_scope(plugin, spec, scope, now, catching_up)
                    if task is not None:
                        started.append(task)
        return started

    async def run_now(self, job: str, platform: str | None = None, guild_id: str | None = None) -> None:
        """Run a job immediately for one scope (tests, ``fake.run_job``), outside any slot."""
        for plugin, spec in self.jobs:
            if spec.name != job:
                continue
            now = self._runtime.clock.now()
            tasks = [
                self._spawn(plugin, spec, scope, [now], record=False)
                for scope in await self._scopes(spec)
                if guild_id is None or _is_group(scope.group, platform, guild_id)
            ]
            await asyncio.gather(*tasks, return_exceptions=True)
            return
        raise KeyError(f"no job named {job!r}")

    async def _scopes(self, spec: CronSpec) -> list[_Scope]:
        default_locale = self._runtime.config.bot.locale
        if not spec.per_guild:
            return [_Scope(GLOBAL_SCOPE, ZoneInfo(self._runtime.config.bot.timezone), default_locale, None)]
        groups = await self._runtime.roster.groups(list(self._runtime.adapters))
        return [_Scope(g.ref.gid, g.timezone, g.locale or default_locale, g.ref) for g in groups]

    async def _start_scope(
        self, plugin: str, spec: CronSpec, scope: _Scope, now: datetime, catching_up: bool
    ) -> asyncio.Task[None] | None:
        key = (spec.name, scope.key)
        since = self._checked.get(key)
        if since is None:
            # First look at this job and scope. At start, resume after its last recorded slot;
            # a scope that appears later (a new group) starts now.
            since = now - TICK
            if catching_up:
                last = await JobRun.filter(job=spec.name, scope=scope.key).order_by("-slot").first()
                since = max(last.slot, now - CATCH_UP_WINDOW) if last is not None else now
        if key in self._running:
            return None  # no overlap: the slots stay due until it is done
        self._checked[key] = now
        slots = slots_between(spec.spec, scope.tz, since, now)
        if spec.catch_up == "latest":
            slots = slots[-1:]
        elif spec.catch_up == "none":
            slots = [s for s in slots if s > now - TICK]
        claimed = []
        for slot in slots:
            try:
                await retrying(
                    functools.partial(
                        JobRun.create, job=spec.name, scope=scope.key, slot=slot, started_at=now
                    ),
                    f"job {spec.name}: claiming a slot for {scope.key}",
                )
            except IntegrityError:
                continue  # this slot already ran (a restart, a DST fold, another process)
            except Exception:
                log.exception("job %s: slot %s for %s not claimed", spec.name, slot, scope.key)
                # It and the slots after it stay due: the next tick looks again from here.
                self._checked[key] = claimed[-1] if claimed else since
                break
            claimed.append(slot)
        if not claimed:
            return None
        return self._spawn(plugin, spec, scope, claimed, record=True)

    def _spawn(
        self, plugin: str, spec: CronSpec, scope: _Scope, slots: list[datetime], record: bool
    ) -> asyncio.Task[None]:
        key = (spec.name, scope.key)
        self._running.add(key)
        task = asyncio.create_task(
            self._run(plugin, spec, scope, slots, record), name=f"{spec.name} {scope.key}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda _t: self._running.discard(key))
        return task

    async def _run(
        self, plugin: str, spec: CronSpec, scope: _Scope, slots: list[datetime], record: bool
    ) -> None:
        for slot in slots:
            job = JobContext(
                self._runtime, plugin, job=spec.name, slot=slot, timezone=scope.tz,
                locale=scope.locale, group=scope.group,
            )
            status, error = "done", None
            sent = [0]
            token = SENT.set(sent)
            try:
                await retrying(
                    functools.partial(spec.handler, job), f"job {spec.name} for {scope.key}",
                    should_retry=lambda: sent[0] == 0,  # noqa: B023 - called within this iteration
                )
            except Exception as exc:
                status, error = "failed", repr(exc)[:2000]
                log.exception("plugin %s: job %s failed for %s", plugin, spec.name, scope.key)
                await self._runtime.hooks.call("bot_job_error", job=job, error=exc)
            finally:
                SENT.reset(token)
            if record:
                await self._record_end(spec.name, scope.key, slot, status, error)

    async def _record_end(self, job: str, scope: str, slot: datetime, status: str, error: str | None) -> None:
        finished = self._runtime.clock.now()
        try:
            await retrying(
                lambda: JobRun.filter(job=job, scope=scope, slot=slot).update(
                    status=status, error=error, finished_at=finished
                ),
                f"job {job}: recording the end of a slot",
            )
        except Exception:
            log.exception("job %s: the end of slot %s not recorded", job, slot)
