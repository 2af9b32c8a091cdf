"""Paying check-in rewards and milestones through the Points service, idempotently.

Every payment has a key derived from what it pays for (the member's day, the member's
milestone), so any retry, concurrent or after a crash, pays at most once.
"""

from __future__ import annotations

from plugins.checkin.config import CheckinSettings
from plugins.checkin.models import CheckIn, CheckinMember
from plugins.checkin.store import day_key, milestone_key
from plugins.points import Points

__all__ = ["PLUGIN", "pay_milestones", "settle_checkin"]

PLUGIN = "checkin"


async def settle_checkin(points: Points, row: CheckIn) -> None:
    """Pay a check-in's stored reward (once, by key) and mark it settled."""
    if row.settled:
        return
    if row.reward > 0:
        await points.earn(
            row.platform,
            row.guild_id,
            row.user_id,
            row.reward,
            key=day_key(row),
            reason=f"check-in {row.day.isoformat()} (streak {row.streak})",
            plugin=PLUGIN,
        )
    await CheckIn.filter(id=row.id).update(settled=True)
    row.settled = True


async def pay_milestones(
    points: Points, member: CheckinMember, streak: int, settings: CheckinSettings
) -> list[tuple[int, int]]:
    """Pay every milestone the current ``streak`` has reached and that was never paid to this
    member in this group; returns the (days, points) paid now. Paying all reached ones, not
    only the one reached today, heals a payment lost to a crash at the next check-in."""
    paid = []
    for days, amount in sorted(settings.milestones.items()):
        if days > streak or amount <= 0:
            continue
        result = await points.earn(
            member.platform,
            member.guild_id,
            member.user_id,
            amount,
            key=milestone_key(member.platform, member.guild_id, member.user_id, days),
            reason=f"check-in streak of {days} days",
            plugin=PLUGIN,
        )
        if result.applied:
            paid.append((days, amount))
    return paid
