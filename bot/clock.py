"""The one source of "now": the real clock in production, a controllable one in tests and the
console, so that streaks, cooldowns and schedules can be driven without sleeping.

Both clocks wake the scheduler the same way (:meth:`Clock.wake`), and the scheduler runs every
job as a task of its own on both: the fake clock only waits for the jobs its move started.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import aiocron

__all__ = ["Clock", "FakeClock", "SystemClock", "Tick"]

# Called when the time may have reached new work; returns the tasks it started.
Tick = Callable[[], Awaitable[Collection[asyncio.Task]]]
# The next moment after ``now`` at which work is due that must run at its own time.
NextDue = Callable[[datetime], Awaitable[datetime | None]]


class Clock:
    def now(self) -> datetime:
        raise NotImplementedError

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back; for cooldowns and rate limits."""
        raise NotImplementedError

    def wake(self, tick: Tick, next_due: NextDue) -> Callable[[], None]:
        """Call ``tick`` whenever scheduled work may be due; returns a function that stops it.
        ``next_due`` tells a clock that can jump where it must stop on the way."""
        raise NotImplementedError


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def wake(self, tick: Tick, next_due: NextDue) -> Callable[[], None]:
        # Once a minute; the jobs a tick starts run on their own, so a stuck one holds up nothing.
        cron = aiocron.Cron("* * * * *", tick, start=True, tz=ZoneInfo("UTC"))
        return cron.stop


class FakeClock(Clock):
    """A clock that moves only when told to. A move stops at every moment where work is due
    that must run at its own time (a 21:00 reminder across ``:wait 1d`` runs at 21:00, in
    order with the rest), wakes the scheduler there and waits for the jobs it started."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)).astimezone(UTC)
        self._origin = self._now
        self._wakers: list[tuple[Tick, NextDue]] = []

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return (self._now - self._origin).total_seconds()

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FakeClock.set needs a timezone-aware datetime")
        self._now = when.astimezone(UTC)

    def wake(self, tick: Tick, next_due: NextDue) -> Callable[[], None]:
        waker = (tick, next_due)
        self._wakers.append(waker)
        return lambda: self._wakers.remove(waker)

    async def advance(self, delta: timedelta | float) -> None:
        if not isinstance(delta, timedelta):
            delta = timedelta(seconds=delta)
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        target = self._now + delta
        while True:
            stops = [await next_due(self._now) for _tick, next_due in list(self._wakers)]
            self._now = min([s for s in stops if s is not None and self._now < s < target] + [target])
            for tick, _next_due in list(self._wakers):
                started = await tick()
                if started:
                    await asyncio.gather(*started, return_exceptions=True)
            if self._now >= target:
                return
