"""The core's hooks this plugin implements: its part of forgetting a member (``/forgetme``,
a data request)."""

from __future__ import annotations

from bot import Scope, hookimpl
from plugins.onboarding import plugin
from plugins.onboarding.directory import delete_user_data
from plugins.onboarding.gate import withdraw_join_requests
from plugins.onboarding.reach import group_name, group_of


class OnboardingHooks:
    @hookimpl
    async def bot_delete_user_data(
        self, scope: Scope, platform: str, user_id: str, locale: str
    ) -> str | None:
        """Profiles and answers go; a pending join request is declined at once; a gate stays
        (a bare form, the same deadline). Returns what the member should know of the last two."""
        declined = await withdraw_join_requests(scope, platform, user_id)
        gated = await delete_user_data(scope, platform, user_id)
        lines = [
            scope.translate(locale, "onboarding.dir.forgotten_request", group=group_name(group))
            for group in declined
        ]
        for session in gated:
            group = await group_of(scope, platform, session.guild_id)
            lines.append(scope.translate(locale, "onboarding.dir.forgotten_gate", group=group_name(group)))
        return "\n".join(lines) or None


plugin.hooks(OnboardingHooks())
