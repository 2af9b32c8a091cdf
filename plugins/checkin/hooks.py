"""Core hooks: a member's request to be forgotten."""

from __future__ import annotations

from bot import Scope, hookimpl
from plugins.checkin import plugin
from plugins.checkin.models import CheckIn, CheckinMember

__all__ = ["CheckinHooks"]


class CheckinHooks:
    @hookimpl
    async def bot_delete_user_data(self, scope: Scope, platform: str, user_id: str) -> None:
        """Every day and streak of the user, in every group (their points go with the points
        plugin's own hook)."""
        async with scope.transaction() as tx:
            await CheckIn.filter(platform=platform, user_id=user_id).using_db(tx.connection).delete()
            await CheckinMember.filter(platform=platform, user_id=user_id).using_db(
                tx.connection
            ).delete()


plugin.hooks(CheckinHooks())
