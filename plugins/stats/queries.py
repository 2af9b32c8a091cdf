"""Reading the figures back: a group's days, its hour x weekday profile, its top speakers, and
the fleet's totals. Days inside the raw window come from the hours (and the per-member rows for
distinct speakers), older ones from the rolled-up day rows; callers flush the service first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from tortoise.functions import Count, Sum

from bot import GroupRef
from plugins.stats.models import COUNTERS, StatsDay, StatsHour, StatsSpeaker

__all__ = ["Totals", "days_of", "fleet_totals", "heatmap", "period_totals", "top_speakers"]

SUMMED = tuple(c for c in COUNTERS if c != "speakers")


@dataclass(slots=True)
class Totals:
    """Figures of a period (or one day): every counter, ``speakers`` distinct over the period."""

    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))

    def __getitem__(self, name: str) -> int:
        return self.values.get(name, 0)

    def add(self, other: dict[str, int]) -> None:
        for name in SUMMED:
            self.values[name] += int(other.get(name) or 0)


def _keys(group: GroupRef) -> dict[str, str]:
    return {"platform": group.platform, "guild_id": group.key}


async def days_of(group: GroupRef, first: date, last: date) -> dict[date, Totals]:
    """Each day of [first, last] (days without a row are zero)."""
    result = {first + timedelta(days=i): Totals() for i in range((last - first).days + 1)}
    hours = (
        await StatsHour.filter(**_keys(group), day__gte=first, day__lte=last)
        .annotate(**{f"s_{c}": Sum(c) for c in SUMMED})
        .group_by("day")
        .values("day", *(f"s_{c}" for c in SUMMED))
    )
    for row in hours:
        result[row["day"]].add({c: row[f"s_{c}"] for c in SUMMED})
    speakers = (
        await StatsSpeaker.filter(**_keys(group), day__gte=first, day__lte=last)
        .annotate(n=Count("id"))
        .group_by("day")
        .values("day", "n")
    )
    for row in speakers:
        result[row["day"]].values["speakers"] = int(row["n"])
    rolled = await StatsDay.filter(**_keys(group), day__gte=first, day__lte=last).values(
        "day", *COUNTERS
    )
    for row in rolled:
        totals = result[row["day"]]
        totals.add(row)
        totals.values["speakers"] = max(totals["speakers"], int(row["speakers"]))
    return result


async def period_totals(group: GroupRef, first: date, last: date) -> tuple[Totals, dict[date, Totals]]:
    """The period's totals (distinct speakers over the whole period where the per-member rows
    are kept; beyond them, the largest day's count) and its days."""
    days = await days_of(group, first, last)
    totals = Totals()
    for day in days.values():
        totals.add(day.values)
    distinct = await (
        StatsSpeaker.filter(**_keys(group), day__gte=first, day__lte=last)
        .distinct()
        .values_list("user_id", flat=True)
    )
    totals.values["speakers"] = max(len(distinct), max((d["speakers"] for d in days.values()), default=0))
    return totals, days


async def heatmap(group: GroupRef, first: date, last: date) -> list[list[float]]:
    """Average messages per (weekday, local hour) over [first, last]: 7 rows (Monday first) of
    24 hours. Each weekday is averaged over the times it occurs in the period."""
    grid = [[0.0] * 24 for _ in range(7)]
    rows = await StatsHour.filter(**_keys(group), day__gte=first, day__lte=last).values(
        "day", "hour", "messages"
    )
    for row in rows:
        grid[row["day"].weekday()][row["hour"]] += row["messages"]
    occurrences = [0] * 7
    for i in range((last - first).days + 1):
        occurrences[(first + timedelta(days=i)).weekday()] += 1
    return [[v / max(occurrences[w], 1) for v in grid[w]] for w in range(7)]


def best_hour(grid: list[list[float]]) -> tuple[int, int, float] | None:
    """(weekday, hour, average) of the busiest cell, and None without any message."""
    cells = [(grid[w][h], -w, -h) for w in range(7) for h in range(24)]
    value, w, h = max(cells)
    return (-w, -h, value) if value > 0 else None


def best_hours_of_day(grid: list[list[float]], count: int = 2) -> list[int]:
    """The ``count`` busiest hours of the day, over all weekdays (busiest first)."""
    by_hour = [sum(grid[w][h] for w in range(7)) for h in range(24)]
    ranked = sorted(range(24), key=lambda h: (-by_hour[h], h))
    return [h for h in ranked[:count] if by_hour[h] > 0]


