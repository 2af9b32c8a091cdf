"""Core hooks: deadlines passed while the bot was down are decided at start; a member's request
to be forgotten removes their strikes (texts included). And the inactive plugin's question of
whose ladder is at its last step."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot import GroupRef, Scope, hookimpl
from plugins.ads import pitch, plugin
from plugins.ads.config import AdsConfig
from plugins.ads.models import AdStrike
from plugins.ads.policy import settings_for, sweep

__all__ = ["AdsHooks"]


class AdsHooks:
    @hookimpl
    async def bot_startup(self, scope: Scope) -> None:
        # The meaning's encoder is read at start only when the section's default uses it; a group
        # that turns it on alone reads it with its first message.
        pitch.load(meant=(scope.config or AdsConfig()).meaning)
        await sweep(scope)

    @hookimpl
    async def bot_delete_user_data(
        self, scope: Scope, platform: str, user_id: str, locale: str
    ) -> str | None:
        removed = await AdStrike.filter(platform=platform, user_id=user_id).delete()
        return scope.translate(locale, "ads.forgotten", n=removed) if removed else None

    @hookimpl
    async def inactive_ads_last_step(self, scope: Scope, group: GroupRef) -> dict[str, datetime]:
        """Members whose latest strike took the ladder's last step, has not decayed and was not
        taken back (a spec of the inactive plugin; nothing happens here when it is not
        enabled)."""
        settings = await settings_for(scope, group)
        rows = await AdStrike.filter(
            platform=group.platform, guild_id=group.key, status__in=("removed", "undone", "pardoned"),
            at__gte=scope.now - timedelta(days=settings.decay_days),
        ).order_by("at", "id").values_list("user_id", "status", "step", "at")
        latest = {user_id: (status, step, at) for user_id, status, step, at in rows}
        last = len(settings.ladder)
        return {u: at for u, (status, step, at) in latest.items() if status == "removed" and step >= last}


plugin.hooks(AdsHooks())
