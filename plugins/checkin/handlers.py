"""Plain check-in words: 签到 / 打卡 / checkin (the group's word list) sent alone."""

from __future__ import annotations

from bot import Context, MessageCreated
from plugins.checkin import plugin
from plugins.checkin.checking import check_in, settings_for

__all__ = ["checkin_word"]


@plugin.on(MessageCreated)
async def checkin_word(ctx: Context, event: MessageCreated) -> None:
    user = event.user
    if ctx.group is None or user is None or user.is_bot or user.is_channel:
        return
    if event.message.forwarded:
        return
    text = event.message.text.strip().casefold()
    if text and text in settings_for(ctx).words:
        await check_in(ctx)
