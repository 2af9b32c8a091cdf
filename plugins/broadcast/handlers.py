"""HQ messages are remembered (in memory, the last few hundred) so that an admin may reply to
one with /broadcast; the broadcast stores its own copy when it is drafted."""

from __future__ import annotations

from bot import Context, MessageCreated
from plugins.broadcast import plugin
from plugins.broadcast.content import from_message
from plugins.broadcast.service import Broadcasts

__all__ = ["remember_hq_message"]


@plugin.on(MessageCreated)
async def remember_hq_message(ctx: Context, event: MessageCreated) -> None:
    if ctx.group is None or not event.message.text or event.message.text.startswith("/"):
        return
    service = ctx.service(Broadcasts)
    if not await service.is_hq(ctx.group):
        return
    channel = event.channel.id if event.channel else ctx.group.id
    stored = from_message(event.message.text, event.message.elements)
    service.remember(ctx.platform, channel, event.message.id, stored)
