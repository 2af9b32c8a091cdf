"""The evening reminder: one message naming the members whose streak ends tonight.

The reminder time is a per-group setting, so the job's slots come from the config: every
configured hour and minute (``remind_spec``), in each group's local time; a group's reminder is
posted at the first slot at or after its ``remind_at``. The day's reminder is claimed by a unique (group, day)
row before it is posted: it is posted once per group per local day, whatever restarts,
catch-ups or DST folds happen.

Every missed slot runs (``catch_up="all"``), in order: a reminder the bot was down for at 21:00
is posted when it is back at 21:40, and a clock that jumps a day (the console's ``:wait 1d``)
stops at 21:00 to post it then. A slot run after its day is over posts nothing: the streaks it
would name have already ended, and "ends at midnight" would be wrong.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from bot import JobContext, Mention, Text
from plugins.checkin import plugin
from plugins.checkin.config import CheckinConfig
from plugins.checkin.models import KIND_CHECKIN, CheckIn, CheckinMember, CheckinReminder, CheckinSummary
from plugins.checkin.quiet import is_quiet, summary_time, sweep_replies
from plugins.checkin.streaks import local_day, parse_hhmm

__all__ = ["remind", "remind_spec", "summary", "summary_spec", "sweep"]

# Members named in a morning summary at most; the rest are counted.
SUMMARY_NAMES = 30

def remind_spec(config: CheckinConfig | None) -> str:
    """Slots at every configured reminder time (hours x minutes of all groups: a group is
    reminded once, at the first slot at or after its own time)."""
    config = config or CheckinConfig()
    times = [parse_hhmm(s.remind_at) for s in config.every_group() if s.remind_at]
    times = [t for t in times if t is not None] or [parse_hhmm("21:00")]
    hours = sorted({t.hour for t in times})
    minutes = sorted({t.minute for t in times})
    return f"{','.join(map(str, minutes))} {','.join(map(str, hours))} * * *"


@plugin.cron(remind_spec, name="remind", catch_up="all")
async def remind(job: JobContext) -> None:
    group = job.group
    assert group is not None
    config: CheckinConfig = job.config or CheckinConfig()
    settings = config.for_group(group)
    at = parse_hhmm(settings.remind_at) if settings.remind_at else None
    local = job.local_slot
    if at is None or local.time() < at:
        return
    today = local.date()
    if local_day(job.now, job.timezone) != today:
        return  # caught up after the day ended: too late to save anything
    # At risk: a streak long enough, alive until tonight (last day = yesterday), reminders on,
    # still in the group.
    candidates = await CheckinMember.filter(
        platform=group.platform,
        guild_id=group.key,
        last_day=today - timedelta(days=1),
        streak__gte=settings.remind_min_streak,
        remind=True,
    )
    present = await job.roster.current(group, [m.user_id for m in candidates])
    members = [m for m in candidates if m.user_id in present]
    if not members:
        return  # silent; a later slot looks again (a make-up card can put a streak at risk)
    try:
        await CheckinReminder.create(
            platform=group.platform, guild_id=group.key, day=today, at=job.now,
            at_risk=len(members),
        )
    except IntegrityError:
        return  # already posted today
    if len(members) > settings.remind_max_names:
        await job.send(job.t("checkin.reminder.count", n=len(members)))
        return
    names = await job.roster.names(group.platform, [m.user_id for m in members])
    named = sorted(
        ((m, names.get(m.user_id) or m.name or m.user_id) for m in members),
        key=lambda pair: (-pair[0].streak, pair[1]),
    )
    elements: list = [Text(job.t("checkin.reminder.names"))]
    for number, (member, name) in enumerate(named):
        if number:
            elements.append(Text(job.t("checkin.reminder.separator")))
        elements.append(Mention(member.user_id, name, notify=True))
        elements.append(Text(job.t("checkin.reminder.streak", streak=job.t("checkin.days", n=member.streak))))
    elements.append(Text(job.t("checkin.reminder.footer")))
    await job.send(elements)


def summary_spec(config: CheckinConfig | None) -> str:
    """Slots at every configured summary time (as :func:`remind_spec`). Summary times come only
    from the config, so with none the job's one slot a year finds nothing to do."""
    config = config or CheckinConfig()
    times = [parse_hhmm(s.quiet_summary_at) for s in config.every_group() if s.quiet_summary_at]
    times = [t for t in times if t is not None]
    if not times:
        return "0 0 1 1 *"
    return f"{','.join(map(str, sorted({t.minute for t in times})))} " \
        f"{','.join(map(str, sorted({t.hour for t in times})))} * * *"


@plugin.cron(summary_spec, name="summary", catch_up="all")
async def summary(job: JobContext) -> None:
    """A quiet group's morning check-ins, in one message at its ``quiet_summary_at``."""
    group = job.group
    assert group is not None
    config: CheckinConfig = job.config or CheckinConfig()
    settings = config.for_group(group)
    at = summary_time(settings)
    local = job.local_slot
    if at is None or local.time() < at or not await is_quiet(group, settings):
        return
    today = local.date()
    if local_day(job.now, job.timezone) != today:
        return  # caught up the next day: that morning is over
    rows = await CheckIn.filter(
        platform=group.platform, guild_id=group.key, day=today, kind=KIND_CHECKIN
    ).order_by("place")
    cutoff = datetime.combine(today, at, job.timezone)
    morning = [row for row in rows if row.at.astimezone(job.timezone) < cutoff]
    if not morning:
        return
    try:
        await CheckinSummary.create(
            platform=group.platform, guild_id=group.key, day=today, at=job.now, checked=len(morning)
        )
    except IntegrityError:
        return  # already posted today
    names = await job.roster.names(group.platform, [row.user_id for row in morning])
    shown = [
        job.t("checkin.summary.line", place=row.place, name=names.get(row.user_id) or row.user_id,
              streak=job.t("checkin.days", n=row.streak))
        for row in morning[:SUMMARY_NAMES]
    ]
    lines = [job.t("checkin.summary.head", n=len(morning)), *shown]
    if len(morning) > SUMMARY_NAMES:
        lines.append(job.t("checkin.summary.more", n=len(morning) - SUMMARY_NAMES))
    await job.send("\n".join(lines))


@plugin.cron("* * * * *", name="sweep", per_guild=False, catch_up="latest")
async def sweep(job: JobContext) -> None:
    """Quiet groups' check-in replies whose time is up are removed."""
    await sweep_replies(job)
