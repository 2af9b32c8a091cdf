"""The one source of "now": the real clock in production, a controllable one in tests and the
console, so that streaks, cooldowns and schedules can be driven without sleeping."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

__all__ = ["Clock", "FakeClock", "SystemClock"]


class Clock:
    def now(self) -> datetime:
        raise NotImplementedError

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back; for cooldowns and rate limits."""
        raise NotImplementedError


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class FakeClock(Clock):
    """A clock that moves only when told to. Listeners (the scheduler) run on every move."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)).astimezone(UTC)
        self._origin = self._now
        self._listeners: list = []

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return (self._now - self._origin).total_seconds()

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FakeClock.set needs a timezone-aware datetime")
        self._now = when.astimezone(UTC)

    def on_advance(self, listener) -> None:
        """``listener()`` is awaited after every :meth:`advance`."""
        self._listeners.append(listener)

    async def advance(self, delta: timedelta | float) -> None:
        if not isinstance(delta, timedelta):
            delta = timedelta(seconds=delta)
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        self._now += delta
        for listener in self._listeners:
            await listener()

