"""The weekly report: members, the share who spoke in the last seven days, and the sweeps'
warned, spared (because they spoke) and removed.

It goes privately to the group's admins who look after its sweeps (those who previewed,
confirmed or undid a run, or protected someone, here), each in their own language, their level
checked on the platform first: a former admin gets nothing. When none of them can be reached
(none yet, or none opened a private chat with the bot), or with ``report_to = "group"``, it is
posted in the group.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from bot import GroupRef, MemberRef, PermissionLevel, PlatformError, Scope
from plugins.inactive.config import InactiveSettings
from plugins.inactive.models import Candidate, Protected, Sweep

__all__ = ["figures", "recipients", "send_report"]

log = logging.getLogger(__name__)


async def figures(scope: Scope, group: GroupRef) -> dict[str, Any]:
    since = scope.now - timedelta(days=7)
    sweeps = await Sweep.filter(platform=group.platform, guild_id=group.key).values_list("id", flat=True)
    counts = {"removed": 0, "warned": 0, "spared": 0}
    if sweeps:
        rows = Candidate.filter(sweep_id__in=list(sweeps))
        counts["removed"] = await rows.filter(state="removed", acted_at__gte=since).count()
        counts["spared"] = await rows.filter(state="spared", reason="active", acted_at__gte=since).count()
        warned = await Sweep.filter(id__in=list(sweeps), confirmed_at__gte=since).values_list("id", flat=True)
        counts["warned"] = await Candidate.filter(sweep_id__in=list(warned)).exclude(reason="changed").count()
    members = await scope.roster.members(group)
    spoke = sum(1 for m in members if m.last_active_at and m.last_active_at >= since)
    share = f"{spoke * 100 // len(members)}%" if members else "-"
    return {"members": len(members), "share": share, **counts}


async def recipients(group: GroupRef) -> list[str]:
    """User ids of the admins who acted on this group's sweeps, the latest first."""
    acted: list[tuple[Any, str | None]] = []
    for row in await Sweep.filter(platform=group.platform, guild_id=group.key).values(
        "created_at", "created_by", "confirmed_at", "confirmed_by", "undone_at", "undone_by"
    ):
        acted += [(row["created_at"], row["created_by"]), (row["confirmed_at"], row["confirmed_by"]),
                  (row["undone_at"], row["undone_by"])]
    acted += await Protected.filter(platform=group.platform, guild_id=group.key).values_list(
        "added_at", "added_by"
    )
    prefix = f"{group.platform}:"
    ids: dict[str, None] = {}
    for _, uid in sorted((a for a in acted if a[0] is not None and a[1]), key=lambda a: a[0], reverse=True):
        if uid.startswith(prefix):
            ids[uid[len(prefix):]] = None
    return list(ids)


async def send_report(scope: Scope, group: GroupRef, settings: InactiveSettings) -> str:
    """Send the report; returns where it went: "admins" or "group"."""
    found = await figures(scope, group)
    if settings.report_to == "admins" and await _to_admins(scope, group, found):
        return "admins"
    locale = await scope.group_locale(group)
    await scope.send_to(group, scope.translate(locale, "inactive.report", **found))
    return "group"


async def _to_admins(scope: Scope, group: GroupRef, found: dict[str, Any]) -> int:
    info = await scope.roster.group(group)
    name = info.ref.name or group.id
    sent = 0
    for user_id in await recipients(group):
        member = MemberRef(group.platform, user_id, group)
        try:
            if await scope.level_of(member) < PermissionLevel.ADMIN:
                continue  # no longer an admin here: the group's figures are not theirs to read
        except PlatformError as exc:
            log.info("inactive: the level of %s in %s is unknown (%s): no report", user_id, group.gid, exc)
            continue
        locale = await scope.roster.locale_of(group.platform, user_id) or await scope.group_locale(group)
        text = scope.translate(locale, "inactive.report_private", group=name, **found)
        try:
            await scope.send_private(member, text)
        except PlatformError as exc:
            log.info("inactive: the report of %s did not reach %s: %s", group.gid, user_id, exc)
            continue
        sent += 1
    return sent
