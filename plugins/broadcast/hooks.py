"""Core hooks: recovery at start-up, a clean stop, and a member's request to be forgotten."""

from __future__ import annotations

from bot import Scope, hookimpl
from plugins.broadcast import plugin
from plugins.broadcast.models import Broadcast, Delivery, GroupLeader
from plugins.broadcast.service import Broadcasts

__all__ = ["BroadcastHooks"]


class BroadcastHooks:
    @hookimpl
    async def bot_startup(self, scope: Scope) -> None:
        """Copies claimed by an earlier process and never recorded: unknown, reported, not
        resent (see plugins.broadcast.service)."""
        await scope.service(Broadcasts).recover()

    @hookimpl
    async def bot_shutdown(self, scope: Scope) -> None:
        await scope.service(Broadcasts).stop()

    @hookimpl
    async def bot_delete_user_data(self, scope: Scope, platform: str, user_id: str) -> None:
        """Their leaderships, their confirmations' names, their authorship of broadcasts (the
        broadcasts themselves are the groups' announcements and stay)."""
        async with scope.transaction() as tx:
            await GroupLeader.filter(platform=platform, user_id=user_id).using_db(tx.connection).delete()
            await Delivery.filter(platform=platform, confirmed_by=user_id).using_db(
                tx.connection
            ).update(confirmed_by=None)
            await Broadcast.filter(author=f"{platform}:{user_id}").using_db(tx.connection).update(
                author=""
            )


plugin.hooks(BroadcastHooks())
