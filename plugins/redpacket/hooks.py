"""Core hooks: the sweep at start, the edits under way at the stop, and a member's request to
be forgotten; and the inactive plugin's question of who grabbed a packet lately."""

from __future__ import annotations

import secrets
from datetime import datetime

from tortoise.expressions import Subquery
from tortoise.functions import Max

from bot import GroupRef, Scope, hookimpl
from plugins.redpacket import plugin
from plugins.redpacket.models import RedPacket, RedPacketShare
from plugins.redpacket.service import RedPackets
from plugins.redpacket.store import FORGOTTEN

__all__ = ["RedPacketHooks"]


class RedPacketHooks:
    @hookimpl
    async def bot_startup(self, scope: Scope) -> None:
        # Deadlines that passed while the bot was down are refunded now, not at the first tick.
        await scope.service(RedPackets).sweep()

    @hookimpl
    async def bot_shutdown(self, scope: Scope) -> None:
        await scope.service(RedPackets).flush_edits()

    @hookimpl
    async def bot_delete_user_data(
        self, scope: Scope, platform: str, user_id: str, locale: str
    ) -> str | None:
        """The member's id leaves every packet they sent or grabbed: the amounts stay, so every
        packet still adds up and the other members' ledger entries are untouched (their own go
        with the points plugin's hook). An open packet they sent can still be grabbed; what is
        left at its deadline is not refunded (they have no balance any more)."""
        changed = 0
        async with scope.transaction() as tx:
            sent = RedPacket.filter(platform=platform, sender_id=user_id).using_db(tx.connection)
            for packet_id in await sent.values_list("id", flat=True):
                await RedPacket.filter(id=packet_id).using_db(tx.connection).update(
                    sender_id=FORGOTTEN + secrets.token_hex(8)
                )
                changed += 1
            grabbed = await RedPacketShare.filter(
                member_id=user_id,
                packet_id__in=Subquery(RedPacket.filter(platform=platform).values("id")),
            ).using_db(tx.connection).values_list("id", flat=True)
            for share_id in grabbed:
                await RedPacketShare.filter(id=share_id).using_db(tx.connection).update(
                    member_id=FORGOTTEN + secrets.token_hex(8)
                )
                changed += 1
        return scope.translate(locale, "redpacket.forgotten") if changed else None

    @hookimpl
    async def inactive_activity(
        self, group: GroupRef, kinds: frozenset[str], since: datetime
    ) -> dict[str, datetime]:
        """Members who grabbed a packet in ``group`` at or after ``since``, with their latest
        grab: activity there (a spec of the inactive plugin; nothing happens here without it)."""
        if "redpacket" not in kinds:
            return {}
        rows = await RedPacketShare.filter(
            packet_id__in=Subquery(
                RedPacket.filter(platform=group.platform, guild_id=group.key).values("id")
            ),
            grabbed_at__gte=since,
        ).annotate(last=Max("grabbed_at")).group_by("member_id").values_list("member_id", "last")
        return {member_id: last for member_id, last in rows if member_id}


plugin.hooks(RedPacketHooks())
