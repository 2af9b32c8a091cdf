"""Every group at once: each one's health class over its last 14 local days and its totals
over the last 30, read in a few queries whatever the number of groups (/stats fleet, /stats
health, the weekly report in HQ)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot import GroupInfo, GroupRef, Scope
from plugins.stats.config import HealthThresholds, StatsConfig
from plugins.stats.health import HEALTH_DAYS, Health, classify
from plugins.stats.queries import Totals, fleet_days

__all__ = [
    "FLEET_DAYS", "GroupHealth", "class_changes", "first_seen", "fleet_health", "health_of", "local_today",
]

FLEET_DAYS = 30


@dataclass(frozen=True, slots=True)
class GroupHealth:
    ref: GroupRef
    health: Health
    totals: Totals  # the last FLEET_DAYS days
    last: date  # the group's last local day counted


def local_today(scope: Scope, info: GroupInfo) -> date:
    return scope.now.astimezone(info.timezone).date()


def first_seen(info: GroupInfo, days: dict[date, Totals]) -> date | None:
    """The local day the bot first knew the group: the day it was recorded, or the first day
    with figures if that is earlier (figures imported, or written under a clock behind the
    host's, as in tests); None when unknown (every day counts)."""
    if info.created_at is None:
        return None
    created = info.created_at.astimezone(info.timezone).date()
    counted = [d for d, t in days.items() if any(t.values.values())]
    return min(created, min(counted)) if counted else created


def known_days(info: GroupInfo, days: dict[date, Totals], last: date) -> int:
    """Days the averages are over: 14, or fewer for a group the bot has known for less."""
    seen = first_seen(info, days)
    if seen is None:
        return HEALTH_DAYS
    return min(HEALTH_DAYS, max(1, (last - seen).days + 1))


def health_of(days: dict[date, Totals], info: GroupInfo, last: date, limits: HealthThresholds) -> Health:
    first = last - timedelta(days=HEALTH_DAYS - 1)
    seen = first_seen(info, days)
    if seen is not None:
        first = max(first, seen)  # the days before the bot knew the group are not quiet days
    window = {d: t for d, t in days.items() if first <= d <= last}
    return classify(
        {d: t["messages"] for d, t in window.items()}, {d: t["speakers"] for d, t in window.items()},
        sum(t["ads_removed"] for t in window.values()), known_days(info, days, last), limits,
    )


async def fleet_health(scope: Scope, config: StatsConfig, days_back: int = 0) -> list[GroupHealth]:
    """Every active group, classed with its own thresholds over the 14 days ending
    ``days_back`` days before its local today."""
    groups = await scope.roster.groups()
    if not groups:
        return []
    lasts = {g.ref: local_today(scope, g) - timedelta(days=days_back) for g in groups}
    first = min(lasts.values()) - timedelta(days=FLEET_DAYS - 1)
    days = await fleet_days(first, max(lasts.values()))
    result = []
    for info in groups:
        last = lasts[info.ref]
        mine = days.get((info.ref.platform, info.ref.key), {})
        totals = Totals()
        for day, figures in mine.items():
            if last - timedelta(days=FLEET_DAYS - 1) <= day <= last:
                totals.add(figures.values)
        health = health_of(mine, info, last, config.for_group(info.ref).health)
        result.append(GroupHealth(info.ref, health, totals, last))
    return result


def class_changes(now: list[GroupHealth], before: list[GroupHealth]) -> list[tuple[GroupRef, str, str]]:
    """(group, class before, class now) of the groups whose class changed; a group that had no
    figures at all before is not a change."""
    previous = {g.ref.gid: g for g in before}
    changes = []
    for group in now:
        old = previous.get(group.ref.gid)
        if old is None or not old.totals["messages"] and not old.totals["joins"]:
            continue
        if old.health.cls != group.health.cls:
            changes.append((group.ref, old.health.cls, group.health.cls))
    return changes
