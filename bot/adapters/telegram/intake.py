"""Inbound updates of the Telegram adapter, in per-chat lanes.

PTB's updater (long polling or webhook) hands every update to one handler that puts it in a
per-chat lane; each lane converts and dispatches its updates in order, and lanes run side by
side, so a group whose replies wait on its flood limit never delays another group.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.adapters.base import Host
from bot.adapters.telegram.anonymous import CALLBACK_PREFIX
from bot.adapters.telegram.convert import (
    PLATFORM,
    GroupMigrated,
    JoinDeduplicator,
    convert_update,
    is_anonymous_admin,
)
from bot.commands import CommandSpec
from bot.events import BotJoinedGuild, ButtonClicked, CommandInvoked, Event
from bot.permissions import PermissionLevel

__all__ = ["Intake"]

log = logging.getLogger(__name__)


class Intake:
    """Mixed into :class:`~bot.adapters.telegram.TelegramAdapter`, which provides ``host``,
    ``self_id``, ``username``, ``application`` and the handlers an update may lead to: member
    level caches (:class:`~bot.adapters.telegram.members.MemberActions`), callback queries
    (:class:`~bot.adapters.telegram.messages.MessageActions`), anonymous admins
    (:class:`~bot.adapters.telegram.anonymous.AnonymousAdmins`) and group checks
    (:class:`~bot.adapters.telegram.checks.GroupChecks`)."""

    host: Host | None
    self_id: str
    username: str
    application: Application | None
    _forget_levels: Callable[[Update], None]
    _forget_group: Callable[[str], None]
    _remember_query: Callable[[str, str, str], None]
    _confirm_anonymous: Callable[[ButtonClicked], Awaitable[None]]
    _ask_anonymous: Callable[[CommandInvoked, CommandSpec], Awaitable[None]]
    _check_group: Callable[[str], Awaitable[list[str]]]

    def __init__(self) -> None:
        super().__init__()
        self._dedup = JoinDeduplicator()
        self._lanes: dict[str, deque[Update]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._migration_lock = asyncio.Lock()

    async def drain(self) -> None:
        """Wait until the lanes have handled every update received so far (``stop`` does
        before shutting PTB down; the test kit after the fake handed updates out)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks))

    async def _receive(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """PTB's only handler: queue the update in its chat's lane and return at once."""
        chat = update.effective_chat
        key = str(chat.id) if chat is not None else ""
        lane = self._lanes.get(key)
        if lane is not None:
            lane.append(update)
            return
        lane = self._lanes[key] = deque([update])
        task = asyncio.create_task(self._drain(key, lane))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self, key: str, lane: deque[Update]) -> None:
        try:
            while lane:
                await self._process(lane[0])
                lane.popleft()
        finally:
            self._lanes.pop(key, None)

    async def _process(self, update: Update) -> None:
        assert self.host is not None
        try:
            self._forget_levels(update)
            items = convert_update(
                update,
                self_id=self.self_id,
                bot_username=self.username,
                dedup=self._dedup,
                received_at=self.host.clock.now(),
            )
            for item in items:
                if isinstance(item, GroupMigrated):
                    await self._migrate(item.old_id, item.new_id)
                else:
                    await self._handle(item)
        except Exception:
            log.exception("telegram: update %s failed", update.update_id)

    async def _handle(self, event: Event) -> None:
        assert self.host is not None
        if isinstance(event, ButtonClicked):
            assert event.channel is not None and event.user is not None
            self._remember_query(str(event.interaction), event.channel.id, event.user.id)
            if event.button_id.startswith(CALLBACK_PREFIX):
                await self._confirm_anonymous(event)
                return
        if isinstance(event, CommandInvoked) and is_anonymous_admin(event):
            spec, _ = self.host.commands.resolve(event.name, event.text or "")
            if spec is not None and (spec.level > PermissionLevel.MEMBER or spec.right):
                await self._ask_anonymous(event, spec)
                return
        await self.host.dispatch(event)
        if isinstance(event, BotJoinedGuild) and event.guild is not None:
            await self._check_group(event.guild.id)

    async def _migrate(self, old_id: str, new_id: str) -> None:
        """Both service messages of one upgrade (in either order, maybe redelivered) re-key
        once: the core's claim row decides; the lock keeps two lanes from racing to it."""
        assert self.host is not None
        async with self._migration_lock:
            if await self.host.migrate_guild(PLATFORM, old_id, new_id):
                log.info("telegram: group %s is now supergroup %s", old_id, new_id)
        self._forget_group(old_id)
