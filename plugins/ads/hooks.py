"""Core hooks: deadlines passed while the bot was down are decided at start; a member's request
to be forgotten removes their strikes (texts included)."""

from __future__ import annotations

from bot import Scope, hookimpl
from plugins.ads import plugin
from plugins.ads.models import AdStrike
from plugins.ads.policy import sweep

__all__ = ["AdsHooks"]


class AdsHooks:
    @hookimpl
    async def bot_startup(self, scope: Scope) -> None:
        await sweep(scope)

    @hookimpl
    async def bot_delete_user_data(
        self, scope: Scope, platform: str, user_id: str, locale: str
    ) -> str | None:
        removed = await AdStrike.filter(platform=platform, user_id=user_id).delete()
        return scope.translate(locale, "ads.forgotten", count=removed) if removed else None


plugin.hooks(AdsHooks())
