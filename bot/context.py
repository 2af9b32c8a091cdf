"""A plugin's handle on the running bot.

:class:`Scope` is one object per plugin: translations, its config, services, sending, the
clock, the audit log, transactions, hooks of other plugins, and a read-only view of the roster.
:class:`Context` is the scope plus the event being handled; :class:`JobContext` the scope plus
the scheduled job being run. Services and hooks receive the scope of the plugin they belong to.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from bot.adapters.base import Adapter, PlatformError, SentMessage
from bot.clock import Clock
from bot.events import ButtonClicked, CommandInvoked, Event, MessageCreated
from bot.message import Content, Mention, Outgoing, Text, as_outgoing
from bot.permissions import PermissionLevel
from bot.refs import GroupRef, MemberRef
from bot.roster import RosterView
from bot.runtime import Runtime

__all__ = ["Context", "JobContext", "Scope", "Transaction"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class Transaction:
    """One database transaction (``async with scope.transaction() as tx``). Writes made inside
    the block commit together (pass ``using_db=tx.connection`` to a model call made from
    another task, ``using=tx`` to a service); ``after_commit`` work (announcements, hooks) runs
    once they have committed, and never when the block failed. Messages sent inside the block
    are after-commit work too: a member is never told of a change that did not happen."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self._after: list[Callable[[], Awaitable[Any]]] = []
        self.closed = False

    def after_commit(self, work: Callable[[], Awaitable[Any]]) -> None:
        self._after.append(work)


# The transaction the running code is inside (scope.transaction): sends wait for its commit.
_OPEN: ContextVar[Transaction | None] = ContextVar("qunbot_transaction", default=None)


def _open_transaction() -> Transaction | None:
    tx = _OPEN.get()
    return tx if tx is not None and not tx.closed else None


def _after_commit(work: Callable[[], Awaitable[Any]]) -> bool:
    """Inside ``scope.transaction()``: ``work`` (telling someone) waits for the commit; True.
    Outside one: False, the caller does it now."""
    tx = _open_transaction()
    if tx is None:
        return False
    tx.after_commit(work)
    return True


def _no_wait_inside(wait: bool) -> None:
    if wait and _open_transaction() is not None:
        raise RuntimeError(
            "a message sent inside a transaction goes out after the commit: send it with "
            "wait=True from tx.after_commit(...) to get its id"
        )


