"""Every message (and every edit: an ad slipped in later) is judged once."""

from __future__ import annotations

from bot import Context, MessageCreated, MessageUpdated
from plugins.ads import plugin
from plugins.ads.policy import handle_message

__all__ = ["on_message"]


@plugin.on(MessageCreated, MessageUpdated)
async def on_message(ctx: Context, event: MessageCreated | MessageUpdated) -> None:
    await handle_message(ctx, event.message)
