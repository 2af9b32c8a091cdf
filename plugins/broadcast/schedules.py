"""Scheduled posts: a cron spec read on each target group's own wall clock.

Every minute the core scheduler runs ``broadcast.deliver`` once (one slot, one process); it
first turns the slots that came since the last look into copies. Each slot of each schedule,
at one instant, is one broadcast (unique per schedule and instant) with one delivery row per
group (unique per broadcast and group): a slot is posted once per group whatever the number of
ticks, restarts or processes that see it, and the copies go through the same queue as a
broadcast (paced, retried, reported). A group's slots come from cronsim in its timezone, so a
DST change moves the UTC time and never doubles or drops a day: a 09:00 post stays at 09:00,
a time skipped by the spring jump comes at the first minute after it, and the hour repeated
in autumn runs once. Slots missed for longer than ``schedule_grace_minutes`` (the bot was
down) are skipped: a good-morning post at noon is worse than none.

``best``: the group's busiest hour of the day from the stats plugin when it is enabled and has
counted messages (:meth:`plugins.stats.Stats.best_hours`), else ``best_fallback`` (09:00).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError
from tortoise.exceptions import IntegrityError

from bot import GroupInfo
from bot.plugin import PluginError
from plugins.broadcast.models import Broadcast, Delivery, Schedule
from plugins.stats import Stats

if TYPE_CHECKING:
    from plugins.broadcast.service import Broadcasts

__all__ = [
    "Schedules", "Spec", "daily_time", "next_slot", "parse_hhmm", "parse_spec", "slots_between",
]

log = logging.getLogger(__name__)
UTC = ZoneInfo("UTC")
DAILY_WORDS = ("daily", "每天", "每日")
CRON_WORDS = ("cron",)
BEST_WORDS = ("best", "最佳")
_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z?]+$")
_TOKEN = re.compile(r"\s*(\S+)")
_DAILY_SPEC = re.compile(r"^(\d{1,2}) (\d{1,2}) \* \* \*$")
# Slots older than this after a long stop are not even looked at (they are past the grace).
LOOK_BACK = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Spec:
    cron: str
    best: bool
    rest: str


def parse_hhmm(value: str) -> time | None:
    hours, sep, minutes = value.partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        return None
    if int(hours) > 23 or int(minutes) > 59:
        return None
    return time(int(hours), int(minutes))


def _valid(cron: str) -> bool:
    try:
        CronSim(cron, datetime(2026, 1, 1))
    except (CronSimError, ValueError):
        return False
    return True


def parse_spec(text: str) -> Spec | None:
    """``daily 09:00 …``, ``daily best …``, ``cron 0 9 * * 1-5 …`` or the five cron fields
    alone (the minute one number: at most once an hour); the rest of the line is the text.
    None when it starts with none of these."""
    words = [(m.group(1), m.end()) for m in _TOKEN.finditer(text)]
    if not words:
        return None
    first = words[0][0].casefold()
    if first in DAILY_WORDS and len(words) > 1:
        second, end = words[1]
        if second.casefold() in BEST_WORDS:
            return Spec("0 9 * * *", True, text[end:].strip())
        at = parse_hhmm(second)
        return Spec(f"{at.minute} {at.hour} * * *", False, text[end:].strip()) if at else None
    fields = words[1:6] if first in CRON_WORDS else words[:5]
    # One minute of the hour: a post comes at most once an hour (a group is no feed).
    if len(fields) == 5 and fields[0][0].isdigit() and all(_CRON_FIELD.match(w) for w, _ in fields):
        cron = " ".join(w for w, _ in fields)
        if _valid(cron):
            return Spec(cron, False, text[fields[-1][1]:].strip())
    return None


def daily_time(cron: str) -> str | None:
    """"09:00" for a once-a-day spec, else None."""
    found = _DAILY_SPEC.match(cron)
    return f"{int(found.group(2)):02d}:{int(found.group(1)):02d}" if found else None


def slots_between(cron: str, tz: ZoneInfo, after: datetime, until: datetime) -> list[datetime]:
    """The slots of ``cron`` on the wall clock of ``tz`` in (after, until], in UTC."""
    found: list[datetime] = []
    if until <= after:
        return found
    for local in CronSim(cron, after.astimezone(tz)):
        if local > until:
            break
        found.append(local.astimezone(UTC))
    return found


def next_slot(cron: str, tz: ZoneInfo, after: datetime) -> datetime:
    return next(iter(CronSim(cron, after.astimezone(tz)))).astimezone(UTC)


class Schedules:
    def __init__(self, service: Broadcasts) -> None:
        self.service = service
        self.scope = service.scope
        # (platform, group key) -> (local day, cron) of a ``best`` schedule: asked once a day.
        self._best: dict[tuple[str, str], tuple[date, str]] = {}

    async def targets(self, schedule: Schedule) -> list[GroupInfo]:
        if schedule.tags is None:
            home = await self.scope.roster.group_by_key(schedule.platform, schedule.guild_id)
            return [home] if home is not None and home.active else []
        return await self.service.targets(list(schedule.tags))

    async def cron_for(self, schedule: Schedule, info: GroupInfo, now: datetime) -> str:
        if not schedule.best:
            return schedule.spec
        today = now.astimezone(info.timezone).date()
        key = (info.ref.platform, info.ref.key)
        cached = self._best.get(key)
        if cached is None or cached[0] != today:
            cached = self._best[key] = (today, await self._best_cron(info))
        return cached[1]

    async def _best_cron(self, info: GroupInfo) -> str:
        fallback = self.service.config.best_fallback
        try:
            hours = await self.scope.service(Stats).best_hours(info.ref, count=1)
        except PluginError:
            hours = []  # the stats plugin is not enabled
        if hours:
            return f"0 {hours[0]} * * *"
        return f"{int(fallback[3:5])} {int(fallback[:2])} * * *"

    async def due(self) -> int:
        """Turn every slot that came since the last look (within the grace) into copies;
        returns how many copies were queued."""
        now = self.scope.now
        grace = timedelta(minutes=self.service.config.schedule_grace_minutes)
        queued = 0
        # One look a minute over every schedule: the slots of a spec in a timezone, and the
        # groups of a set of tags, are worked out once.
        slots_of: dict[tuple[str, str, datetime], list[datetime]] = {}
        for schedule in await Schedule.filter(paused=False).order_by("id"):
            since = max(schedule.checked_until, now - LOOK_BACK)
            by_slot: dict[datetime, list[GroupInfo]] = {}
            for info in await self.targets(schedule):
                cron = await self.cron_for(schedule, info, now)
                key = (cron, info.timezone.key, since)
                if key not in slots_of:
                    slots_of[key] = slots_between(cron, info.timezone, since, now)
                slots = slots_of[key]
                if slots and slots[-1] >= now - grace:
                    by_slot.setdefault(slots[-1], []).append(info)
                elif slots:
                    log.info("schedule %s: %s missed in %s (the bot was away)", schedule.id,
                             slots[-1], info.ref.gid)
            for slot, groups in sorted(by_slot.items()):
                queued += await self._occur(schedule, slot, groups, now)
        # A schedule made during this look keeps its own (later) start.
        await Schedule.filter(paused=False, checked_until__lt=now).update(checked_until=now)
        return queued

    async def _occur(
        self, schedule: Schedule, slot: datetime, groups: list[GroupInfo], now: datetime
    ) -> int:
        occurrence = slot.strftime("%Y-%m-%dT%H:%M")
        broadcast = await Broadcast.get_or_none(schedule_id=schedule.id, occurrence=occurrence)
        if broadcast is None:
            try:
                broadcast = await Broadcast.create(
                    platform=schedule.platform, guild_id=schedule.guild_id,
                    author=schedule.author, elements=schedule.elements, source=schedule.source,
                    text=schedule.text, tags=schedule.tags or [], status="confirmed",
                    created_at=now, confirmed_at=now, schedule_id=schedule.id,
                    occurrence=occurrence,
                )
            except IntegrityError:  # another process made it first
                broadcast = await Broadcast.get(schedule_id=schedule.id, occurrence=occurrence)
        before = await Delivery.filter(broadcast_id=broadcast.id).count()
        await Delivery.bulk_create(
            [
                Delivery(
                    broadcast_id=broadcast.id, platform=info.ref.platform, guild_id=info.ref.key,
                    due_at=slot, next_at=now,
                )
                for info in groups
            ],
            ignore_conflicts=True,
        )
        total = await Delivery.filter(broadcast_id=broadcast.id).count()
        await Broadcast.filter(id=broadcast.id).update(targets=total)
        return total - before
