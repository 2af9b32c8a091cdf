"""Check-in rates: members who checked in / members active in the last 30 days.

"Active" is the core roster's ``last_active_at`` (messages and commands seen), widened by
everyone who checked in within those 30 days (also members who have left since, or were active
before the roster knew them), so a rate never exceeds 100%.

The 7-day average is over the days the group has been with the bot within those 7 (at least
one): a group added two days ago is not ranked as if it had skipped five days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.functions import Count

from bot.storage.models import GuildSettings, RosterMember
from plugins.checkin.models import KIND_CHECKIN, CheckIn
from plugins.checkin.streaks import local_day

__all__ = ["ACTIVE_WINDOW", "GroupRate", "WEEK", "group_rates"]

ACTIVE_WINDOW = timedelta(days=30)
WEEK = 7


@dataclass(frozen=True, slots=True)
class GroupRate:
    guild_id: str
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


async def group_rates(
    platform: str, groups: Sequence[tuple[str, str, ZoneInfo]], now: datetime
) -> list[GroupRate]:
    """Rates of ``groups`` = (guild_id, name, timezone), each on its own local today."""
    if not groups:
        return []
    ids = [guild_id for guild_id, _, _ in groups]
    today = {guild_id: local_day(now, tz) for guild_id, _, tz in groups}
    oldest = min(today.values()) - ACTIVE_WINDOW
    active: dict[str, set[str]] = defaultdict(set)
    for guild_id, user_id in await RosterMember.filter(
        platform=platform, guild_id__in=ids, is_member=True, last_active_at__gte=now - ACTIVE_WINDOW
    ).values_list("guild_id", "user_id"):
        active[guild_id].add(user_id)
    checked = CheckIn.filter(platform=platform, guild_id__in=ids, kind=KIND_CHECKIN)
    for guild_id, user_id in await checked.filter(day__gt=oldest).distinct().values_list("guild_id", "user_id"):
        active[guild_id].add(user_id)
    per_day: dict[str, dict] = defaultdict(dict)
    week_start = min(today.values()) - timedelta(days=WEEK - 1)
    for guild_id, day, count in (
        await checked.filter(day__gte=week_start)
        .annotate(n=Count("id"))
        .group_by("guild_id", "day")
        .values_list("guild_id", "day", "n")
    ):
        per_day[guild_id][day] = count
    created = dict(
        await GuildSettings.filter(platform=platform, guild_id__in=ids).values_list(
            "guild_id", "created_at"
        )
    )
    rates = []
    for guild_id, name, tz in groups:
        days = per_day[guild_id]
        first = today[guild_id] - timedelta(days=WEEK - 1)
        rates.append(
            GroupRate(
                guild_id=guild_id,
                name=name or guild_id,
                members=len(active[guild_id]),
                today=days.get(today[guild_id], 0),
                week=sum(n for day, n in days.items() if first <= day <= today[guild_id]),
                days=_days_existed(created.get(guild_id), tz, today[guild_id]),
            )
        )
    return rates


def _days_existed(created_at: datetime | None, tz: ZoneInfo, today: date) -> int:
    """Days of the 7 ending ``today`` since the group was first seen, at least 1. Unknown, or
    stamped after today by a clock other than the platform's: the whole week."""
    if created_at is None or local_day(created_at, tz) > today:
        return WEEK
    return min(WEEK, (today - local_day(created_at, tz)).days + 1)
