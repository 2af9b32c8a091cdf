"""Telegram: update dicts -> ``Update.de_json`` -> python-telegram-bot's Application -> the real
Telegram adapter (bot.adapters.telegram) -> the core (App) and every installed plugin -> the
database. And, as the yardstick, the same dicts through a bare PTB Application whose one
handler does nothing.

The adapter is started the way production starts it, against the project's fake Bot API server
(bot.testing.fake_telegram) over HTTP: getMe, command menus, the polling loop. Then the PTB
bot's request object is replaced by :class:`~bench.stubs.MemoryRequest`, so what the message
path sends (replies, welcomes, deletes) is answered from memory; anything else still goes to the
fake server.

Two ways of feeding:

- ``sequential``: one update at a time: ``Update.de_json`` (as bare PTB gets it), then the
  adapter's entry for a getUpdates answer (``handle_batch``) with that one update, which
  returns once it is handled and its redelivery mark is durable. The latency is this whole
  span. (At low traffic every getUpdates brings one update.)
- ``lanes``: batches of ``batch`` updates (getUpdates' limit is 100) handed over at once; the
  adapter runs one lane per chat, chats side by side, and returns when the batch is handled
  and durable. The next batch comes then, as the adapter's own polling asks for it. Latencies
  are per event in the core (``App.dispatch``) and per batch.
"""

from __future__ import annotations

import asyncio
import cProfile
import time
from array import array
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, TypeHandler

from bench.common import StatementCounter, core_counts, disk_flushes, latency, memory, rss_mb
from bench.stubs import MemoryRequest
from bench.workload import (
    BOT_ID,
    BOT_USERNAME,
    OWNER_ID,
    START,
    TOKEN,
    Conversation,
    tg_chat_id,
    tg_user_id,
)
from bot.app import keep_startup_objects

__all__ = ["Dispatched", "Feed", "flush", "run_bare", "run_qunbot", "start_only", "throughput"]

BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Qunbot Bench", "username": BOT_USERNAME}
# No single wait in the benchmark is longer than this.
WAIT_LIMIT = 120.0
PROGRESS_EVERY = 1000


class Feed:
    """How much to feed and for how long: ``count`` updates at most, stopping early (at an
    update or batch boundary) once ``budget`` seconds have passed (0: no limit). Records
    ``(updates done, seconds)`` every 1000 updates, so runs of different lengths can be
    compared over the same prefix, and calls ``sample(done)`` every ``sample_every``."""

    def __init__(
        self,
        count: int,
        budget: float = 0.0,
        sample_every: int = 0,
        sample: Callable[[int], None] | None = None,
        profile: str = "",
    ) -> None:
        self.count = count
        self.profile = profile  # a file for cProfile's figures of the feed alone (start-up left out)
        self._profiler: cProfile.Profile | None = None
        self.budget = budget
        self.sample_every = sample_every
        self.sample = sample
        self.progress: list[tuple[int, float]] = []
        self.began = 0.0
        self.done = 0

    def start(self) -> None:
        if self.profile:
            self._profiler = cProfile.Profile()
            self._profiler.enable()
        self.began = time.perf_counter()

    def finish(self) -> float:
        """Seconds since :meth:`start`; the profile, if asked for, is written."""
        elapsed = time.perf_counter() - self.began
        if self._profiler is not None:
            self._profiler.disable()
            self._profiler.dump_stats(self.profile)
            self._profiler = None
        return elapsed

    def step(self, done: int) -> bool:
        """``done`` updates are handled; False when the budget is spent."""
        previous, self.done = self.done, done
        elapsed = time.perf_counter() - self.began
        if done // PROGRESS_EVERY > previous // PROGRESS_EVERY:
            self.progress.append((done, round(elapsed, 4)))
        if (
            self.sample is not None
            and self.sample_every
            and done // self.sample_every > previous // self.sample_every
        ):
            self.sample(done)
        return not (self.budget and elapsed >= self.budget)

    def report(self, total: int) -> dict[str, Any]:
        return {
            "updates": self.done,
            "complete": self.done >= total,
            "budget_s": self.budget or None,
            "progress": self.progress,
        }