class Scope:
    """What one plugin may use of the running bot."""

    def __init__(self, runtime: Runtime, plugin: str) -> None:
        self._runtime = runtime
        self.plugin = plugin
        self.roster = RosterView(runtime.roster)
        # The language of replies: the member's in a Context, the group's in a job.
        self.locale = runtime.config.bot.locale

    def for_plugin(self, name: str) -> Scope:
        """The same handle (same event or job) as plugin ``name`` sees it."""
        # Runs for every plugin on every event: a plain copy of the attributes, not copy.copy's
        # generic reduce protocol (several times slower).
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.plugin = name
        return other

    # -- what is known ---------------------------------------------------------------------------
    @property
    def config(self) -> Any:
        """This plugin's validated config section."""
        return self._runtime.plugin_configs.get(self.plugin)

    @property
    def clock(self) -> Clock:
        return self._runtime.clock

    @property
    def now(self) -> datetime:
        return self._runtime.clock.now()

    @property
    def member_cache(self) -> int:
        """How many members a per-member cache keeps (``[bot] member_cache``; see
        :class:`bot.cache.Recent`)."""
        return self._runtime.config.bot.member_cache

    @property
    def default_timezone(self) -> ZoneInfo:
        return ZoneInfo(self._runtime.config.bot.timezone)

    def t(self, key: str, /, **params: Any) -> str:
        """The text of ``key`` in this handle's language."""
        return self._runtime.catalog.t(key, self.locale, **params)

    def translate(self, locale: str, key: str, /, **params: Any) -> str:
        """The text of ``key`` in another language (a group's, a member's)."""
        return self._runtime.catalog.t(key, locale, **params)

    def service(self, cls: type[T]) -> T:
        """Another plugin's service (declared with ``requires``), as this plugin's handle."""
        return self._runtime.service(cls, self.plugin)

    def adapter(self, platform: str) -> Adapter | None:
        """The platform's adapter, or None when the bot does not run on it now (maintenance
        commands run without any)."""
        return self._runtime.adapters.get(platform)

    async def level_of(self, member: MemberRef, right: str | None = None) -> PermissionLevel:
        """A member's level in their group, read from the platform (owners from config are
        OWNER everywhere)."""
        group = member.group
        return await self._runtime.level(member.platform, group.id if group else None, member.user_id, right)

    async def group_locale(self, group: GroupRef | None) -> str:
        """The language a group reads (``/lang group``), else the bot's default."""
        if group is not None:
            info = await self.roster.group(group)
            if info.locale:
                return info.locale
        return self._runtime.config.bot.locale

    # -- acting ----------------------------------------------------------------------------------
    @asynccontextmanager
    async def transaction(self, using: Transaction | None = None) -> AsyncIterator[Transaction]:
        """A transaction, or a part of the caller's (``using``, or a block inside another
        block): then its after-commit work waits for the caller's commit."""
        outer = using or _open_transaction()
        if outer is not None:
            # A savepoint: a failed write here (a duplicate key) leaves the caller's part whole.
            async with in_transaction():
                yield outer
            return
        tx = Transaction(None)
        token = _OPEN.set(tx)
        try:
            async with in_transaction() as connection:
                tx.connection = connection
                yield tx
        finally:
            tx.closed = True
            _OPEN.reset(token)
        for work in tx._after:
            try:
                await work()
            except Exception:
                log.exception("%s: work after a commit failed", self.plugin)

    async def emit(self, hook: str, /, **kwargs: Any) -> list[Any]:
        """Call a hook of this or another plugin (``points_changed``); failures are isolated."""
        return await self._runtime.hooks.call(hook, **kwargs)

    # Sending: inside a transaction a message goes out once it committed (None is returned).
    # While an event is handled, a channel message that would wait for the platform's flood
    # limit is kept in the outbox and sent at the platform's pace (None too). ``wait=True``
    # sends now to get the message's id (one the plugin edits or deletes later).
    async def send_to(self, group: GroupRef, content: Content, *, wait: bool = False) -> SentMessage | None:
        """Post in a group's main channel."""
        channel = await self._runtime.main_channel(group)
        if channel is None:
            return None
        return await self.send_to_channel(group.platform, channel, content, wait=wait)

    async def send_to_channel(
        self, platform: str, channel_id: str, content: Content, *, wait: bool = False
    ) -> SentMessage | None:
        _no_wait_inside(wait)
        message = as_outgoing(content)
        if _after_commit(lambda: self._runtime.deliver(platform, channel_id, message, self.plugin)):
            return None
        return await self._runtime.deliver(platform, channel_id, message, self.plugin, wait=wait)

    async def send_private(self, member: MemberRef, content: Content) -> SentMessage | None:
        """A private message; raises PlatformError(reason ``bot.error.dm_closed``) when the
        member cannot be reached privately (after the commit, inside a transaction: logged)."""
        message = as_outgoing(content)
        if _after_commit(lambda: self.send_private(member, message)):
            return None
        return await self._runtime.deliver_private(member.platform, member.user_id, message, self.plugin)

    async def edit_message(self, platform: str, channel_id: str, message_id: str, content: Content) -> None:
        """Replace what a message the bot sent says, its buttons included: they are stored
        as a new message's are, so a button of this plugin keeps working after the edit (an
        adapter's own ``edit`` would put tokens nobody stored). Raises PlatformError where
        the platform refuses; inside a transaction it is done after the commit."""
        message = as_outgoing(content)
        if _after_commit(lambda: self.edit_message(platform, channel_id, message_id, message)):
            return
        adapter = self._runtime.adapters.get(platform)
        if adapter is None:
            raise PlatformError(f"{platform} is not running", retryable=True)
        message = await self._runtime._store_buttons(platform, channel_id, message, self.plugin)
        await adapter.edit(channel_id, message_id, message)

    async def audit(
        self, action: str, target: str | None = None, *, group: GroupRef | None = None,
        actor: str | None = None, **detail: Any,
    ) -> None:
        await self._runtime.audit(
            self.plugin, action, platform=group.platform if group else "", group=group,
            actor=actor, target=target, detail=detail,
        )

    async def forget_user(self, platform: str, user_id: str) -> list[str]:
        """Delete everything every plugin and the core keep about a user (``/forgetme``);
        returns what the plugins have to tell them, in this handle's language."""
        return await self._runtime.delete_user_data(platform, user_id, self.locale)


