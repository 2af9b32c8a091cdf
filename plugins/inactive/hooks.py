"""Core hooks: the counting session opens at start and closes at a clean stop (its last counts
written first), and a member's request to be forgotten."""

from __future__ import annotations

from bot import Scope, hookimpl
from plugins.inactive import plugin
from plugins.inactive.counts import MessageCounts
from plugins.inactive.models import Candidate, Protected, Sweep

__all__ = ["InactiveHooks"]


class InactiveHooks:
    @hookimpl
    async def bot_startup(self, scope: Scope) -> None:
        await scope.service(MessageCounts).open()

    @hookimpl
    async def bot_shutdown(self, scope: Scope) -> None:
        await scope.service(MessageCounts).close()

    @hookimpl
    async def bot_delete_user_data(
        self, scope: Scope, platform: str, user_id: str, locale: str
    ) -> str | None:
        """Their allow-list entries, their message counts and the records of sweeps that
        selected them (a removal of theirs can then no longer be undone: they may simply join
        again); as an admin, their name on sweeps and protections (no more weekly reports)."""
        await scope.service(MessageCounts).forget(platform, user_id)
        uid = f"{platform}:{user_id}"
        async with scope.transaction() as tx:
            listed = await Protected.filter(platform=platform, user_id=user_id).using_db(
                tx.connection
            ).delete()
            await Candidate.filter(user_id=user_id).using_db(tx.connection).delete()
            await Protected.filter(added_by=uid).using_db(tx.connection).update(added_by=None)
            for column in ("created_by", "confirmed_by", "undone_by"):
                await Sweep.filter(**{column: uid}).using_db(tx.connection).update(**{column: None})
        return scope.translate(locale, "inactive.forgotten") if listed else None


plugin.hooks(InactiveHooks())
