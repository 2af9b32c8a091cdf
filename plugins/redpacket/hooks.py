"""Core hooks: the sweep at start, the edits under way at the stop, and a member's request to
be forgotten."""

from __future__ import annotations

import secrets

from tortoise.expressions import Subquery

from bot import Scope, hookimpl
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


plugin.hooks(RedPacketHooks())
