"""The message path: each member's messages and commands are counted in memory for the
messages rule (written in batches by the ``inactive.flush`` job, never one write a message)."""

from __future__ import annotations

from bot import CommandInvoked, Context, MessageCreated
from plugins.inactive import plugin
from plugins.inactive.counts import MessageCounts

__all__ = ["count_message"]


@plugin.on(MessageCreated, CommandInvoked)
async def count_message(ctx: Context, event: MessageCreated | CommandInvoked) -> None:
    user = event.user
    if ctx.group is None or user is None or user.is_bot or user.is_channel:
        return
    message = event.message
    if message is not None and message.forwarded and not message.text:
        return  # a bare forward: the roster does not count it either
    counts = ctx.service(MessageCounts)
    counts.message(ctx.group, user.id, event.timestamp, ctx.local_time.date())
    await counts.flush_if_full()
