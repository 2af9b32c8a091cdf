"""Core hooks: recovery at start-up, a clean stop, and a member's request to be forgotten; and
``hq_group`` for plugins that report to the operators (the stats plugin's daily reports)."""

from __future__ import annotations

from bot import GroupRef, Scope, hookimpl
from plugins.broadcast import plugin
from plugins.broadcast.models import Broadcast, Delivery, GroupLeader, Schedule
from plugins.broadcast.service import Broadcasts

__all__ = ["BroadcastHooks"]


class BroadcastHooks:
    @hookimpl
    async def bot_startup(self, scope: Scope) -> None:
        """Copies claimed by an earlier process and never recorded: sent again with the same
        key where the platform drops a repeat (Discord), else unknown, reported, not resent
        (see plugins.broadcast.service). Then the drain worker starts."""
        service = scope.service(Broadcasts)
        await service.recover()
        service.start()

    @hookimpl
    async def bot_shutdown(self, scope: Scope) -> None:
        await scope.service(Broadcasts).stop()

    @hookimpl(optionalhook=True)
    async def hq_group(self, scope: Scope) -> GroupRef | None:
        """The HQ group (/hq set), while the bot is still in it."""
        hq = await scope.service(Broadcasts).hq()
        if hq is None:
            return None
        info = await scope.roster.group_by_key(hq.platform, hq.guild_id)
        return info.ref if info is not None and info.active else None

    @hookimpl
    async def bot_delete_user_data(self, scope: Scope, platform: str, user_id: str) -> None:
        """Their leaderships, their confirmations' names, their authorship of broadcasts and
        scheduled posts (the posts themselves are the groups' announcements and stay)."""
        async with scope.transaction() as tx:
            await GroupLeader.filter(platform=platform, user_id=user_id).using_db(tx.connection).delete()
            await Delivery.filter(platform=platform, confirmed_by=user_id).using_db(
                tx.connection
            ).update(confirmed_by=None)
            for model in (Broadcast, Schedule):
                await model.filter(author=f"{platform}:{user_id}").using_db(tx.connection).update(
                    author=""
                )


plugin.hooks(BroadcastHooks())
