"""Rolling up: hours and per-member days older than the raw window become one row per group per
day (every counter summed, the day's distinct speakers counted), in one transaction per day, so
a roll-up stopped half-way leaves each day either raw or rolled, never both or neither."""

from __future__ import annotations

from datetime import date

from tortoise.functions import Sum

from bot import Scope
from plugins.stats.models import COUNTERS, StatsDay, StatsExtra, StatsHour, StatsSpeaker

__all__ = ["roll_up"]

SUMMED = tuple(c for c in COUNTERS if c != "speakers")
# Days rolled per run at most (a first run after a long time catches up over a few nights).
MAX_DAYS = 20_000


async def roll_up(scope: Scope, before: date) -> int:
    """Roll every group's days before ``before``; returns the days rolled."""
    days = (
        await StatsHour.filter(day__lt=before)
        .annotate(**{f"s_{c}": Sum(c) for c in SUMMED})
        .group_by("platform", "guild_id", "day")
        .order_by("day")
        .limit(MAX_DAYS)
        .values("platform", "guild_id", "day", *(f"s_{c}" for c in SUMMED))
    )
    rolled = 0
    for row in days:
        keys = {"platform": row["platform"], "guild_id": row["guild_id"], "day": row["day"]}
        async with scope.transaction() as tx:
            db = tx.connection
            speakers = await StatsSpeaker.filter(**keys).using_db(db).count()
            totals = {c: int(row[f"s_{c}"] or 0) for c in SUMMED}
            existing = await StatsDay.filter(**keys).using_db(db).first()
            if existing is None:
                await StatsDay.create(**keys, speakers=speakers, **totals, using_db=db)
            else:  # figures reported late for a day already rolled
                for name, value in totals.items():
                    setattr(existing, name, getattr(existing, name) + value)
                existing.speakers = max(existing.speakers, speakers)
                await existing.save(using_db=db)
            extras = (
                await StatsExtra.filter(**keys, hour__gte=0).using_db(db)
                .annotate(total=Sum("value")).group_by("name").values("name", "total")
            )
            for extra in extras:
                row_extra = await StatsExtra.filter(**keys, hour=-1, name=extra["name"]).using_db(db).first()
                if row_extra is None:
                    await StatsExtra.create(
                        **keys, hour=-1, name=extra["name"], value=int(extra["total"] or 0), using_db=db
                    )
                else:
                    row_extra.value += int(extra["total"] or 0)
                    await row_extra.save(using_db=db)
            await StatsExtra.filter(**keys, hour__gte=0).using_db(db).delete()
            await StatsHour.filter(**keys).using_db(db).delete()
            await StatsSpeaker.filter(**keys).using_db(db).delete()
        rolled += 1
    # Per-member rows of days that had no hour row (cannot happen through the collector, but a
    # restore might): dropped with the window.
    await StatsSpeaker.filter(day__lt=before).delete()
    return rolled
