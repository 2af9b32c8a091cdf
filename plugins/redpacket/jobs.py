"""The expiry sweep: every minute, packets whose time is up give what is left back to their
sender (once: the packet is claimed by a conditional update and the refund has a unique ledger
key, so two processes, a restart or a caught-up slot cannot refund twice), and open packets
that are empty are finished. It also runs at start (``hooks``), for deadlines passed while the
bot was down."""

from __future__ import annotations

from bot import JobContext
from plugins.redpacket import plugin
from plugins.redpacket.service import RedPackets

__all__ = ["sweep"]


@plugin.cron("* * * * *", per_guild=False, catch_up="latest")
async def sweep(job: JobContext) -> None:
    await job.service(RedPackets).sweep()
