"""Every minute: decide the ads whose grace window is over, remove stale reminders, reload the
groups' rules another process may have changed."""

from __future__ import annotations

from bot import JobContext
from plugins.ads import plugin
from plugins.ads.policy import sweep as sweep_strikes
from plugins.ads.rules import AdRules

__all__ = ["sweep"]


@plugin.cron("* * * * *", per_guild=False, catch_up="latest")
async def sweep(job: JobContext) -> None:
    await sweep_strikes(job)
    await job.service(AdRules).refresh()