class Context(Scope):
    """A plugin's scope while it handles one event."""

    def __init__(
        self, runtime: Runtime, plugin: str, event: Event, *, locale: str, timezone: ZoneInfo,
        group: GroupRef | None,
    ) -> None:
        super().__init__(runtime, plugin)
        self.event = event
        self.locale = locale
        self.timezone = timezone
        self.group = group
        self.member = (
            MemberRef(event.platform, event.user.id, group) if event.user is not None else None
        )
        self.args: dict[str, Any] = {}
        self._level: dict[str | None, PermissionLevel] = {}
        # Shared by the copies for each plugin: a Discord interaction is answered once.
        self._answered = [False]

    # -- what is known ---------------------------------------------------------------------------
    @property
    def bot(self) -> Adapter:
        return self._runtime.adapters[self.event.platform]

    @property
    def platform(self) -> str:
        return self.event.platform

    @property
    def local_time(self) -> datetime:
        """When the event happened, in the group's timezone (the platform's timestamp)."""
        return self.event.timestamp.astimezone(self.timezone)

    @property
    def user_key(self) -> str | None:
        return self.event.uid

    def mention(self, notify: bool = False) -> Mention:
        user = self.event.user
        assert user is not None
        return Mention(user.id, user.display_name, notify)

    async def level(self, right: str | None = None) -> PermissionLevel:
        """The caller's level in this group (``right``: an admin right the action needs)."""
        if right not in self._level:
            self._level[right] = await self._runtime.level_of(self.event, right)
        return self._level[right]

    # -- answering -------------------------------------------------------------------------------
    async def reply(
        self, content: Content, *, private: bool = False, wait: bool = False
    ) -> SentMessage | None:
        """Answer the event: in its channel (quoting the command), as an ephemeral interaction
        reply on Discord, or in private chat when ``private`` (falling back to the channel with
        a note when the member cannot be reached privately). See :meth:`send_to_channel` for
        when it is sent and ``wait``."""
        _no_wait_inside(wait)
        message = as_outgoing(content)
        if _after_commit(lambda: self.reply(message, private=private)):
            return None
        event = self.event
        interaction = getattr(event, "interaction", None)
        if interaction is not None and not self._answered[0]:
            self._answered[0] = True
            return await self._runtime.deliver_interaction(
                event, interaction, message.replace(ephemeral=private), self.plugin
            )
        if private and not event.is_direct and self.member is not None:
            try:
                return await self.send_private(self.member, message)
            except PlatformError as exc:
                if exc.reason != "bot.error.dm_closed":
                    raise
                assert event.user is not None
                note = self.t("bot.error.dm_closed", name=event.user.display_name)
                return await self.send(Outgoing((Text(note),)))
        if isinstance(event, MessageCreated | CommandInvoked) and message.reply_to is None:
            if event.message is not None:
                message = message.replace(reply_to=event.message.id)
        return await self.send(message, wait=wait)

    async def refuse(self, level: PermissionLevel, command: str) -> None:
        """Say the member may not run ``/command`` (it needs ``level``), by the one rule for
        permission refusals: in private when the member can be reached there (an ephemeral
        reply on Discord), else a short note in the group that names them."""
        if _after_commit(lambda: self.refuse(level, command)):
            return
        label = self.t(f"bot.level.{level.name.lower()}")
        text = self.t("bot.error.no_permission", level=label, command=command)
        event = self.event
        if event.is_direct or getattr(event, "interaction", None) is not None or self.member is None:
            await self.reply(text, private=True)
            return
        try:
            await self.send_private(self.member, text)
        except PlatformError as exc:
            if exc.reason != "bot.error.dm_closed":
                raise
            name = event.user.display_name if event.user else ""
            await self.send(self.t("bot.error.no_permission_here", name=name, level=label, command=command))

    async def send(
        self, content: Content, channel_id: str | None = None, *, wait: bool = False
    ) -> SentMessage | None:
        """Post in the event's channel (or ``channel_id``) without quoting anything."""
        target = channel_id or (self.event.channel.id if self.event.channel else None)
        if target is None:
            log.warning("%s: nowhere to send for %s", self.plugin, type(self.event).__name__)
            return None
        return await self.send_to_channel(self.platform, target, content, wait=wait)

    async def answer(self, text: str = "", alert: bool = False) -> None:
        """Acknowledge a button press with a short toast."""
        if isinstance(self.event, ButtonClicked) and not self._answered[0]:
            self._answered[0] = True
            await self.bot.answer_button(self.event, text, alert)

    async def audit(
        self, action: str, target: str | None = None, *, group: GroupRef | None = None,
        actor: str | None = None, **detail: Any,
    ) -> None:
        """Record an action in the audit log, by the event's member in the event's group."""
        await super().audit(
            action, target, group=group or self.group, actor=actor or self.event.uid, **detail
        )


class JobContext(Scope):
    """A plugin's scope while one scheduled job runs: for one group, or (``group`` None) for
    the whole bot, for the slot it was scheduled at."""

    def __init__(
        self, runtime: Runtime, plugin: str, *, job: str, slot: datetime, timezone: ZoneInfo,
        locale: str, group: GroupRef | None,
    ) -> None:
        super().__init__(runtime, plugin)
        self.job = job
        self.slot = slot
        self.timezone = timezone
        self.locale = locale
        self.group = group

    @property
    def platform(self) -> str | None:
        return self.group.platform if self.group else None

    @property
    def local_slot(self) -> datetime:
        return self.slot.astimezone(self.timezone)

    async def send(self, content: Content, *, wait: bool = False) -> SentMessage | None:
        """Post in the group's main channel (the group itself on Telegram and the console)."""
        if self.group is None:
            raise RuntimeError(f"{self.job} is not a per-group job: nowhere to send")
        return await self.send_to(self.group, content, wait=wait)
