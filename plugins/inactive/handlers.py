"""Bots are never selected: the roster does not say who is one, so the plugin remembers every
bot it sees join or speak."""

from __future__ import annotations

from bot import Context, MemberJoined, MessageCreated
from plugins.inactive import plugin
from plugins.inactive.models import InactiveBot

__all__ = ["remember_bots"]


@plugin.on(MemberJoined, MessageCreated)
async def remember_bots(ctx: Context, event: MemberJoined | MessageCreated) -> None:
    user = event.user
    if user is None or not user.is_bot:
        return
    await InactiveBot.get_or_create(platform=ctx.platform, user_id=user.id)
