"""The evening reminder: one message naming the members whose streak ends tonight.

The cron spec of a job is fixed when it is declared, but the reminder time is a per-group
setting; so the job runs every half hour of each group's local time and posts at the first run
at or after the group's ``remind_at``. The day's reminder is claimed by a unique (group, day)
row before it is posted: it is posted once per group per local day, whatever restarts, catch-ups
or DST folds happen, and a slot missed while the bot was down is made up by the next one.
"""

from __future__ import annotations

from datetime import timedelta

from tortoise.exceptions import IntegrityError

from bot import JobContext, Mention, Text
from bot.storage.models import RosterMember
from plugins.checkin.config import CheckinConfig
from plugins.checkin.models import CheckinMember, CheckinReminder
from plugins.checkin.streaks import parse_hhmm

__all__ = ["REMIND_SPEC", "remind"]

REMIND_SPEC = "0,30 * * * *"


async def remind(job: JobContext) -> None:
    assert job.platform is not None and job.guild_id is not None
    config: CheckinConfig = job.config or CheckinConfig()
    settings = config.for_group(job.platform, job.guild_id)
    at = parse_hhmm(settings.remind_at) if settings.remind_at else None
    local = job.local_slot
    if at is None or local.time() < at:
        return
    today = local.date()
    # At risk: a streak long enough, alive until tonight (last day = yesterday), reminders on.
    members = await CheckinMember.filter(
        platform=job.platform,
        guild_id=job.guild_id,
        last_day=today - timedelta(days=1),
        streak__gte=settings.remind_min_streak,
        remind=True,
    ).order_by("-streak", "name")
    gone = set(
        await RosterMember.filter(
            platform=job.platform, guild_id=job.guild_id, user_id__in=[m.user_id for m in members], is_member=False
        ).values_list("user_id", flat=True)
    )
    members = [m for m in members if m.user_id not in gone]
    if not members:
        return  # silent; a later slot looks again (a make-up card can put a streak at risk)
    try:
        await CheckinReminder.create(
            platform=job.platform, guild_id=job.guild_id, day=today, at=job.app.clock.now(), at_risk=len(members)
        )
    except IntegrityError:
        return  # already posted today
    if len(members) > settings.remind_max_names:
        await job.send(job.t("checkin.reminder.count", count=len(members)))
        return
    elements: list = [Text(job.t("checkin.reminder.names"))]
    for number, member in enumerate(members):
        if number:
            elements.append(Text(job.t("checkin.reminder.separator")))
        elements.append(Mention(member.user_id, member.name or member.user_id, notify=True))
        elements.append(Text(job.t("checkin.reminder.streak", streak=member.streak)))
    elements.append(Text(job.t("checkin.reminder.footer")))
    await job.send(elements)
