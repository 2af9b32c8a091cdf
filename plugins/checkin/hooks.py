"""Hooks: a member's request to be forgotten (the core's), and which messages are check-in
words (the points plugin's ``points_keyword``: a check-in word is never chat XP), and which
groups are quiet (``points_quiet``: level-ups there are announced only with a new title)."""

from __future__ import annotations

from bot import GroupRef, Scope, hookimpl
from plugins.checkin import plugin
from plugins.checkin.config import CheckinConfig, is_checkin_word
from plugins.checkin.models import CheckIn, CheckinMember
from plugins.checkin.quiet import is_quiet
from plugins.checkin.store import PaidMilestones

__all__ = ["CheckinHooks"]


class CheckinHooks:
    @hookimpl
    async def points_keyword(self, scope: Scope, group: GroupRef, text: str) -> bool:
        config: CheckinConfig = scope.config or CheckinConfig()
        return is_checkin_word(config.for_group(group), text)

    @hookimpl
    async def points_quiet(self, scope: Scope, group: GroupRef) -> bool:
        config: CheckinConfig = scope.config or CheckinConfig()
        return await is_quiet(group, config.for_group(group))

    @hookimpl
    async def bot_delete_user_data(self, scope: Scope, platform: str, user_id: str) -> None:
        """Every day and streak of the user, in every group (their points go with the points
        plugin's own hook)."""
        async with scope.transaction() as tx:
            await CheckIn.filter(platform=platform, user_id=user_id).using_db(tx.connection).delete()
            await CheckinMember.filter(platform=platform, user_id=user_id).using_db(
                tx.connection
            ).delete()
        # Their summary rows are gone, and with them what was remembered by those rows' ids
        # (ids are not reused, so this only frees the memory).
        scope.service(PaidMilestones).forget()


plugin.hooks(CheckinHooks())