def _date(update: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(update["message"]["date"], UTC)


# -- bare python-telegram-bot --------------------------------------------------------------------


async def run_bare(updates: list[dict[str, Any]], feed: Feed) -> dict[str, Any]:
    """An Application with one handler that does nothing, fed the same dicts the same way."""
    now = START

    def clock() -> datetime:
        return now

    application: Application = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(MemoryRequest(BOT_USER, clock))
        .get_updates_request(MemoryRequest(BOT_USER, clock))
        .updater(None)
        .job_queue(None)
        .build()
    )

    async def nothing(update: Update, context: Any) -> None:
        return None

    application.add_handler(TypeHandler(Update, nothing))
    started = time.perf_counter()
    await application.initialize()
    await application.start()
    startup = time.perf_counter() - started
    keep_startup_objects()  # the same treatment as qunbot's run
    bot = application.bot
    samples: list[int] = []
    todo = updates[: feed.count]
    try:
        feed.start()
        for n, data in enumerate(todo, 1):
            t0 = time.perf_counter_ns()
            await application.process_update(Update.de_json(data, bot))
            samples.append(time.perf_counter_ns() - t0)
            if not feed.step(n):
                break
        elapsed = feed.finish()
    finally:
        await application.stop()
        await application.shutdown()
    return {
        **feed.report(len(todo)),
        "seconds": round(elapsed, 3),
        "events_per_second": round(feed.done / elapsed),
        **latency(samples),
        "startup_s": round(startup, 4),
        **memory(),
    }


# -- qunbot --------------------------------------------------------------------------------------


def _paced_limiter(clock: Any) -> tuple[Any, dict[str, float]]:
    """The adapter's real flood limiter (20/min per group, 30/s overall) on *platform* time:
    the benchmark plays 10 messages a second of platform time in whatever real time it takes,
    so a wait is simulated (it moves the limiter's time forward) and counted, never slept."""
    stats = {"waits": 0, "waited_s": 0.0}
    offset = [0.0]

    async def sleep(seconds: float) -> None:
        offset[0] += seconds
        stats["waits"] += 1
        stats["waited_s"] += seconds
        await asyncio.sleep(0)

    try:
        from bot.adapters.telegram.limits import OutboundLimiter

        limiter = OutboundLimiter(time=lambda: clock.monotonic() + offset[0], sleep=sleep)
    except (ImportError, TypeError):
        return None, stats
    return limiter, stats


def _world(tg: Any, conv: Conversation) -> None:
    """The fake server knows the groups and members (for the calls it still answers)."""
    tg.add_user(OWNER_ID, "Olga", "olga")
    for member in conv.members:
        tg.add_user(
            tg_user_id(member.index), member.first_name, member.username, language_code=member.language
        )
    for group in range(conv.groups):
        chat = tg_chat_id(group)
        tg.add_chat(chat, f"Bench group {group}")
        tg.set_member(chat, OWNER_ID, "creator")
        if len(conv.members) <= 10_000:  # the roster run's 100k members stay unknown to it
            for member in conv.members:
                tg.set_member(chat, tg_user_id(member.index), "member")


def _build_app(tg: Any, clock: Any, database_url: str, limiter: Any) -> tuple[Any, Any]:
    """App(config, adapters=[TelegramAdapter], clock, plugins, database_url), as
    bot.testing.telegram builds it."""
    from bench.common import plugin_names
    from bot.adapters.telegram import TelegramAdapter
    from bot.app import App
    from bot.testing.driver import build_config, choose_plugins

    chosen = choose_plugins(plugin_names())
    # A long poll of 30 s: the idle polling loop costs (nearly) nothing during the run.
    endpoints = {"token": tg.token, "base_url": tg.base_url, "poll_timeout": 30}
    settings = build_config(None, chosen, telegram=endpoints)
    adapter = (
        TelegramAdapter(settings.telegram, limiter=limiter)
        if limiter is not None
        else TelegramAdapter(settings.telegram)
    )
    app = App(settings, adapters=[adapter], clock=clock, plugins=chosen, database_url=database_url)
    return app, adapter


class _Intake:
    """Hands the adapter a batch of updates, as its own long polling does with a getUpdates
    answer, and returns when they are handled.

    - The adapter's ``handle_batch`` (it fetches updates itself and confirms a batch once
      handled): each update to its chat's lane, wait, make the redelivery state durable.
    - Older adapters (PTB's updater feeding a ``TypeHandler``): PTB's update queue, from which
      the Application's fetcher calls ``process_update``, then the adapter's ``drain()``.
    """

    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter
        self.handle_batch = getattr(adapter, "handle_batch", None)
        if self.handle_batch is not None:
            self.how = "adapter.handle_batch"
        elif hasattr(adapter, "drain") and adapter.application.updater is not None:
            self.how = "PTB update queue + adapter.drain"
        else:
            raise RuntimeError("no way to hand the Telegram adapter an update: see bench/README.md")

    async def handle(self, updates: list[Update]) -> None:
        async with asyncio.timeout(WAIT_LIMIT):
            if self.handle_batch is not None:
                await self.handle_batch(updates)
                return
            queue = self.adapter.application.update_queue
            for update in updates:
                queue.put_nowait(update)
            await queue.join()
            await self.adapter.drain()


