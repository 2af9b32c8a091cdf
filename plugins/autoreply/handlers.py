"""Every group message is matched against the group's keywords; the first match answers,
unless that keyword answered in this group within the cooldown."""

from __future__ import annotations

from bot import Context, MessageCreated
from plugins.autoreply import plugin
from plugins.autoreply.service import Keywords

__all__ = ["reply_to_keyword"]


@plugin.on(MessageCreated)
async def reply_to_keyword(ctx: Context, event: MessageCreated) -> None:
    user = event.user
    if ctx.group is None or user is None or user.is_bot or not event.message.text:
        return
    if event.message.text.startswith("/"):
        return
    answer = await ctx.service(Keywords).answer(ctx.group, event.message.text)
    if answer is not None:
        await ctx.reply(answer)
