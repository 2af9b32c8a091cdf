"""The core's hooks this plugin implements: its part of forgetting a member (``/forgetme``,
a data request); and the inactive plugin's questions of who never completed the form and who
completed it lately."""

from __future__ import annotations

from datetime import datetime

from bot import GroupRef, Scope, found_among, hookimpl
from plugins.onboarding import plugin
from plugins.onboarding.directory import delete_user_data
from plugins.onboarding.gate import withdraw_join_requests
from plugins.onboarding.models import FormSession, Profile
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

    @hookimpl
    async def inactive_onboarding_incomplete(self, group: GroupRef, before: datetime) -> dict[str, datetime]:
        """Members asked the join form at or before ``before`` who have not completed it (a
        spec of the inactive plugin; nothing happens here when it is not enabled)."""
        rows = await FormSession.filter(
            platform=group.platform, guild_id=group.key, purpose="join",
            status__in=("pending", "timed_out"), created_at__lte=before,
        ).values_list("user_id", "created_at")
        profiles = Profile.filter(platform=group.platform, guild_id=group.key)
        done = await found_among(profiles, "user_id", (u for u, _ in rows))
        return {user_id: at for user_id, at in rows if user_id not in done}

    @hookimpl
    async def inactive_activity(
        self, group: GroupRef, kinds: frozenset[str], since: datetime
    ) -> dict[str, datetime]:
        """Members who completed or updated their form in ``group`` at or after ``since``:
        activity there (a spec of the inactive plugin; nothing happens here without it)."""
        if "onboarding" not in kinds:
            return {}
        rows = await Profile.filter(
            platform=group.platform, guild_id=group.key, updated_at__gte=since
        ).values_list("user_id", "updated_at")
        return dict(rows)


plugin.hooks(OnboardingHooks())