def throughput(
    feed: Feed, dispatched: Dispatched, total: int, elapsed: float, mode: str,
    samples: list[int], batch_samples: list[int], batch: int, kinds: list[str] | None = None,
) -> dict[str, Any]:
    """A qunbot scenario's figures: events handled, rate, and latency (per update one at a
    time; in the core per event and per batch when lanes or tasks run side by side)."""
    dispatched.check(feed.done)
    result: dict[str, Any] = {"events_dispatched": dispatched.count, **feed.report(total)}
    result.update(seconds=round(elapsed, 3), events_per_second=round(feed.done / elapsed))
    if mode == "sequential":
        result.update(latency(samples))
        result["latency_by_kind"] = by_kind(kinds or [], samples)
    else:
        result.update(latency(dispatched.samples))
        result.update(latency(batch_samples, prefix="batch_"))
        result["batch"] = batch
    return result


def update_kinds(updates: list[dict[str, Any]]) -> list[str]:
    """What each update is, for the latency by kind: ``join``, ``checkin``, ``first`` (a
    member's first message in that group), ``message``."""
    seen: set[tuple[int, int]] = set()
    kinds = []
    for update in updates:
        message = update.get("message") or {}
        key = (message.get("chat", {}).get("id", 0), message.get("from", {}).get("id", 0))
        if message.get("new_chat_members"):
            kinds.append("join")
        elif (message.get("text") or "").startswith("/checkin"):
            kinds.append("checkin")
        elif key not in seen:
            kinds.append("first")
        else:
            kinds.append("message")
        seen.add(key)
    return kinds


def by_kind(kinds: list[str], samples: list[int]) -> dict[str, Any]:
    """Latency per kind of update, and how many of each are over the whole run's p99: what the
    tail is made of."""
    if not samples or len(kinds) < len(samples):
        return {}
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    groups: dict[str, list[int]] = {}
    for kind, ns in zip(kinds, samples, strict=False):
        groups.setdefault(kind, []).append(ns)
    return {
        kind: {"count": len(ns), "over_p99": sum(x > p99 for x in ns), **latency(ns)}
        for kind, ns in sorted(groups.items())
    }


class Dispatched:
    """Counts (and, when asked, times) every ``App.dispatch``: the core's handling of one
    event. The count checks that every update fed reached the core."""

    def __init__(self, app: Any, timed: bool) -> None:
        self.count = 0
        # 8 bytes a sample, not a list's 40: the roster run times 100,000 events, and its RSS
        # is what it measures.
        self.samples: array[int] = array("q")
        inner = app.dispatch

        async def counted(event: Any) -> None:
            self.count += 1
            await inner(event)

        async def measured(event: Any) -> None:
            self.count += 1
            t0 = time.perf_counter_ns()
            try:
                await inner(event)
            finally:
                self.samples.append(time.perf_counter_ns() - t0)

        app.dispatch = measured if timed else counted

    def check(self, fed: int) -> None:
        if self.count < fed:
            raise RuntimeError(
                f"only {self.count} events reached the core for {fed} updates: the adapter's "
                "intake changed (see bench/README.md)"
            )


async def flush(app: Any) -> None:
    """Write-behind state (roster activity) is written, so the run's figure includes it."""
    method = getattr(app, "flush", None)  # App.flush; older cores: app.roster.flush
    if method is None:
        method = getattr(getattr(app, "roster", None), "flush", None)
    if method is not None:
        await method()
    drain = getattr(app, "drain_outbox", None)  # replies that waited for a flood limit
    if drain is not None:
        await drain()


