"""What an admin asks to send (a broadcast or a scheduled post): the HQ message they replied to
or linked, copied as it is, or the text they wrote."""

from __future__ import annotations

from typing import Any

from bot import Context
from plugins.broadcast.content import Stored, from_text, message_link
from plugins.broadcast.service import Broadcasts

__all__ = ["message_to_send"]


async def message_to_send(
    ctx: Context, service: Broadcasts, body: str, usage: str = "broadcast.usage"
) -> tuple[Stored, dict[str, Any] | None] | None:
    """The HQ message replied to or linked (copied), else the text. None (after saying why,
    or the ``usage`` text) when there is nothing to send."""
    assert ctx.group is not None
    message = getattr(ctx.event, "message", None)
    channel = ctx.event.channel.id if ctx.event.channel else ctx.group.id
    linked = message_link(body) if body else None
    if linked is not None:
        key = (ctx.platform, *linked)
    elif message is not None and message.reply_to and not body:
        key = (ctx.platform, channel, message.reply_to)
    elif body:
        return from_text(body), None
    else:
        await ctx.reply(ctx.t(usage))
        return None
    found = service.recent.get(key)
    if found is None:
        await ctx.reply(ctx.t("broadcast.reply_unseen"))
    return found
