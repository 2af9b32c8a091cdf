"""Reaching groups and members from what the tables hold: a group from the key its rows are
stored under, a private message that may not arrive."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot import GroupRef, MemberRef, PlatformError

if TYPE_CHECKING:
    from bot import Scope
    from bot.message import Content

__all__ = ["group_name", "group_of", "log", "send_private"]

log = logging.getLogger("plugins.onboarding")


async def group_of(scope: Scope, platform: str, key: str) -> GroupRef:
    """The group whose rows are stored under ``key`` (``GroupRef.key``), with its current id
    for talking to the platform."""
    info = await scope.roster.group_by_key(platform, key)
    return info.ref if info is not None else GroupRef(platform, key, key)


def group_name(group: GroupRef) -> str:
    return group.name or group.id


async def send_private(scope: Scope, platform: str, user_id: str, content: Content) -> bool:
    """Write to a member in private; False when they cannot be reached there."""
    try:
        await scope.send_private(MemberRef(platform, user_id), content)
        return True
    except PlatformError as exc:
        log.info("%s:%s not reachable in private: %s", platform, user_id, exc)
        return False
