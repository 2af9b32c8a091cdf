"""The figures as CSV, one row per group per local hour (``period`` hour) and, for days older
than the raw window, per local day (``period`` day).

``start`` and ``end`` are ISO 8601 with the group's UTC offset at that moment
(``2026-03-02T21:00:00+08:00``), so a row stands on its own whatever timezone reads it. An hour
that happened twice (a DST fold) is one bucket from its first start to its second end: two
real hours. Times are in the group's timezone of today: figures counted before a /timezone
change keep the hours they were counted in.

Columns: platform, group (its stable key), group_name, period, start, end, timezone, every
counter (``COUNTERS``), then one column per other name reported through ``stats_count``
(``extra.<name>``), empty where nothing was reported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import GroupRef
from plugins.stats.models import COUNTERS, StatsDay, StatsExtra, StatsHour

__all__ = ["HEADER", "ExportGroup", "csv_bytes", "export_rows", "groups_with_figures"]

HEADER = ("platform", "group", "group_name", "period", "start", "end", "timezone", *COUNTERS)
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ExportGroup:
    ref: GroupRef
    timezone: ZoneInfo


@dataclass(slots=True)
class _Row:
    period: str
    day: date
    hour: int  # -1 for a whole day
    counters: dict[str, int] = field(default_factory=dict)
    extra: dict[str, int] = field(default_factory=dict)


def _inert(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA) else text


def _bounds(day: date, hour: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    if hour < 0:
        start = datetime.combine(day, time(0), tz)
        return start, datetime.combine(day + timedelta(days=1), time(0), tz)
    start = datetime.combine(day, time(hour), tz)  # fold=0: the first of a repeated hour
    second = start.replace(fold=1)
    last_start = second if second.utcoffset() != start.utcoffset() else start
    return start, (last_start.astimezone(UTC) + timedelta(hours=1)).astimezone(tz)


async def groups_with_figures(platform: str | None = None) -> list[tuple[str, str]]:
    """(platform, group key) of every group with stored figures."""
    found: set[tuple[str, str]] = set()
    for model in (StatsHour, StatsDay):
        query = model.all() if platform is None else model.filter(platform=platform)
        found.update(tuple(r) for r in await query.distinct().values_list("platform", "guild_id"))
    return sorted(found)


async def _rows(group: GroupRef, since: date, until: date) -> list[_Row]:
    keys = {"platform": group.platform, "guild_id": group.key, "day__gte": since, "day__lte": until}
    rows: dict[tuple[date, int], _Row] = {}
    for hour in await StatsHour.filter(**keys).values("day", "hour", *COUNTERS):
        rows[(hour["day"], hour["hour"])] = _Row("hour", hour["day"], hour["hour"], {
            c: int(hour[c]) for c in COUNTERS
        })
    for day in await StatsDay.filter(**keys).values("day", *COUNTERS):
        rows[(day["day"], -1)] = _Row("day", day["day"], -1, {c: int(day[c]) for c in COUNTERS})
    for extra in await StatsExtra.filter(**keys).values("day", "hour", "name", "value"):
        hour = max(extra["hour"], -1)
        row = rows.get((extra["day"], hour))
        if row is None:  # a figure reported in an hour without messages or joins
            row = rows[(extra["day"], hour)] = _Row("hour" if hour >= 0 else "day", extra["day"], hour)
        row.extra[extra["name"]] = row.extra.get(extra["name"], 0) + int(extra["value"])
    return sorted(rows.values(), key=lambda r: (r.day, r.hour))


async def export_rows(groups: Iterable[ExportGroup], since: date, until: date) -> list[list[str]]:
    """The header and a row per stored bucket of ``groups`` on the local days [since, until]."""
    body: list[tuple[ExportGroup, _Row]] = []
    extras: set[str] = set()
    for group in groups:
        for row in await _rows(group.ref, since, until):
            body.append((group, row))
            extras.update(row.extra)
    names = sorted(extras)
    table = [[*HEADER, *(f"extra.{n}" for n in names)]]
    for group, row in body:
        start, end = _bounds(row.day, row.hour, group.timezone)
        table.append([
            group.ref.platform, group.ref.key, _inert(group.ref.name), row.period,
            start.isoformat(), end.isoformat(), group.timezone.key,
            *(str(row.counters.get(c, 0)) for c in COUNTERS),
            *(str(row.extra[n]) if n in row.extra else "" for n in names),
        ])
    return table


def csv_bytes(table: list[list[str]], bom: bool = True) -> bytes:
    """UTF-8 CSV; ``bom`` so that spreadsheet programs read Chinese group names right."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")