async def top_speakers(group: GroupRef, first: date, last: date, limit: int) -> list[tuple[str, int]]:
    """(user id, messages) of the members who wrote most in [first, last]."""
    rows = (
        await StatsSpeaker.filter(**_keys(group), day__gte=first, day__lte=last)
        .annotate(total=Sum("messages"))
        .group_by("user_id")
        .order_by("-total", "user_id")
        .limit(limit)
        .values("user_id", "total")
    )
    return [(row["user_id"], int(row["total"])) for row in rows]


async def fleet_totals(first: date, last: date) -> dict[tuple[str, str], Totals]:
    """Every group's totals over [first, last] (raw window), by (platform, group key)."""
    result: dict[tuple[str, str], Totals] = {}
    rows = (
        await StatsHour.filter(day__gte=first, day__lte=last)
        .annotate(**{f"s_{c}": Sum(c) for c in SUMMED})
        .group_by("platform", "guild_id")
        .values("platform", "guild_id", *(f"s_{c}" for c in SUMMED))
    )
    for row in rows:
        totals = result.setdefault((row["platform"], row["guild_id"]), Totals())
        totals.add({c: row[f"s_{c}"] for c in SUMMED})
    speakers = (
        await StatsSpeaker.filter(day__gte=first, day__lte=last)
        .annotate(n=Count("user_id", distinct=True))
        .group_by("platform", "guild_id")
        .values("platform", "guild_id", "n")
    )
    for row in speakers:
        result.setdefault((row["platform"], row["guild_id"]), Totals()).values["speakers"] = int(row["n"])
    return result


async def fleet_daily_speakers(first: date, last: date) -> dict[tuple[str, str], dict[date, int]]:
    """Distinct speakers of each group on each day of [first, last]."""
    rows = (
        await StatsSpeaker.filter(day__gte=first, day__lte=last)
        .annotate(n=Count("id"))
        .group_by("platform", "guild_id", "day")
        .values("platform", "guild_id", "day", "n")
    )
    result: dict[tuple[str, str], dict[date, int]] = {}
    for row in rows:
        result.setdefault((row["platform"], row["guild_id"]), {})[row["day"]] = int(row["n"])
    return result


async def fleet_daily_messages(first: date, last: date) -> dict[tuple[str, str], dict[date, int]]:
    rows = (
        await StatsHour.filter(day__gte=first, day__lte=last)
        .annotate(n=Sum("messages"))
        .group_by("platform", "guild_id", "day")
        .values("platform", "guild_id", "day", "n")
    )
    result: dict[tuple[str, str], dict[date, int]] = {}
    for row in rows:
        result.setdefault((row["platform"], row["guild_id"]), {})[row["day"]] = int(row["n"] or 0)
    return result


async def fleet_days(first: date, last: date) -> dict[tuple[str, str], dict[date, Totals]]:
    """Every group's days in [first, last] by (platform, group key), in three queries whatever
    the number of groups: the hours summed per day, the day's distinct speakers, and the
    rolled-up days. A group has only the days with figures (a missing day is zero)."""
    result: dict[tuple[str, str], dict[date, Totals]] = {}

    def day_of(row: dict) -> Totals:
        days = result.setdefault((row["platform"], row["guild_id"]), {})
        return days.setdefault(row["day"], Totals())

    hours = (
        await StatsHour.filter(day__gte=first, day__lte=last)
        .annotate(**{f"s_{c}": Sum(c) for c in SUMMED})
        .group_by("platform", "guild_id", "day")
        .values("platform", "guild_id", "day", *(f"s_{c}" for c in SUMMED))
    )
    for row in hours:
        day_of(row).add({c: row[f"s_{c}"] for c in SUMMED})
    speakers = (
        await StatsSpeaker.filter(day__gte=first, day__lte=last)
        .annotate(n=Count("id"))
        .group_by("platform", "guild_id", "day")
        .values("platform", "guild_id", "day", "n")
    )
    for row in speakers:
        day_of(row).values["speakers"] = int(row["n"])
    rolled = await StatsDay.filter(day__gte=first, day__lte=last).values(
        "platform", "guild_id", "day", *COUNTERS
    )
    for row in rolled:
        totals = day_of(row)
        totals.add(row)
        totals.values["speakers"] = max(totals["speakers"], int(row["speakers"]))
    return result
