"""Check-in rates: members who checked in / members active in the last 30 days.

"Active" is the roster's last activity (messages and commands seen, ``scope.roster.members``),
widened by everyone who checked in within those 30 days (also members who were active before
the roster knew them), so a rate never exceeds 100%. Only current members count, on both sides
of the rate: who left is neither active nor checked in (the same notion of a member as the
boards and the reminder).

The 7-day average is over the days the group has been with the bot within those 7 (at least
one): a group added two days ago is not ranked as if it had skipped five days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import GroupInfo, GroupRef, Scope
from plugins.checkin.models import KIND_CHECKIN, CheckIn
from plugins.checkin.streaks import local_day

__all__ = ["ACTIVE_WINDOW", "GroupRate", "WEEK", "group_rates"]

ACTIVE_WINDOW = timedelta(days=30)
WEEK = 7


@dataclass(frozen=True, slots=True)
class GroupRate:
    group: GroupRef
    name: str
    members: int
    today: int
    # Check-ins of the last 7 days (today included): the 7-day rate is their daily average
    # over ``days``, the days of those 7 that the group has existed (1..7).
    week: int
    days: int = WEEK

    @property
    def today_rate(self) -> float:
        return self.today / self.members if self.members else 0.0

    @property
    def week_rate(self) -> float:
        return self.week / (self.days * self.members) if self.members else 0.0


async def group_rates(scope: Scope, groups: Sequence[GroupInfo], now: datetime) -> list[GroupRate]:
    """Rates of ``groups`` (of one platform), each on its own local today."""
    if not groups:
        return []
    platform = groups[0].ref.platform
    keys = [info.ref.key for info in groups]
    today = {info.ref.key: local_day(now, info.timezone) for info in groups}
    oldest = min(today.values()) - ACTIVE_WINDOW
    active: dict[str, set[str]] = defaultdict(set)
    for info in groups:
        seen = await scope.roster.members(info.ref, active_since=now - ACTIVE_WINDOW)
        active[info.ref.key].update(entry.user_id for entry in seen)
    recent = await (
        CheckIn.filter(platform=platform, guild_id__in=keys, kind=KIND_CHECKIN, day__gt=oldest)
        .values_list("guild_id", "user_id", "day")
    )
    checked: dict[str, set[str]] = defaultdict(set)
    for key, user_id, _ in recent:
        checked[key].add(user_id)
    for info in groups:
        key = info.ref.key
        present = await scope.roster.current(info.ref, list(checked[key] - active[key]))
        active[key] |= present
    per_day: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for key, user_id, day in recent:
        if user_id in active[key]:
            per_day[key][day] += 1
    rates = []
    for info in groups:
        key = info.ref.key
        days = per_day[key]
        first = today[key] - timedelta(days=WEEK - 1)
        rates.append(
            GroupRate(
                group=info.ref,
                name=info.ref.name or info.ref.id,
                members=len(active[key]),
                today=days.get(today[key], 0),
                week=sum(n for day, n in days.items() if first <= day <= today[key]),
                days=_days_existed(info.created_at, info.timezone, today[key]),
            )
        )
    return rates


def _days_existed(created_at: datetime | None, tz: ZoneInfo, today: date) -> int:
    """Days of the 7 ending ``today`` since the group was first seen, at least 1. Unknown, or
    stamped after today by a clock other than the platform's: the whole week."""
    if created_at is None or local_day(created_at, tz) > today:
        return WEEK
    return min(WEEK, (today - local_day(created_at, tz)).days + 1)
