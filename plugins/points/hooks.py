"""The core's hooks: a group that changed id, a member's request to be forgotten, and the stop.

The first two keep the ledger invariant (each balance equals the sum of its entries), so
``qunbot points verify`` passes afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from bot import hookimpl
from plugins.points.models import Activity, Balance, LedgerEntry
from plugins.points.plugin import plugin
from plugins.points.service import Points, forget_all_caches

if TYPE_CHECKING:
    from bot import App

__all__ = ["PointsHooks", "delete_member", "migrate_guild"]


async def migrate_guild(platform: str, old_id: str, new_id: str) -> None:
    """Move every points row of ``old_id`` to ``new_id`` in one transaction. A member who
    already has a balance under the new id (seen there before the migration notice) keeps one
    row holding both: balances and lifetime XP add up, exactly like their ledger entries, which
    all move to the new id. Running it again finds nothing left to move."""
    async with in_transaction():
        await _merge_balances(platform, old_id, new_id)
        await LedgerEntry.filter(platform=platform, scope=old_id).update(scope=new_id)
        await LedgerEntry.filter(platform=platform, guild_id=old_id).update(guild_id=new_id)
        await _merge_activity(platform, old_id, new_id)


async def _merge_balances(platform: str, old_id: str, new_id: str) -> None:
    present = {
        r["user_id"]: r
        for r in await Balance.filter(platform=platform, scope=new_id).values("id", "user_id", "level")
    }
    for row in await Balance.filter(platform=platform, scope=old_id).values(
        "id", "user_id", "balance", "lifetime_xp", "level"
    ):
        target = present.get(row["user_id"])
        if target is None:
            continue
        # The stored level is the highest announced one; a higher level the merged XP reaches
        # is announced (and rewarded) on the member's next credit.
        await Balance.filter(id=target["id"]).update(
            balance=F("balance") + row["balance"],
            lifetime_xp=F("lifetime_xp") + row["lifetime_xp"],
            level=max(target["level"], row["level"]),
        )
        await Balance.filter(id=row["id"]).delete()
    await Balance.filter(platform=platform, scope=old_id).update(scope=new_id)


async def _merge_activity(platform: str, old_id: str, new_id: str) -> None:
    # One message-XP state per member and group: the later award decides the cooldown, and the
    # XP of the same day counts once against the daily cap.
    present = {
        r["user_id"]: r
        for r in await Activity.filter(platform=platform, guild_id=new_id).values(
            "id", "user_id", "last_award_at", "day", "day_xp"
        )
    }
    for row in await Activity.filter(platform=platform, guild_id=old_id).values(
        "id", "user_id", "last_award_at", "day", "day_xp"
    ):
        target = present.get(row["user_id"])
        if target is None:
            continue
        later, earlier = (row, target) if row["last_award_at"] > target["last_award_at"] else (target, row)
        day_xp = later["day_xp"] + (earlier["day_xp"] if earlier["day"] == later["day"] else 0)
        # Bumping the version makes another process's cached state of this row stale.
        await Activity.filter(id=target["id"]).update(
            last_award_at=later["last_award_at"], day=later["day"], day_xp=day_xp, awards=F("awards") + 1
        )
        await Activity.filter(id=row["id"]).delete()
    await Activity.filter(platform=platform, guild_id=old_id).update(guild_id=new_id)


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
    async def bot_shutdown(self, app: App) -> None:
        # The message-XP awards still being written are committed before the database closes.
        if app.has_service(Points):
            await app.service(Points).activity.flush()

    @hookimpl
    async def bot_guild_migrated(self, platform: str, old_id: str, new_id: str) -> None:
        await migrate_guild(platform, old_id, new_id)
        forget_all_caches()

    @hookimpl
    async def bot_delete_user_data(self, platform: str, user_id: str) -> None:
        await delete_member(platform, user_id)
        forget_all_caches()


plugin.hooks(PointsHooks())
