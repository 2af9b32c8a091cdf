"""Every minute: the scheduled posts whose slot came are queued, then the delivery queue is
drained (it is drained at once too when a broadcast is confirmed): every copy whose time has
come, at the configured pace, and the copies being recalled. Copies scheduled for 21:00 in a
group's timezone are due at that minute; a drain that is still running when the next minute
comes is waited for, never run twice at once."""

from __future__ import annotations

from bot import JobContext
from plugins.broadcast import plugin
from plugins.broadcast.service import Broadcasts

__all__ = ["deliver"]


@plugin.cron("* * * * *", name="deliver", per_guild=False, catch_up="latest")
async def deliver(job: JobContext) -> None:
    await job.service(Broadcasts).run()
