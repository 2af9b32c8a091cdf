"""Plain check-in words: 签到 / 打卡 / checkin (the group's word list) sent alone."""

from __future__ import annotations

from bot import Context, MessageCreated
from plugins.checkin import plugin
from plugins.checkin.checking import check_in, settings_for
from plugins.checkin.config import is_checkin_word

__all__ = ["checkin_word"]


@plugin.on(MessageCreated)
async def checkin_word(ctx: Context, event: MessageCreated) -> None:
    user = event.user
    if ctx.group is None or user is None or user.is_bot or user.is_channel:
        return
    if event.message.forwarded:
        return
    if is_checkin_word(settings_for(ctx), event.message.text):
        await check_in(ctx)
