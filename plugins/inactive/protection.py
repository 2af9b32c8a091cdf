"""Who is never selected: what the plugin knows (the allow-list, removals it made; the roster
says who is a bot) and what only the platform knows now (owner and admins, bots, protected
roles and titles, whether the member is still there), re-checked live at preview and again at
action time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import MemberRef, NotSupported, PermissionLevel, PlatformError, Scope
from bot.plugin import PluginError
from plugins.inactive.config import InactiveSettings
from plugins.inactive.models import Candidate, Protected, Sweep

__all__ = ["excluded_ids", "live_protection", "points_level", "removed_members"]

_NO_LOOKUP = object()


async def excluded_ids(scope: Scope, group: Any) -> set[str]:
    """The allow-list of the group and the bot itself."""
    protected = await Protected.filter(platform=group.platform, guild_id=group.key).values_list(
        "user_id", flat=True
    )
    ids = set(protected)
    adapter = scope.adapter(group.platform)
    if adapter is not None and adapter.self_id:
        ids.add(adapter.self_id)
    return ids


async def removed_members(group: Any) -> dict[str, datetime]:
    """Members the plugin removed and did not let back (user id -> when)."""
    sweeps = await Sweep.filter(
        platform=group.platform, guild_id=group.key, status__in=("running", "done", "halted")
    ).values_list("id", flat=True)
    if not sweeps:
        return {}
    rows = await Candidate.filter(
        sweep_id__in=list(sweeps), state__in=("removing", "removed")
    ).values_list("user_id", "acted_at")
    found: dict[str, datetime] = {}
    for user_id, acted_at in rows:
        if acted_at is not None and (user_id not in found or acted_at > found[user_id]):
            found[user_id] = acted_at
    return found


def points_level_service(scope: Scope) -> Any | None:
    """The points service when the points plugin is enabled (``optional``)."""
    try:
        from plugins.points import Points
    except ImportError:
        return None
    try:
        return scope.service(Points)
    except PluginError:
        return None


async def points_level(scope: Scope, member: MemberRef) -> int | None:
    service = points_level_service(scope)
    if service is None:
        return None
    return (await service.standing(member)).level


async def live_protection(
    scope: Scope, group: Any, user_id: str, settings: InactiveSettings
) -> str | None:
    """Why the member must not be removed now (a reason key), or None. A member the platform
    cannot confirm is treated as protected: better to keep one lurker than kick an admin."""
    adapter = scope.adapter(group.platform)
    if adapter is None:
        return "offline"
    if user_id == adapter.self_id:
        return "bot"
    member = MemberRef(group.platform, user_id, group)
    if await scope.level_of(member) >= PermissionLevel.MODERATOR:
        return "admin"
    try:
        info: Any = await adapter.get_member(group.id, user_id)
    except NotSupported:
        info = _NO_LOOKUP
    except PlatformError:
        return "unverified"
    if info is None:
        return "left"
    if info is not _NO_LOOKUP:
        if info.user.is_bot:
            return "bot"
        if info.user.is_channel:
            return "channel"
        if info.level >= PermissionLevel.MODERATOR:
            return "admin"
        if set(info.roles) & set(settings.protected_roles):
            return "role"
        if info.nick and info.nick in settings.protected_titles:
            return "title"
    if settings.protect_level:
        level = await points_level(scope, member)
        if level is not None and level >= settings.protect_level:
            return "level"
    return None