async def run_qunbot(
    conv: Conversation,
    updates: list[dict[str, Any]],
    database_url: str,
    feed: Feed,
    mode: str = "sequential",
    batch: int = 100,
    warm_restart: bool = True,
    checks: bool = True,
) -> dict[str, Any]:
    from bot.clock import FakeClock
    from bot.testing.fake_telegram import FakeTelegramServer

    clock = FakeClock(START)
    limiter, limiter_stats = _paced_limiter(clock)
    todo = updates[: feed.count]
    result: dict[str, Any] = {"mode": mode}
    async with FakeTelegramServer(TOKEN, BOT_USERNAME, privacy_mode=False, now=clock.now) as tg:
        _world(tg, conv)
        app, adapter = _build_app(tg, clock, database_url, limiter)
        result["rss_before_start_mb"] = rss_mb()
        started = time.perf_counter()
        await app.start()
        result["startup_s"] = round(time.perf_counter() - started, 4)
        keep_startup_objects()  # as `qunbot run` does once the bot is up
        result["rss_after_start_mb"] = rss_mb()
        try:
            application = adapter.application
            bot = application.bot
            stub = MemoryRequest(BOT_USER, clock.now, fallback=bot._request[1])
            bot._request = (bot._request[0], stub)
            intake = _Intake(adapter)
            result["entry"] = intake.how
            dispatched = Dispatched(app, timed=mode == "lanes")
            samples: list[int] = []
            batch_samples: list[int] = []
            statements = StatementCounter().install()
            postgres = database_url.startswith("postgres")
            flushes_before = await disk_flushes(database_url) if postgres else None
            feed.start()
            if mode == "sequential":
                for n, data in enumerate(todo, 1):
                    clock.set(_date(data))
                    t0 = time.perf_counter_ns()
                    await intake.handle([Update.de_json(data, bot)])
                    samples.append(time.perf_counter_ns() - t0)
                    if not feed.step(n):
                        break
            else:
                for start in range(0, len(todo), batch):
                    chunk = todo[start : start + batch]
                    clock.set(_date(chunk[-1]))
                    t0 = time.perf_counter_ns()
                    await intake.handle([Update.de_json(data, bot) for data in chunk])
                    batch_samples.append(time.perf_counter_ns() - t0)
                    if not feed.step(start + len(chunk)):
                        break
            await flush(app)
            elapsed = feed.finish()
            result.update(
                throughput(
                    feed, dispatched, len(todo), elapsed, mode, samples, batch_samples, batch,
                    kinds=update_kinds(todo[: len(samples)]) if mode == "sequential" else None,
                )
            )
            result.update(statements.report(feed.done))
            flushes_after = await disk_flushes(database_url) if postgres else None
            if flushes_before is not None and flushes_after is not None and feed.done:
                # The feed's and what the server's log writer flushed meanwhile.
                result["disk_flushes_per_update"] = round((flushes_after - flushes_before) / feed.done, 3)
            result["outbound_memory"] = dict(stub.calls)
            result["outbound_fake_server"] = dict(stub.forwarded)
            result["limiter_waits"] = limiter_stats["waits"]
            result["limiter_waited_s"] = round(limiter_stats["waited_s"], 1)
            if checks:
                result.update(await core_counts())
            result.update(memory())
        finally:
            stopping = time.perf_counter()
            await app.stop()
            result["stop_s"] = round(time.perf_counter() - stopping, 4)
        if warm_restart:
            # Start-up on the database the run left (migrations applied, menus synced).
            app, adapter = _build_app(tg, clock, database_url, None)
            started = time.perf_counter()
            await app.start()
            result["warm_startup_s"] = round(time.perf_counter() - started, 4)
            await app.stop()
    return result


async def start_only(conv: Conversation, database_url: str) -> dict[str, Any]:
    """Start a bot on an existing database (e.g. the roster run's) and stop it: start-up time
    and RSS with what that database holds."""
    from bot.clock import FakeClock
    from bot.testing.fake_telegram import FakeTelegramServer

    clock = FakeClock(START)
    result: dict[str, Any] = {}
    async with FakeTelegramServer(TOKEN, BOT_USERNAME, privacy_mode=False, now=clock.now) as tg:
        _world(tg, conv)
        app, _ = _build_app(tg, clock, database_url, None)
        result["rss_before_start_mb"] = rss_mb()
        started = time.perf_counter()
        await app.start()
        result["startup_s"] = round(time.perf_counter() - started, 4)
        keep_startup_objects()  # as `qunbot run` does once the bot is up
        result["rss_after_start_mb"] = rss_mb()
        try:
            result.update(await core_counts(full=False))
            result.update(await mention_lookups(app))
        finally:
            await app.stop()
        result.update(memory())
    return result


async def mention_lookups(app: Any, count: int = 200) -> dict[str, Any]:
    """What resolving an ``@name`` costs with this database's accounts (the ads plugin does it
    for every mention it checks, commands for every @member): half of them usernames that
    exist, written in capitals, half names no one has."""
    from bot.storage.models import Account

    names = await Account.filter(username__not_isnull=True).order_by("id").limit(count // 2).values_list(
        "username", flat=True
    )
    handles = ["@" + name.upper() for name in names] + [f"@nobody_{n}" for n in range(count - len(names))]
    roster = app.scope("core").roster
    found, times = 0, []
    for handle in handles:
        started = time.perf_counter()
        found += await roster.find("telegram", None, handle) is not None
        times.append(time.perf_counter() - started)
    return {
        "mention_lookup_accounts": await Account.all().count(),
        "mention_lookup_ms": round(sum(times) / len(times) * 1000, 3),
        "mention_lookup_max_ms": round(max(times) * 1000, 3),
        "mention_lookup_found": found,
    }
