"""The ``Stats`` service: counters collected in memory on the message path, written in batches.

Nothing is written per message. A message, a join or a reported figure adds to a tally
(:class:`bot.Tally`) keyed by (group, local day, local hour). What a delivery its platform may
make again counts (a Telegram update) is written in the transaction that confirms it
(``bot_commit_batch``): a crash neither loses nor repeats it. The rest (Discord's and the
console's events, figures reported after their own commit) is written by the ``stats.flush``
job (every minute), when ``flush_size`` buckets are pending, before any read (``/stats``) and at
shutdown. Every write adds to the stored counters (an upsert), so batches from several flushes,
or several processes, add up. A failed write keeps its counters for the next batch.

Distinct speakers of an hour are exact within one process: the members seen in each recent
hour are remembered for three hours, and only newcomers add to the stored count. A restart in
the middle of an hour can count a member of that hour twice (the day's distinct speakers, read
from the per-member rows, stay exact).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from bot import Batch, GroupRef, Scope, Tally
from plugins.stats.config import StatsConfig
from plugins.stats.models import COUNTERS
from plugins.stats.queries import best_hours_of_day, heatmap

__all__ = ["Stats"]

log = logging.getLogger(__name__)
# How long the members seen in an hour are remembered (an hour bucket lasts one hour, two at a
# DST fold).
SEEN_KEPT = timedelta(hours=3)
_INDEX = {name: i for i, name in enumerate(COUNTERS)}
_NONE = (0,) * len(COUNTERS)
Bucket = tuple[str, str, date, int]  # platform, group key, local day, local hour


def _upsert(table: str, keys: tuple[str, ...], values: tuple[str, ...], sqlite: bool) -> str:
    columns = (*keys, *values)
    marks = ["?"] * len(columns) if sqlite else [f"${i}" for i in range(1, len(columns) + 1)]
    quoted = ",".join(f'"{c}"' for c in columns)
    conflict = ",".join(f'"{c}"' for c in keys)
    adds = ",".join(f'"{c}"="{table}"."{c}"+EXCLUDED."{c}"' for c in values)
    return (
        f'INSERT INTO "{table}" ({quoted}) VALUES ({",".join(marks)}) '
        f"ON CONFLICT ({conflict}) DO UPDATE SET {adds}"
    )


_HOUR_KEYS = ("platform", "guild_id", "day", "hour")
_SQL = {
    sqlite: (
        _upsert("stats_hour", _HOUR_KEYS, COUNTERS, sqlite),
        _upsert("stats_speaker", ("platform", "guild_id", "day", "user_id"), ("messages",), sqlite),
        _upsert("stats_extra", (*_HOUR_KEYS, "name"), ("value",), sqlite),
    )
    for sqlite in (True, False)
}


class Stats:
    """Counts per group per local hour. Other plugins report through the ``stats_count`` hook
    (no dependency); a plugin that requires ``stats`` may also call :meth:`count`."""

    def __init__(self, scope: Scope) -> None:
        self._scope = scope
        self._hours: Tally[Bucket] = Tally()
        self._speakers: Tally[tuple[str, str, date, str]] = Tally()
        self._extra: Tally[tuple[str, str, date, int, str]] = Tally()
        self._seen: dict[Bucket, tuple[datetime, set[str]]] = {}
        self._lock = asyncio.Lock()

    @property
    def config(self) -> StatsConfig:
        return self._scope.config or StatsConfig()

    @property
    def pending(self) -> int:
        return len(self._hours) + len(self._speakers) + len(self._extra)

    # -- counting (no database) ------------------------------------------------------------------
    def message(self, group: GroupRef, user_id: str, local: datetime) -> None:
        """A member's message at ``local`` (the group's local time)."""
        key = (group.platform, group.key, local.date(), local.hour)
        seen = self._seen.get(key)
        if seen is None:
            seen = self._seen[key] = (self._scope.now, set())
        new_speaker = user_id not in seen[1]
        if new_speaker:
            seen[1].add(user_id)
        self._hours.add(key, 1, int(new_speaker), *_NONE[2:])
        self._speakers.add((group.platform, group.key, local.date(), user_id), 1)

    def add(
        self, group: GroupRef, name: str, amount: int, local: datetime, *, committed: bool = False
    ) -> None:
        """``amount`` more of counter ``name`` at ``local``; ``committed``: the figure of a
        change already committed (never made twice), not of the delivery being handled."""
        index = _INDEX.get(name)
        if index is not None and name not in ("messages", "speakers"):
            tally, values = self._hours, list(_NONE)
            key = (group.platform, group.key, local.date(), local.hour)
            values[index] = amount
        elif index is not None or not name or len(name) > 32:
            log.warning("stats: counter %r cannot be reported (use the message path)", name)
            return
        else:
            tally, values = self._extra, [amount]
            key = (group.platform, group.key, local.date(), local.hour, name)  # type: ignore[assignment]
        (tally.add_committed if committed else tally.add)(key, *values)

    async def count(self, group: GroupRef, name: str, amount: int = 1, at: datetime | None = None) -> None:
        """Count ``amount`` of ``name`` in ``group`` at ``at`` (default now), in the group's
        local hour."""
        info = await self._scope.roster.group(group)
        self.add(group, name, amount, (at or self._scope.now).astimezone(info.timezone), committed=True)
        await self.flush_if_full()

    async def best_hours(self, group: GroupRef, count: int = 2) -> list[int]:
        """The group's busiest local hours of the day over the last ``heatmap_days`` (busiest
        first; [] before any message was counted): when a post reaches the most members (the
        broadcast plugin's ``best`` schedules)."""
        await self.flush()
        info = await self._scope.roster.group(group)
        last = self._scope.now.astimezone(info.timezone).date()
        grid = await heatmap(group, last - timedelta(days=self.config.heatmap_days - 1), last)
        return best_hours_of_day(grid, count)

    async def flush_if_full(self) -> None:
        """Write early when many buckets are pending. A failure here must not fail the handler
        that counted (it would run again and count twice): the counters wait for the next."""
        if self.pending >= self.config.flush_size and not self._lock.locked():
            try:
                await self.flush()
            except Exception as exc:
                log.warning("stats: counters not written yet (%s); kept for the next flush", exc)

    # -- writing ---------------------------------------------------------------------------------
    async def flush(self) -> int:
        """Write every counter that is ready (not held for a delivery: see :mod:`bot.tally`)
        in one transaction; returns the rows written."""
        async with self._lock:
            cutoff = self._scope.now - SEEN_KEPT
            self._seen = {k: v for k, v in self._seen.items() if v[0] >= cutoff}
            taken = [tally.take() for tally in (self._hours, self._speakers, self._extra)]
            if not any(t.ready for t in taken):
                return 0
            try:
                async with in_transaction() as connection:
                    await _write(connection, *(t.ready for t in taken))
            except Exception:
                for tally, t in zip((self._hours, self._speakers, self._extra), taken, strict=True):
                    tally.put_back(t)
                raise
            return sum(len(t.ready) for t in taken)

    async def commit_batch(self, batch: Batch) -> None:
        """Every pending counter, held ones included, in the transaction confirming a batch."""
        await _write(batch.connection, *(batch.take(t) for t in (self._hours, self._speakers, self._extra)))

    def forget(self, platform: str, user_id: str) -> None:
        """Drop a member's pending per-member counts (``/forgetme``); hourly totals stay."""
        self._speakers.discard(lambda k: k[0] == platform and k[3] == user_id)


async def _write(connection: Any, hours: dict, speakers: dict, extra: dict) -> None:
    sqlite = connection.capabilities.dialect == "sqlite"
    hour_sql, speaker_sql, extra_sql = _SQL[sqlite]

    def day(value: date) -> Any:
        return value.isoformat() if sqlite else value

    if hours:
        await connection.execute_many(hour_sql, [[p, g, day(d), h, *c] for (p, g, d, h), c in hours.items()])
    if speakers:
        await connection.execute_many(
            speaker_sql, [[p, g, day(d), u, n[0]] for (p, g, d, u), n in speakers.items()]
        )
    if extra:
        await connection.execute_many(
            extra_sql, [[p, g, day(d), h, name, n[0]] for (p, g, d, h, name), n in extra.items()]
        )
