"""Core hooks: a group that changed id, and a member's request to be forgotten."""

from __future__ import annotations

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from bot import hookimpl
from plugins.checkin.models import KIND_CHECKIN, CheckIn, CheckinMember, CheckinReminder
from plugins.checkin.streaks import run_ending, summarize

__all__ = ["CheckinHooks", "migrate_guild"]


async def migrate_guild(platform: str, old_id: str, new_id: str) -> None:
    """Move a group's check-ins to its new id in one transaction, merged with what members did
    under the new id before the migration notice: one check-in per member and day (the one
    under the new id, already paid there, wins), places of a day shared by both renumbered in
    the order sent, one summary per member with streaks recomputed from the merged days."""
    async with in_transaction() as conn:
        old, new = CheckIn.filter(platform=platform, guild_id=old_id), CheckIn.filter(platform=platform, guild_id=new_id)
        taken = set(await new.using_db(conn).values_list("user_id", "day"))
        for row_id, user_id, day in await old.using_db(conn).values_list("id", "user_id", "day"):
            if (user_id, day) in taken:
                await CheckIn.filter(id=row_id).using_db(conn).delete()
        shared = set(await old.using_db(conn).filter(place__isnull=False).values_list("day", flat=True)) & set(
            await new.using_db(conn).filter(place__isnull=False).values_list("day", flat=True)
        )
        both = CheckIn.filter(platform=platform, guild_id__in=[old_id, new_id], day__in=shared, place__isnull=False)
        # Negative places first (distinct from every place in either group), positive once moved.
        rows = await both.using_db(conn).order_by("day", "at", "id").values_list("id", "day")
        place, previous = 0, None
        for row_id, day in rows:
            place = place + 1 if day == previous else 1
            previous = day
            await CheckIn.filter(id=row_id).using_db(conn).update(place=-place)
        await old.using_db(conn).update(guild_id=new_id)
        await new.using_db(conn).filter(place__lt=0).update(place=F("place") * -1)

        present = {
            m["user_id"]: m
            for m in await CheckinMember.filter(platform=platform, guild_id=new_id).using_db(conn).values("user_id", "remind")
        }
        moved, merged = [], set()
        for member_id, user_id, remind in await CheckinMember.filter(platform=platform, guild_id=old_id).using_db(
            conn
        ).values_list("id", "user_id", "remind"):
            moved.append(user_id)
            if user_id in present:
                merged.add(user_id)
                # Opted out in either group: stays opted out.
                await CheckinMember.filter(platform=platform, guild_id=new_id, user_id=user_id).using_db(conn).update(
                    remind=remind and present[user_id]["remind"]
                )
                await CheckinMember.filter(id=member_id).using_db(conn).delete()
        await CheckinMember.filter(platform=platform, guild_id=old_id).using_db(conn).update(guild_id=new_id)
        for user_id in moved:
            days = await new.using_db(conn).filter(user_id=user_id).filter(
                Q(kind=KIND_CHECKIN) | Q(settled=True)
            ).values_list("day", flat=True)
            streaks = summarize(days)
            if user_id in merged:
                # The streak each day completed, as "already checked in" shows it.
                for row_id, day in await new.using_db(conn).filter(user_id=user_id, kind=KIND_CHECKIN).values_list(
                    "id", "day"
                ):
                    await CheckIn.filter(id=row_id).using_db(conn).update(streak=run_ending(set(days), day))
            await CheckinMember.filter(platform=platform, guild_id=new_id, user_id=user_id).using_db(conn).update(
                streak=streaks.streak, last_day=streaks.last_day, longest=streaks.longest, total=streaks.total
            )

        posted = set(await CheckinReminder.filter(platform=platform, guild_id=new_id).using_db(conn).values_list(
            "day", flat=True
        ))
        await CheckinReminder.filter(platform=platform, guild_id=old_id, day__in=posted).using_db(conn).delete()
        await CheckinReminder.filter(platform=platform, guild_id=old_id).using_db(conn).update(guild_id=new_id)


class CheckinHooks:
    @hookimpl
    async def bot_guild_migrated(self, platform: str, old_id: str, new_id: str) -> None:
        await migrate_guild(platform, old_id, new_id)

    @hookimpl
    async def bot_delete_user_data(self, platform: str, user_id: str) -> None:
        await CheckIn.filter(platform=platform, user_id=user_id).delete()
        await CheckinMember.filter(platform=platform, user_id=user_id).delete()
