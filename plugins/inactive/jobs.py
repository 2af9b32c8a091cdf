"""Scheduled work, in each group's own time: removals at their deadline (and warnings a crash
cut short), scheduled sweeps, and the weekly report (``report``); once for all groups: the message counts'
flush every minute and their pruning at night.

The cron spec is fixed when it is declared, but the sweep hour is a per-group setting, so the
sweep and report jobs run hourly and act at the group's hour. Each slot runs once across
restarts (the core scheduler), and a day's scheduled sweep is claimed by a unique row keyed by
its time, so it is made once whatever restarts or catch-ups happen.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from bot import JobContext
from plugins.inactive import plugin
from plugins.inactive.config import MAX_MESSAGES_DAYS
from plugins.inactive.counts import MessageCounts
from plugins.inactive.models import Candidate, Sweep
from plugins.inactive.report import send_report
from plugins.inactive.sweeps import confirm, create_preview, open_sweep, run, settings_of
from plugins.inactive.views import preview_message
from plugins.inactive.warning import warn

__all__ = ["deadlines", "flush", "prune", "scheduled_sweep", "weekly_report"]

# A warning still going out this long after the Confirm was cut short by a crash.
WARNING_RESUMED_AFTER = timedelta(minutes=10)


@plugin.cron("* * * * *", per_guild=False, catch_up="none")
async def flush(job: JobContext) -> None:
    await job.service(MessageCounts).flush()


@plugin.cron("17 3 * * *", per_guild=False, catch_up="latest")
async def prune(job: JobContext) -> None:
    # A day more than the longest window, and a day for the groups' timezones.
    await job.service(MessageCounts).prune((job.now - timedelta(days=MAX_MESSAGES_DAYS + 2)).date())


@plugin.cron("*/10 * * * *", name="deadlines", catch_up="latest")
async def deadlines(job: JobContext) -> None:
    """Warned sweeps whose deadline has come, runs a crash interrupted, and warnings a crash
    cut short (a member never warned is spared at the deadline)."""
    group = job.group
    assert group is not None
    unfinished = await Sweep.filter(
        platform=group.platform, guild_id=group.key, status="warned", deadline__gt=job.now,
        confirmed_at__lte=job.now - WARNING_RESUMED_AFTER,
    ).values_list("id", flat=True)
    for sweep_id in unfinished:
        if await Candidate.filter(sweep_id=sweep_id, state="pending", warned="").exists():
            await warn(job, group, sweep_id, settings_of(job, group))
    due = await Sweep.filter(
        platform=group.platform, guild_id=group.key, status__in=("warned", "running"),
        deadline__lte=job.now,
    ).order_by("id").values_list("id", flat=True)
    for sweep_id in due:
        await run(job, group, sweep_id)


@plugin.cron("0 * * * *", name="sweep", catch_up="latest")
async def scheduled_sweep(job: JobContext) -> None:
    group = job.group
    assert group is not None
    settings = settings_of(job, group)
    local = job.local_slot
    if settings.schedule == "off" or local.hour < settings.sweep_hour:
        return
    if settings.schedule == "weekly" and local.weekday() != 0:
        return
    if await open_sweep(group, "warned", "running") is not None:
        return  # one elimination at a time
    # The day's sweep is claimed by its time (unique): the first hourly run at or after the
    # sweep hour makes it, also when the bot was down at that hour; never twice.
    day_slot = local.replace(hour=settings.sweep_hour, minute=0, second=0, microsecond=0)
    made = await create_preview(job, group, settings, by=None, slot=day_slot.astimezone(UTC))
    if made is None:
        return  # this slot already made its sweep
    sweep, candidates, checked = made
    if not candidates:
        await Sweep.filter(id=sweep.id, status="preview").update(status="done", finished_at=job.now)
        return
    if settings.auto:
        await confirm(job, group, sweep, settings, by="auto")
        return
    info = await job.roster.group(group)
    note = job.t("inactive.scheduled")
    message = preview_message(job.t, sweep, candidates, checked, settings, job.now, info.timezone, note=note)
    await job.send(message)


@plugin.cron("0 * * * *", name="report", catch_up="latest")
async def weekly_report(job: JobContext) -> None:
    group = job.group
    assert group is not None
    settings = settings_of(job, group)
    local = job.local_slot
    if not settings.weekly_report or local.hour != settings.sweep_hour or local.weekday() != 0:
        return
    await send_report(job, group, settings)
