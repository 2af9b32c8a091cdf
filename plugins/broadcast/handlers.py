"""HQ messages are remembered (in memory, the last few hundred) so that an admin may reply to
one with /broadcast, or link it: where it is (for the platform's own copy) and its text, links
and media kind (for groups on another platform). The broadcast stores both when it is drafted."""

from __future__ import annotations

from bot import Context, MessageCreated
from plugins.broadcast import plugin
from plugins.broadcast.content import from_message, source_of
from plugins.broadcast.service import Broadcasts

__all__ = ["remember_hq_message"]


@plugin.on(MessageCreated)
async def remember_hq_message(ctx: Context, event: MessageCreated) -> None:
    message = event.message
    if ctx.group is None or not (message.text or message.media) or message.text.startswith("/"):
        return
    service = ctx.service(Broadcasts)
    if not await service.is_hq(ctx.group):
        return
    channel = event.channel.id if event.channel else ctx.group.id
    service.remember(
        (ctx.platform, channel, message.id), from_message(message),
        source_of(ctx.platform, channel, message),
    )
