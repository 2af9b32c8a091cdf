"""Member actions of the Telegram adapter: look-ups and permission levels (cached), kick, unban,
mute, unmute, admin titles, join requests and invite links."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from telegram import ChatMember, ChatPermissions, Update

from bot.adapters.base import CannotAct, PlatformError
from bot.adapters.telegram.convert import STAND_IN_IDS, to_user
from bot.events import Member
from bot.permissions import PermissionLevel

if TYPE_CHECKING:
    from telegram import Bot

    from bot.adapters.base import Host

__all__ = [
    "KICK_BAN",
    "ADMINS_TTL",
    "LEVELS_KEPT",
    "LEVEL_TTL",
    "MAX_UNTIL",
    "MIN_UNTIL",
    "PERMISSIONS_TTL",
    "RIGHTS",
    "MemberActions",
    "is_present",
]

log = logging.getLogger(__name__)

# Command rights (CommandSpec.right) -> the Telegram admin right that grants them.
RIGHTS = {
    "restrict": "can_restrict_members",
    "kick": "can_restrict_members",
    "ban": "can_restrict_members",
    "mute": "can_restrict_members",
    "delete": "can_delete_messages",
    "invite": "can_invite_users",
    "promote": "can_promote_members",
    "pin": "can_pin_messages",
    "info": "can_change_info",
    "manage": "can_manage_chat",
}
KICK_BAN = timedelta(seconds=60)
# Telegram reads an until_date under 30 s or over 366 days away as "forever"; stay well inside
# so that host/Telegram clock skew can never turn a short restriction into a permanent one.
MIN_UNTIL = timedelta(seconds=40)
MAX_UNTIL = timedelta(days=365)
LEVEL_TTL = 60.0
# A group's administrators are listed again after this (sooner when a chat_member update says
# someone's rights changed), in the background: the message that finds the list old is answered
# from it rather than held up by a Bot API round trip. Only "not an administrator" is taken from
# the list; an administrator's level is read from their own member record, so a list that missed
# a demotion can never grant a right (one that missed a promotion withholds it a moment longer).
ADMINS_TTL = 600.0
# A list that could not be read again is kept and tried again after this.
ADMINS_RETRY = 60.0
# Past this many cached levels, expired ones are dropped (one entry per member who ever asked).
LEVELS_KEPT = 4096
# A group's default member permissions (what an unmute restores) are read again after this.
PERMISSIONS_TTL = 60.0
_PRESENT = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER})


class MemberActions:
    """Mixed into :class:`~bot.adapters.telegram.TelegramAdapter`, which provides ``host``,
    ``self_id``, ``bot`` and ``_call`` (:class:`~bot.adapters.telegram.calls.BotCalls`)."""

    host: Host | None
    self_id: str
    bot: Bot
    _call: Callable[..., Awaitable[Any]]

    def __init__(self) -> None:
        super().__init__()
        self._levels: dict[tuple[str, str, str | None], tuple[PermissionLevel, float]] = {}
        self._admins: dict[str, tuple[frozenset[str], float]] = {}
        self._listing: dict[str, asyncio.Task[frozenset[str] | None]] = {}
        self._defaults: dict[str, tuple[ChatPermissions, float]] = {}

    async def get_member(self, guild_id: str, user_id: str) -> Member | None:
        if _not_a_person(guild_id, user_id):
            return None
        member = await self._call(guild_id, self.bot.get_chat_member, user_id=int(user_id))
        if not is_present(member):
            return None
        return Member(
            user=to_user(member.user),
            nick=getattr(member, "custom_title", None),
            level=_level(member, None),
        )

    async def get_level(
        self, guild_id: str, user_id: str, right: str | None = None
    ) -> PermissionLevel:
        """creator -> ADMIN; administrator -> ADMIN when it holds ``right`` (if any); anyone
        else, and every channel identity (anonymous admins included), MEMBER. Cached a
        minute, forgotten as soon as a chat_member update reports a change."""
        assert self.host is not None
        if _not_a_person(guild_id, user_id):
            return PermissionLevel.MEMBER
        key = (guild_id, user_id, right)
        now = self.host.clock.monotonic()
        cached = self._levels.get(key)
        if cached is not None and now - cached[1] < LEVEL_TTL:
            return cached[0]
        admins = await self._admin_ids(guild_id, now)
        if admins is not None and user_id not in admins:
            # Most senders: one call per group lists who could be more than a member.
            level = PermissionLevel.MEMBER
        else:
            member = await self._call(guild_id, self.bot.get_chat_member, user_id=int(user_id))
            level = _level(member, right)
        if len(self._levels) >= LEVELS_KEPT:
            self._levels = {k: v for k, v in self._levels.items() if now - v[1] < LEVEL_TTL}
        self._levels[key] = (level, now)
        return level

    async def _admin_ids(self, guild_id: str, now: float) -> frozenset[str] | None:
        """The group's administrators (and owner), listed once per :data:`ADMINS_TTL`; None
        when the list cannot be read (then each member is asked for)."""
        cached = self._admins.get(guild_id)
        if cached is None:
            return await self._list_admins(guild_id)
        if now - cached[1] >= ADMINS_TTL and guild_id not in self._listing:
            task = asyncio.create_task(self._list_admins(guild_id), name=f"telegram admins {guild_id}")
            self._listing[guild_id] = task
            task.add_done_callback(lambda done: self._listed(guild_id, done))
        return cached[0]

    async def _list_admins(self, guild_id: str) -> frozenset[str] | None:
        assert self.host is not None
        try:
            listed = await self._call(guild_id, self.bot.get_chat_administrators)
        except PlatformError as exc:
            log.info("telegram: administrators of %s not listed: %s", guild_id, exc)
            if (kept := self._admins.get(guild_id)) is not None:
                self._admins[guild_id] = (kept[0], self.host.clock.monotonic() - ADMINS_TTL + ADMINS_RETRY)
            return None
        ids = frozenset(str(member.user.id) for member in listed)
        self._admins[guild_id] = (ids, self.host.clock.monotonic())
        return ids

    def _listed(self, guild_id: str, task: asyncio.Task[Any]) -> None:
        if self._listing.get(guild_id) is task:
            del self._listing[guild_id]

    def _forget_admins(self, guild_id: str) -> None:
        """The group's list no longer holds: neither the one kept nor one being read (it may
        have been read before the change)."""
        self._admins.pop(guild_id, None)
        if (task := self._listing.pop(guild_id, None)) is not None:
            task.cancel()

    def _stop_listing(self) -> None:
        for task in list(self._listing.values()):
            task.cancel()

    def _forget_levels(self, update: Update) -> None:
        """A member's rights changed: their cached level must not outlive the change."""
        change = update.chat_member or update.my_chat_member
        if change is None:
            return
        chat, user = str(change.chat.id), str(change.new_chat_member.user.id)
        self._forget_admins(chat)
        if user == self.self_id:
            self._levels = {k: v for k, v in self._levels.items() if k[0] != chat}
        else:
            self._levels = {k: v for k, v in self._levels.items() if k[:2] != (chat, user)}

    def _forget_group(self, guild_id: str) -> None:
        """The group is gone (it became a supergroup): nothing cached for it still holds."""
        self._levels = {k: v for k, v in self._levels.items() if k[0] != guild_id}
        self._defaults.pop(guild_id, None)
        self._forget_admins(guild_id)

    async def kick(self, guild_id: str, user_id: str, reason: str = "") -> None:
        """A ban that lifts itself after a minute: the member is out and may come back."""
        self._check_target(guild_id, user_id)
        await self._call(
            guild_id,
            self.bot.ban_chat_member,
            user_id=int(user_id),
            until_date=self._until(KICK_BAN),
        )
        log.info("telegram: removed %s from %s (%s)", user_id, guild_id, reason or "no reason")

    async def unban(self, guild_id: str, user_id: str) -> None:
        self._check_target(guild_id, user_id)
        await self._call(
            guild_id, self.bot.unban_chat_member, user_id=int(user_id), only_if_banned=True
        )

    async def mute(self, guild_id: str, user_id: str, duration: timedelta | None) -> None:
        self._check_target(guild_id, user_id)
        await self._call(
            guild_id,
            self.bot.restrict_chat_member,
            user_id=int(user_id),
            permissions=ChatPermissions.no_permissions(),
            until_date=self._until(duration) if duration else None,
        )

    async def unmute(self, guild_id: str, user_id: str) -> None:
        """Back to the group's own defaults, not every permission: where members may not
        send photos or pin, an unmuted member may not either."""
        self._check_target(guild_id, user_id)
        await self._call(
            guild_id,
            self.bot.restrict_chat_member,
            user_id=int(user_id),
            permissions=await self._default_permissions(guild_id),
            use_independent_chat_permissions=True,
        )

    async def _default_permissions(self, guild_id: str) -> ChatPermissions:
        assert self.host is not None
        now = self.host.clock.monotonic()
        cached = self._defaults.get(guild_id)
        if cached is not None and now - cached[1] < PERMISSIONS_TTL:
            return cached[0]
        chat = await self._call(guild_id, self.bot.get_chat)
        permissions = chat.permissions or ChatPermissions.all_permissions()
        self._defaults[guild_id] = (permissions, now)
        return permissions

    async def set_title(self, guild_id: str, user_id: str, title: str) -> None:
        self._check_target(guild_id, user_id)
        await self._call(
            guild_id,
            self.bot.set_chat_administrator_custom_title,
            user_id=int(user_id),
            custom_title=title,
        )

    async def answer_join_request(self, guild_id: str, user_id: str, approve: bool) -> None:
        call = self.bot.approve_chat_join_request if approve else self.bot.decline_chat_join_request
        await self._call(guild_id, call, user_id=int(user_id))

    async def create_invite(self, guild_id: str, *, expires: timedelta = timedelta(days=7)) -> str:
        """An invite link for one person (``member_limit`` 1) that expires; the bot needs the
        right to invite users (else CannotAct)."""
        assert self.host is not None
        link = await self._call(
            guild_id,
            self.bot.create_chat_invite_link,
            member_limit=1,
            expire_date=int((self.host.clock.now() + expires).timestamp()),
        )
        return link.invite_link

    def _check_target(self, guild_id: str, user_id: str) -> None:
        """Channel identities and the bot itself are never acted on."""
        if _not_a_person(guild_id, user_id) or user_id == self.self_id:
            raise CannotAct(f"{user_id} is a channel identity, not a member")

    def _until(self, duration: timedelta) -> int:
        assert self.host is not None
        duration = min(max(duration, MIN_UNTIL), MAX_UNTIL)
        return int((self.host.clock.now() + duration).timestamp())


def is_present(member: ChatMember) -> bool:
    """In the group: owner, admin, member, or restricted but still a member."""
    return member.status in _PRESENT or (
        member.status == ChatMember.RESTRICTED and bool(getattr(member, "is_member", False))
    )


def _not_a_person(guild_id: str, user_id: str) -> bool:
    """The group speaking as itself (anonymous admin), a channel, or a stand-in sender."""
    try:
        number = int(user_id)
    except ValueError:
        return True
    return user_id == guild_id or number < 0 or number in STAND_IN_IDS


def _level(member: ChatMember, right: str | None) -> PermissionLevel:
    if member.status == ChatMember.OWNER:
        return PermissionLevel.ADMIN
    if member.status != ChatMember.ADMINISTRATOR:
        return PermissionLevel.MEMBER
    if right is None:
        return PermissionLevel.ADMIN
    flag = RIGHTS.get(right)
    if flag is None:
        # An unknown right: only the group's creator holds every right for certain.
        log.warning("telegram: unknown command right %r; only the group creator qualifies", right)
        return PermissionLevel.MEMBER
    return PermissionLevel.ADMIN if getattr(member, flag, False) else PermissionLevel.MEMBER
