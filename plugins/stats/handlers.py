"""The message path: messages, commands, joins and leaves are counted in memory (no write)."""

from __future__ import annotations

from bot import CommandInvoked, Context, Event, MemberJoined, MemberLeft, MessageCreated
from plugins.stats import plugin
from plugins.stats.service import Stats

__all__ = ["count_event"]


@plugin.on(MessageCreated, CommandInvoked, MemberJoined, MemberLeft)
async def count_event(ctx: Context, event: Event) -> None:
    user = event.user
    if ctx.group is None or user is None or user.is_bot:
        return
    stats = ctx.service(Stats)
    local = ctx.local_time
    if isinstance(event, MessageCreated | CommandInvoked):
        if user.is_channel:
            return  # a channel posting in the group is not a member speaking
        stats.message(ctx.group, user.id, local)
    elif isinstance(event, MemberJoined):
        stats.add(ctx.group, "joins", 1, local)
    else:
        stats.add(ctx.group, "leaves", 1, local)
    await stats.flush_if_full()
