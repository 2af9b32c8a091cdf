"""Start-up checks of the Telegram adapter: per known group, warn where privacy mode hides the
messages enabled plugins read, or the bot lacks an admin right an enabled command needs.

They run when the adapter comes online and whenever the bot is added to a group; they only
warn (in the log), never stop the bot."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from telegram import ChatMember

from bot.adapters.base import PlatformError
from bot.adapters.telegram.convert import PLATFORM
from bot.adapters.telegram.members import RIGHTS, is_present
from bot.storage.models import GuildSettings

if TYPE_CHECKING:
    from telegram import Bot

    from bot.adapters.base import Host

__all__ = ["GroupChecks"]

log = logging.getLogger(__name__)
# Groups whose rights are read at the same time at start.
CHECKS_AT_ONCE = 8
_ADMINS = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR})


class GroupChecks:
    """Mixed into :class:`~bot.adapters.telegram.TelegramAdapter`, which provides ``host``,
    ``self_id``, ``reads_all_messages``, ``bot`` and ``_call``
    (:class:`~bot.adapters.telegram.calls.BotCalls`)."""

    host: Host | None
    self_id: str
    reads_all_messages: bool
    bot: Bot
    _call: Callable[..., Awaitable[Any]]

    async def check_groups(self) -> list[str]:
        """Warn, per known group, where privacy mode hides messages that enabled plugins read
        or the bot lacks an admin right an enabled command needs. Returns the warnings."""
        guild_ids = await GuildSettings.filter(platform=PLATFORM, active=True).values_list(
            "guild_id", flat=True
        )
        # A few at a time: a bot in 300 groups is ready in a fraction of a second, not seconds.
        slots = asyncio.Semaphore(CHECKS_AT_ONCE)

        async def check(guild_id: str) -> list[str]:
            async with slots:
                return await self._check_group(guild_id)

        found = await asyncio.gather(*(check(guild_id) for guild_id in guild_ids))
        return [warning for warnings in found for warning in warnings]

    async def _check_group(self, guild_id: str) -> list[str]:
        assert self.host is not None
        try:
            me = await self._call(guild_id, self.bot.get_chat_member, user_id=int(self.self_id))
        except PlatformError as exc:
            warnings = [f"telegram group {guild_id}: cannot read the bot's rights: {exc}"]
        else:
            warnings = self._group_warnings(guild_id, me)
        for warning in warnings:
            log.warning("%s", warning)
        return warnings

    def _group_warnings(self, guild_id: str, me: ChatMember) -> list[str]:
        assert self.host is not None
        if not is_present(me):
            return [f"telegram group {guild_id}: the bot is not a member any more"]
        warnings = []
        readers = self.host.plugins_needing_content()
        if readers and not self.reads_all_messages and me.status not in _ADMINS:
            warnings.append(
                f"telegram group {guild_id}: privacy mode hides ordinary messages from the bot, "
                f"so {', '.join(readers)} cannot see them. In @BotFather use /setprivacy -> "
                "Disable (then remove and re-add the bot), or make the bot an admin."
            )
        needed: dict[str, list[str]] = {}
        for spec in self.host.commands:
            if spec.right:
                needed.setdefault(RIGHTS.get(spec.right, spec.right), []).append(spec.name)
        for right, names in sorted(needed.items()):
            if me.status != ChatMember.OWNER and not getattr(me, right, False):
                commands = ", ".join(f"/{n}" for n in sorted(names))
                warnings.append(
                    f"telegram group {guild_id}: the bot lacks the admin right {right}, "
                    f"needed by {commands}"
                )
        return warnings
