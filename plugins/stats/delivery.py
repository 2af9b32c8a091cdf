"""Where a report goes, and sending it there once.

A group's ``report_to`` decides: ``auto`` is the HQ group when a plugin names one through the
``hq_group`` hook (the broadcast plugin's ``/hq set``), else the admins who asked for it;
``admins`` are those admins in private, each in their own language, their level checked again
first; ``group`` is the group itself. Each report is claimed by a unique (group, local day,
kind) row before it is sent, so it goes at most once whatever restarts and catch-ups happen.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date
from functools import partial

from tortoise.exceptions import IntegrityError

from bot import GroupRef, MemberRef, Outgoing, PermissionLevel, PlatformError, Scope
from plugins.stats.config import StatsSettings
from plugins.stats.models import StatsReport, StatsSubscriber

__all__ = ["claim", "deliver", "hq_of", "route"]

log = logging.getLogger(__name__)
Build = Callable[[Callable[..., str]], Awaitable[str | Outgoing]]


async def hq_of(scope: Scope) -> GroupRef | None:
    for found in await scope.emit("hq_group"):
        if isinstance(found, GroupRef):
            return found
    return None


def route(settings: StatsSettings, hq: GroupRef | None) -> str:
    """hq, admins, group or off."""
    if settings.report_to == "auto":
        return "hq" if hq is not None else "admins"
    return settings.report_to


async def claim(scope: Scope, group: GroupRef, day: date, kind: str) -> StatsReport | None:
    """The report of ``kind`` for the group's local ``day``, or None when it was already made."""
    try:
        return await StatsReport.create(
            platform=group.platform, guild_id=group.key, day=day, kind=kind, sent_at=scope.now
        )
    except IntegrityError:
        return None


async def deliver(scope: Scope, group: GroupRef, where: str, build: Build) -> str:
    """Send what ``build(t)`` makes to ``where`` (group or admins); returns what happened, for
    the report's row."""
    if where == "group":
        locale = await scope.group_locale(group)
        await scope.send_to(group, await build(partial(scope.translate, locale)))
        return "group"
    sent = 0
    made: dict[str, str | Outgoing] = {}
    for row in await StatsSubscriber.filter(platform=group.platform, guild_id=group.key).order_by("id"):
        member = MemberRef(group.platform, row.user_id, group)
        try:
            if await scope.level_of(member) < PermissionLevel.ADMIN:
                continue  # no longer an admin of the group: its figures are not theirs to read
        except PlatformError as exc:
            log.info("stats: the level of %s in %s is unknown (%s); no report", row.user_id, group.gid, exc)
            continue
        locale = await scope.roster.locale_of(group.platform, row.user_id) or await scope.group_locale(group)
        if locale not in made:
            made[locale] = await build(partial(scope.translate, locale))
        try:
            await scope.send_private(member, made[locale])
            sent += 1
        except PlatformError as exc:
            log.info("stats: the report of %s did not reach %s: %s", group.gid, row.user_id, exc)
    return f"admins:{sent}"
