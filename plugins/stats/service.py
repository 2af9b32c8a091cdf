"""The ``Stats`` service: counters collected in memory on the message path, written in batches.

Nothing is written per message. A message, a join or a reported figure adds to a dict keyed by
(group, local day, local hour); the pending counters are written in one transaction by the
``stats.flush`` job (every minute), when ``flush_size`` buckets are pending, before any read
(``/stats``) and at shutdown. Every write adds to the stored counters (an upsert), so batches
from several flushes, or several processes, add up. A failed write keeps its counters for the
next batch. A crash loses at most the last minute of figures; nothing a member was told depends
on them.

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

from bot import GroupRef, Scope
from plugins.stats.config import StatsConfig
from plugins.stats.models import COUNTERS
from plugins.stats.queries import best_hours_of_day, heatmap

__all__ = ["Stats"]

log = logging.getLogger(__name__)
# How long the members seen in an hour are remembered (an hour bucket lasts one hour, two at a
# DST fold).
SEEN_KEPT = timedelta(hours=3)
_INDEX = {name: i for i, name in enumerate(COUNTERS)}
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
        self._hours: dict[Bucket, list[int]] = {}
        self._speakers: dict[tuple[str, str, date, str], int] = {}
        self._extra: dict[tuple[str, str, date, int, str], int] = {}
        self._seen: dict[Bucket, tuple[datetime, set[str]]] = {}
        self._lock = asyncio.Lock()

    @property
    def config(self) -> StatsConfig:
        return self._scope.config or StatsConfig()

    @property
    def pending(self) -> int:
        return len(self._hours) + len(self._speakers) + len(self._extra)

    # -- counting (no database) ------------------------------------------------------------------
    def _bucket(self, group: GroupRef, local: datetime) -> list[int]:
        key = (group.platform, group.key, local.date(), local.hour)
        counters = self._hours.get(key)
        if counters is None:
            counters = self._hours[key] = [0] * len(COUNTERS)
        return counters

    def message(self, group: GroupRef, user_id: str, local: datetime) -> None:
        """A member's message at ``local`` (the group's local time)."""
        counters = self._bucket(group, local)
        counters[0] += 1
        key = (group.platform, group.key, local.date(), local.hour)
        seen = self._seen.get(key)
        if seen is None:
            seen = self._seen[key] = (self._scope.now, set())
        if user_id not in seen[1]:
            seen[1].add(user_id)
            counters[1] += 1
        speaker = (group.platform, group.key, local.date(), user_id)
        self._speakers[speaker] = self._speakers.get(speaker, 0) + 1

    def add(self, group: GroupRef, name: str, amount: int, local: datetime) -> None:
        """``amount`` more of counter ``name`` at ``local``."""
        index = _INDEX.get(name)
        if index is not None and name not in ("messages", "speakers"):
            self._bucket(group, local)[index] += amount
            return
        if index is not None or not name or len(name) > 32:
            log.warning("stats: counter %r cannot be reported (use the message path)", name)
            return
        key = (group.platform, group.key, local.date(), local.hour, name)
        self._extra[key] = self._extra.get(key, 0) + amount

    async def count(self, group: GroupRef, name: str, amount: int = 1, at: datetime | None = None) -> None:
        """Count ``amount`` of ``name`` in ``group`` at ``at`` (default now), in the group's
        local hour."""
        info = await self._scope.roster.group(group)
        self.add(group, name, amount, (at or self._scope.now).astimezone(info.timezone))
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
        if self.pending >= self.config.flush_size and not self._lock.locked():
            await self.flush()

    # -- writing ---------------------------------------------------------------------------------
    async def flush(self) -> int:
        """Write every pending counter in one transaction; returns the rows written."""
        async with self._lock:
            cutoff = self._scope.now - SEEN_KEPT
            self._seen = {k: v for k, v in self._seen.items() if v[0] >= cutoff}
            if not self.pending:
                return 0
            hours, self._hours = self._hours, {}
            speakers, self._speakers = self._speakers, {}
            extra, self._extra = self._extra, {}
            try:
                async with in_transaction() as connection:
                    sqlite = connection.capabilities.dialect == "sqlite"
                    hour_sql, speaker_sql, extra_sql = _SQL[sqlite]

                    def day(value: date) -> Any:
                        return value.isoformat() if sqlite else value

                    if hours:
                        await connection.execute_many(
                            hour_sql, [[p, g, day(d), h, *c] for (p, g, d, h), c in hours.items()]
                        )
                    if speakers:
                        await connection.execute_many(
                            speaker_sql, [[p, g, day(d), u, n] for (p, g, d, u), n in speakers.items()]
                        )
                    if extra:
                        await connection.execute_many(
                            extra_sql, [[p, g, day(d), h, name, n] for (p, g, d, h, name), n in extra.items()]
                        )
            except Exception:
                self._merge_back(hours, speakers, extra)
                raise
            return len(hours) + len(speakers) + len(extra)

    def _merge_back(self, hours: dict, speakers: dict, extra: dict) -> None:
        for key, counters in hours.items():
            current = self._hours.setdefault(key, [0] * len(COUNTERS))
            for i, value in enumerate(counters):
                current[i] += value
        for key, value in speakers.items():
            self._speakers[key] = self._speakers.get(key, 0) + value
        for key, value in extra.items():
            self._extra[key] = self._extra.get(key, 0) + value

    def forget(self, platform: str, user_id: str) -> None:
        """Drop a member's pending per-member counts (``/forgetme``); hourly totals stay."""
        self._speakers = {
            k: v for k, v in self._speakers.items() if not (k[0] == platform and k[3] == user_id)
        }
