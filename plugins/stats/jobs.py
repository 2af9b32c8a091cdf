"""The minute flush of the pending counters, and the nightly roll-up of old hours into days."""

from __future__ import annotations

from datetime import timedelta

from bot import JobContext
from plugins.stats import plugin
from plugins.stats.config import StatsConfig
from plugins.stats.rollup import roll_up
from plugins.stats.service import Stats

__all__ = ["flush", "rollup"]


@plugin.cron("* * * * *", per_guild=False, catch_up="none")
async def flush(job: JobContext) -> None:
    await job.service(Stats).flush()


@plugin.cron("37 4 * * *", per_guild=False, catch_up="latest")
async def rollup(job: JobContext) -> None:
    config: StatsConfig = job.config or StatsConfig()
    await job.service(Stats).flush()
    await roll_up(job, (job.now - timedelta(days=config.raw_days)).date())
