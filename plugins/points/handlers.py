"""The message handler that awards XP for chat activity (see ``xp``)."""

from __future__ import annotations

from bot import Context, MessageCreated
from plugins.points import plugin
from plugins.points.service import Points

__all__ = ["message_xp"]


@plugin.on(MessageCreated)
async def message_xp(ctx: Context, event: MessageCreated) -> None:
    await ctx.service(Points).activity.on_message(ctx, event)
