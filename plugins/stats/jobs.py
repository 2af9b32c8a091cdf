"""The minute flush of the pending counters, the nightly roll-up of old hours into days, and
the daily and weekly reports.

The report time is a per-group setting, so the report job's slots come from the config: every
configured hour and minute (``report_spec``), in each group's local time. A group's report is
made at the first slot at or after its ``report_time`` and claimed by a unique (group, day,
kind) row, so it goes once whatever restarts happen. Every missed slot runs
(``catch_up="all"``): a report the bot was down for at 09:00 goes when it is back at 09:40. A
slot caught up after its local day is over sends nothing: the next day's report covers it.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot import GroupRef, JobContext
from plugins.stats import plugin
from plugins.stats.config import StatsConfig, StatsSettings
from plugins.stats.delivery import claim, deliver, hq_of, route
from plugins.stats.reports import (
    dailies,
    daily_of,
    daily_text,
    hq_daily_text,
    hq_weekly_content,
    weekly_content,
)
from plugins.stats.rollup import roll_up
from plugins.stats.service import Stats

__all__ = ["flush", "report", "report_spec", "rollup"]


def _config(job: JobContext) -> StatsConfig:
    return job.config or StatsConfig()


@plugin.cron("* * * * *", per_guild=False, catch_up="none")
async def flush(job: JobContext) -> None:
    await job.service(Stats).flush()


@plugin.cron("37 4 * * *", per_guild=False, catch_up="latest")
async def rollup(job: JobContext) -> None:
    config = _config(job)
    await job.service(Stats).flush()
    await roll_up(job, (job.now - timedelta(days=config.raw_days)).date())


def report_spec(config: StatsConfig | None) -> str:
    """Slots at every configured report time (the hours x minutes of all groups: a group's
    report goes at the first slot at or after its own time)."""
    times = [s.report_at for s in (config or StatsConfig()).every_group()]
    hours = sorted({t.hour for t in times})
    minutes = sorted({t.minute for t in times})
    return f"{','.join(map(str, minutes))} {','.join(map(str, hours))} * * *"


@plugin.cron(report_spec, name="report", catch_up="all")
async def report(job: JobContext) -> None:
    group = job.group
    assert group is not None
    config = _config(job)
    settings = config.for_group(group)
    local = job.local_slot
    today = local.date()
    if local.time() < settings.report_at or job.now.astimezone(job.timezone).date() != today:
        return
    await job.service(Stats).flush()
    hq = await hq_of(job)
    await group_reports(job, group, settings, route(settings, hq), today)
    if hq is not None and hq.gid == group.gid:
        await hq_reports(job, hq, settings, today)


async def group_reports(
    job: JobContext, group: GroupRef, settings: StatsSettings, where: str, today: date
) -> None:
    if where in ("off", "hq"):
        return  # in HQ: the digest of every group (hq_reports)
    info = await job.roster.group(group)
    yesterday = today - timedelta(days=1)
    row = await claim(job, group, today, "daily")
    if row is not None:
        daily = await daily_of(info, yesterday, settings.anomalies)

        async def build_daily(t):
            return daily_text(t, daily)

        row.delivered = await deliver(job, group, where, build_daily)
        await row.save(update_fields=["delivered"])
    if settings.weekly_weekday == today.weekday():
        row = await claim(job, group, today, "weekly")
        if row is not None:

            async def build_weekly(t):
                return await weekly_content(t, info, yesterday, settings)

            row.delivered = await deliver(job, group, where, build_weekly)
            await row.save(update_fields=["delivered"])


async def hq_reports(job: JobContext, hq: GroupRef, settings: StatsSettings, today: date) -> None:
    """The digests of every group that reports to HQ, at HQ's own report time."""
    config = _config(job)
    groups = [
        info for info in await job.roster.groups()
        if route(config.for_group(info.ref), hq) == "hq"
    ]
    if not groups:
        return
    if await claim(job, hq, today, "hq_daily") is not None:
        await job.send(hq_daily_text(job.t, await dailies(job, groups, config), config.fleet_labels))
    if settings.weekly_weekday == today.weekday() and await claim(job, hq, today, "hq_weekly") is not None:
        await job.send(await hq_weekly_content(job, job.t, groups, config, today - timedelta(days=1)))
