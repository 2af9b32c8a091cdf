"""Outbound flood limits: about 30 messages a second overall, 20 a minute per group.

Why sliding windows per chat and not one queue: a group that hit its 20/min limit must wait
on its own window only, while other groups keep their replies instant. A sender first waits
for its group's window, and only then takes a slot of the overall window, so a throttled group
never holds overall capacity while it sleeps.
"""

from __future__ import annotations

import asyncio
import warnings
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

__all__ = ["GROUP_PER_MINUTE", "OVERALL_PER_SECOND", "OutboundLimiter", "retry_seconds"]

GROUP_PER_MINUTE = 20
OVERALL_PER_SECOND = 30
_SWEEP_AT = 2048


class _Window:
    """At most ``limit`` acquisitions in any ``seconds`` span."""

    __slots__ = ("limit", "seconds", "times")

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.times: deque[float] = deque()

    def wait_time(self, now: float) -> float:
        """0 when a slot is free now (then it is taken), else how long until one frees."""
        while self.times and now - self.times[0] >= self.seconds:
            self.times.popleft()
        if len(self.times) < self.limit:
            self.times.append(now)
            return 0.0
        return self.times[0] + self.seconds - now

    def free_in(self, now: float) -> float:
        """How long until a slot is free (0: now), without taking it."""
        while self.times and now - self.times[0] >= self.seconds:
            self.times.popleft()
        return 0.0 if len(self.times) < self.limit else self.times[0] + self.seconds - now

    def idle(self, now: float) -> bool:
        return not self.times or now - self.times[-1] >= self.seconds


class OutboundLimiter:
    """``await limiter.acquire(chat_id)`` before every message the bot sends.

    ``time`` and ``sleep`` are injectable so the windows can be tested without waiting."""

    def __init__(
        self,
        per_group: int = GROUP_PER_MINUTE,
        group_seconds: float = 60.0,
        overall: int = OVERALL_PER_SECOND,
        overall_seconds: float = 1.0,
        *,
        time: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.per_group = per_group
        self.group_seconds = group_seconds
        self._overall = _Window(overall, overall_seconds)
        self._groups: dict[str, _Window] = {}
        self._time = time or (lambda: asyncio.get_running_loop().time())
        self._sleep = sleep

    async def acquire(self, chat_id: str) -> None:
        if _is_group(chat_id):
            window = self._groups.get(chat_id)
            if window is None:
                window = self._groups[chat_id] = _Window(self.per_group, self.group_seconds)
                self._sweep()
            await self._take(window)
        await self._take(self._overall)

    def delay(self, chat_id: str) -> float:
        """How long a message to ``chat_id`` would wait now (0: it would go at once)."""
        now = self._time()
        window = self._groups.get(chat_id)
        group = window.free_in(now) if window is not None else 0.0
        return max(group, self._overall.free_in(now))

    async def _take(self, window: _Window) -> None:
        while (delay := window.wait_time(self._time())) > 0:
            await self._sleep(delay)

    def _sweep(self) -> None:
        """Forget idle groups now and then so a bot in many groups keeps a small table."""
        if len(self._groups) < _SWEEP_AT:
            return
        now = self._time()
        self._groups = {k: w for k, w in self._groups.items() if not w.idle(now)}


def _is_group(chat_id: str) -> bool:
    # Telegram group and supergroup ids are negative; private chats are the user's id.
    return chat_id.startswith("-")


def retry_seconds(error: RetryAfter) -> float:
    """Seconds to wait after a 429. PTB 22 gives ``retry_after`` as seconds (with a
    deprecation warning) or as a timedelta when PTB_TIMEDELTA is set."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        retry_after = error.retry_after
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)
