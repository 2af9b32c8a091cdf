"""Core hooks: a member's request to be forgotten."""

from __future__ import annotations

from bot import Scope, hookimpl
from plugins.autoreply import plugin
from plugins.autoreply.models import AutoReply, Note

__all__ = ["AutoreplyHooks"]


class AutoreplyHooks:
    @hookimpl
    async def bot_delete_user_data(self, scope: Scope, platform: str, user_id: str) -> None:
        """The rules and notes stay (they are the group's), without the name of who wrote
        them."""
        for model in (AutoReply, Note):
            await model.filter(created_by=f"{platform}:{user_id}").update(created_by="")


plugin.hooks(AutoreplyHooks())
