"""Members and moderation: member look-ups, permission levels (with the Discord permissions a
command's right maps to), kicks, timeouts, roles and invites. Discord's role hierarchy is checked before
calling it, and after a 403 further actions in that server are refused locally for a while.
Mixed into :class:`~bot.adapters.discord.adapter.DiscordAdapter`."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.base import CannotAct, PlatformError
from bot.adapters.discord.convert import level_of, member_of
from bot.adapters.discord.errors import platform_error
from bot.events import Member
from bot.permissions import PermissionLevel

__all__ = ["FORBIDDEN_PAUSE", "MAX_INVITE_AGE", "MAX_TIMEOUT", "Moderation"]

# After a 403 on a kick/timeout/role change, further such calls in that guild are refused
# locally for this long: Discord bans IPs that send many invalid requests.
FORBIDDEN_PAUSE = 60.0
MAX_TIMEOUT = timedelta(days=28)
# Discord keeps an invite at most this long (max_age 0 would be forever).
MAX_INVITE_AGE = timedelta(days=7)

# A specific right a command may need (CommandSpec.right) → Discord permissions, any of which
# grants it. Unknown rights need administrator.
_RIGHTS = {
    "restrict": ("moderate_members", "kick_members"),
    "kick": ("kick_members",),
    "ban": ("ban_members",),
    "delete": ("manage_messages",),
    "pin": ("manage_messages",),
    "roles": ("manage_roles",),
    "invite": ("create_instant_invite",),
}


class Moderation:
    """Needs from the adapter: ``_require_client()``."""

    if TYPE_CHECKING:

        def _require_client(self) -> discord.Client: ...

    def __init__(self) -> None:
        super().__init__()
        self._paused_until: dict[int, float] = {}
        self._removed_by_bot: set[tuple[int, int]] = set()

    def _was_removed_by_bot(self, guild_id: int, user_id: int) -> bool:
        """Whether a member who just left was kicked by the bot (asked once per leave)."""
        removed = (guild_id, user_id) in self._removed_by_bot
        self._removed_by_bot.discard((guild_id, user_id))
        return removed

    def _guild(self, guild_id: str) -> discord.Guild:
        guild = self._require_client().get_guild(int(guild_id))
        if guild is None:
            raise PlatformError(f"discord: the bot is not in server {guild_id}")
        return guild

    async def _member(self, guild: discord.Guild, user_id: str) -> discord.Member | None:
        member = guild.get_member(int(user_id))
        if member is not None:
            return member
        try:
            return await guild.fetch_member(int(user_id))
        except discord.NotFound:
            return None
        except discord.HTTPException as exc:
            raise platform_error(exc, "look up a member") from exc

    async def get_member(self, guild_id: str, user_id: str) -> Member | None:
        member = await self._member(self._guild(guild_id), user_id)
        return member_of(member) if member is not None else None

    async def get_level(
        self, guild_id: str, user_id: str, right: str | None = None
    ) -> PermissionLevel:
        guild = self._guild(guild_id)
        member = await self._member(guild, user_id)
        if member is None:
            return PermissionLevel.MEMBER
        level = level_of(member)
        if right is None or member.id == guild.owner_id:
            return level
        permissions = member.guild_permissions
        needed = _RIGHTS.get(right, ("administrator",))
        if permissions.administrator or any(getattr(permissions, p) for p in needed):
            return level
        return PermissionLevel.MEMBER

    def _check_not_paused(self, guild: discord.Guild) -> None:
        if self._paused_until.get(guild.id, 0.0) > time.monotonic():
            raise CannotAct(
                f"discord: Discord refused a moderation action in {guild.name} less than "
                f"{FORBIDDEN_PAUSE:.0f} s ago; not trying again yet"
            )

    def _check_can_act(self, guild: discord.Guild, member: discord.Member, permission: str) -> None:
        """Discord's rules, checked before calling it (its 403 does not say which failed)."""
        self._check_not_paused(guild)
        me = guild.me
        if member.id == me.id:
            raise CannotAct("discord: the bot does not act on itself")
        if member.id == guild.owner_id:
            raise CannotAct(f"discord: {member} owns the server")
        if not getattr(me.guild_permissions, permission):
            raise CannotAct(f"discord: the bot lacks the {permission} permission in {guild.name}")
        if member.top_role >= me.top_role:
            raise CannotAct(f"discord: {member}'s top role is not below the bot's")

    async def _moderate(self, guild: discord.Guild, action: str, call: Any) -> None:
        try:
            await call
        except discord.Forbidden as exc:
            self._paused_until[guild.id] = time.monotonic() + FORBIDDEN_PAUSE
            raise CannotAct(f"discord: refused to {action}: {exc.text}") from exc
        except discord.HTTPException as exc:
            raise platform_error(exc, action) from exc

    async def _target(self, guild_id: str, user_id: str) -> tuple[discord.Guild, discord.Member]:
        guild = self._guild(guild_id)
        self._check_not_paused(guild)
        member = await self._member(guild, user_id)
        if member is None:
            raise PlatformError(f"discord: {user_id} is not a member of {guild.name}")
        return guild, member

    async def kick(self, guild_id: str, user_id: str, reason: str = "") -> None:
        guild = self._guild(guild_id)
        self._check_not_paused(guild)
        member = await self._member(guild, user_id)
        if member is None:
            return  # already gone
        self._check_can_act(guild, member, "kick_members")
        key = (guild.id, member.id)
        self._removed_by_bot.add(key)
        try:
            await self._moderate(guild, "kick", guild.kick(member, reason=reason or None))
        except PlatformError:
            # Still a member: a later leave of their own must not read as the bot's removal.
            self._removed_by_bot.discard(key)
            raise

    async def mute(self, guild_id: str, user_id: str, duration: timedelta | None) -> None:
        """A timeout: at most 28 days (None or longer → 28 days)."""
        guild, member = await self._target(guild_id, user_id)
        self._check_can_act(guild, member, "moderate_members")
        if member.guild_permissions.administrator:
            raise CannotAct(f"discord: {member} is an administrator and cannot be timed out")
        length = min(duration or MAX_TIMEOUT, MAX_TIMEOUT)
        await self._moderate(guild, "time out", member.timeout(length))

    async def unmute(self, guild_id: str, user_id: str) -> None:
        guild, member = await self._target(guild_id, user_id)
        self._check_can_act(guild, member, "moderate_members")
        await self._moderate(guild, "lift a timeout", member.timeout(None))

    async def set_role(self, guild_id: str, user_id: str, role: str, present: bool) -> None:
        """``role``: a role id or a role name (case-insensitive). Roles are never created."""
        guild, member = await self._target(guild_id, user_id)
        found = _find_role(guild, role)
        if found is None:
            raise PlatformError(f"discord: no role {role!r} in {guild.name}")
        me = guild.me
        if not me.guild_permissions.manage_roles:
            raise CannotAct(f"discord: the bot lacks the manage_roles permission in {guild.name}")
        if found.is_default() or found.managed or found >= me.top_role:
            raise CannotAct(f"discord: the role {found.name} is not below the bot's top role")
        if present:
            await self._moderate(guild, "add a role", member.add_roles(found))
        else:
            await self._moderate(guild, "remove a role", member.remove_roles(found))

    async def create_invite(self, guild_id: str, *, expires: timedelta = MAX_INVITE_AGE) -> str:
        """An invite for one person (max_uses 1) to the server's system channel, or its first
        text channel where the bot may create invites; it expires (7 days at most)."""
        guild = self._guild(guild_id)
        me = guild.me
        channels = [guild.system_channel, *sorted(guild.text_channels, key=lambda c: c.position)]
        channel = next(
            (c for c in channels if c is not None and c.permissions_for(me).create_instant_invite), None
        )
        if channel is None:
            raise CannotAct(f"discord: the bot may not create invites in {guild.name}")
        age = max(1, int(min(expires, MAX_INVITE_AGE).total_seconds()))
        try:
            invite = await channel.create_invite(max_age=age, max_uses=1, unique=True)
        except discord.Forbidden as exc:
            raise CannotAct(f"discord: refused to create an invite: {exc.text}") from exc
        except discord.HTTPException as exc:
            raise platform_error(exc, "create an invite") from exc
        return invite.url


def _find_role(guild: discord.Guild, role: str) -> discord.Role | None:
    if role.isdigit():
        found = guild.get_role(int(role))
        if found is not None:
            return found
    wanted = role.strip().lower()
    return next((r for r in guild.roles if r.name.lower() == wanted), None)
