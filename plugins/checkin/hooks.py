"""Core hooks: a group that changed id, and a member's request to be forgotten."""

from __future__ import annotations

from bot import hookimpl
from plugins.checkin.models import CheckIn, CheckinMember, CheckinReminder

__all__ = ["CheckinHooks"]


class CheckinHooks:
    @hookimpl
    async def bot_guild_migrated(self, platform: str, old_id: str, new_id: str) -> None:
        for model in (CheckIn, CheckinMember, CheckinReminder):
            await model.filter(platform=platform, guild_id=old_id).update(guild_id=new_id)

    @hookimpl
    async def bot_delete_user_data(self, platform: str, user_id: str) -> None:
        await CheckIn.filter(platform=platform, user_id=user_id).delete()
        await CheckinMember.filter(platform=platform, user_id=user_id).delete()
