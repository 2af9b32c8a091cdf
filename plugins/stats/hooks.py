"""Hooks: figures other plugins report (``stats_count``), points earned (the points plugin's
``points_changed``, when it is loaded), the last batch at shutdown, and data deletion."""

from __future__ import annotations

from bot import Batch, GroupRef, MemberRef, Scope, hookimpl
from plugins.stats import plugin
from plugins.stats.models import StatsSpeaker, StatsSubscriber
from plugins.stats.service import Stats

__all__ = ["StatsHooks"]


class StatsHooks:
    @hookimpl
    async def stats_count(self, scope: Scope, group: GroupRef, name: str, amount: int) -> None:
        await scope.service(Stats).count(group, name, amount)

    @hookimpl(optionalhook=True)
    async def points_changed(self, scope: Scope, member: MemberRef, amount: int, kind: str) -> None:
        """Points earned in a group (not spent, not moved between members)."""
        if member.group is not None and kind == "earn" and amount > 0:
            await scope.service(Stats).count(member.group, "points", amount)

    @hookimpl
    async def bot_commit_batch(self, scope: Scope, batch: Batch) -> None:
        await scope.service(Stats).commit_batch(batch)

    @hookimpl
    async def bot_shutdown(self, scope: Scope) -> None:
        # The counters of the last minute are written before the database closes.
        await scope.service(Stats).flush()

    @hookimpl
    async def bot_delete_user_data(self, scope: Scope, platform: str, user_id: str) -> None:
        """A member's daily message counts and report subscriptions go; the groups' hourly
        totals (no one's id) stay."""
        stats = scope.service(Stats)
        await stats.flush()
        stats.forget(platform, user_id)
        await StatsSpeaker.filter(platform=platform, user_id=user_id).delete()
        await StatsSubscriber.filter(platform=platform, user_id=user_id).delete()


plugin.hooks(StatsHooks())
