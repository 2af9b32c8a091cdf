"""The core's hooks: a member's request to be forgotten, and the stop.

Deleting a member keeps the ledger invariant (each balance equals the sum of its entries), so
``qunbot points verify`` passes afterwards.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from bot import Batch, Scope, hookimpl
from plugins.points import plugin
from plugins.points.models import Activity, Balance, LedgerEntry
from plugins.points.service import Points

__all__ = ["PointsHooks", "delete_member"]


async def delete_member(platform: str, user_id: str) -> None:
    """Forget a member: their balances, ledger entries and XP state go, in every group. Their
    id is also removed as the actor of other members' entries (a payment they sent, points an
    admin gave). Other members' balances are untouched, so the invariant holds."""
    async with in_transaction():
        await LedgerEntry.filter(platform=platform, user_id=user_id).delete()
        await LedgerEntry.filter(actor=f"{platform}:{user_id}").update(actor=None)
        await Balance.filter(platform=platform, user_id=user_id).delete()
        await Activity.filter(platform=platform, user_id=user_id).delete()


class PointsHooks:
    @hookimpl
    async def bot_commit_batch(self, scope: Scope, batch: Batch) -> None:
        # The message-XP awards of the updates the batch confirms commit with it.
        await scope.service(Points).activity.commit_batch(batch)

    @hookimpl
    async def bot_shutdown(self, scope: Scope) -> None:
        # The message-XP awards still being written are committed before the database closes.
        await scope.service(Points).activity.flush()

    @hookimpl
    async def bot_delete_user_data(self, scope: Scope, platform: str, user_id: str) -> None:
        points = scope.service(Points)
        # Their awards still waiting for a batch go first, or the batch would bring rows back.
        points.activity.drop_unwritten(platform, user_id)
        await delete_member(platform, user_id)
        # Their balance rows and XP state are gone: remembered ids and cooldowns go too.
        points.forget_caches()


plugin.hooks(PointsHooks())
