"""Quiet mode of a group (a 500-member group does not want four lines per check-in).

A quiet group gets one short line per check-in, removed after ``quiet_delete_after`` seconds;
with ``quiet_summary_at`` its check-ins before that local time get no reply at all and one
summary at that time instead; and the points plugin announces a level-up there only when it
brings a new title (``points_quiet``). ``/checkin quiet on|off`` (admins) decides for the group;
without it, the config's ``quiet`` does.

Replies to remove are rows (``checkin_reply``), so a restart removes them too; the sweep runs
each minute.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from tortoise.connection import connections

from bot import GroupRef, PlainSQL, PlatformError, Scope
from plugins.checkin.config import CheckinSettings
from plugins.checkin.models import CheckinGroup, CheckinReply
from plugins.checkin.streaks import parse_hhmm

if TYPE_CHECKING:
    from bot.adapters.base import SentMessage

__all__ = [
    "held_for_summary", "is_quiet", "remove_later", "set_quiet", "summary_time", "sweep_replies",
]

# Asked at every level-up that brings no new title (``points_quiet``): written as is, not built.
_QUIET = PlainSQL('SELECT "quiet" FROM "checkin_group" WHERE "platform"={} AND "guild_id"={}')
# Replies removed per sweep at most (the rest wait for the next minute).
SWEEP_BATCH = 500


async def is_quiet(group: GroupRef, settings: CheckinSettings) -> bool:
    connection = connections.get("default")
    rows = await connection.execute_query_dict(_QUIET.on(connection), [group.platform, group.key])
    return bool(rows[0]["quiet"]) if rows else settings.quiet


async def set_quiet(group: GroupRef, quiet: bool) -> None:
    await CheckinGroup.update_or_create(
        platform=group.platform, guild_id=group.key, defaults={"quiet": quiet}
    )


def summary_time(settings: CheckinSettings) -> time | None:
    return parse_hhmm(settings.quiet_summary_at) if settings.quiet_summary_at else None


def held_for_summary(settings: CheckinSettings, local: datetime) -> bool:
    """Whether a quiet group's check-in at ``local`` waits for the morning summary."""
    at = summary_time(settings)
    return at is not None and local.time() < at


async def remove_later(
    scope: Scope, platform: str, sent: SentMessage | None, settings: CheckinSettings
) -> None:
    if sent is None or not settings.quiet_delete_after:
        return
    adapter = scope.adapter(platform)
    if adapter is None or not adapter.supports("message.delete"):
        return
    await CheckinReply.create(
        platform=platform, channel_id=sent.channel_id, message_id=sent.message_id,
        delete_at=scope.now + timedelta(seconds=settings.quiet_delete_after),
    )


async def sweep_replies(scope: Scope) -> int:
    """Remove the replies that are due; returns how many went."""
    due = await CheckinReply.filter(delete_at__lte=scope.now).order_by("delete_at").limit(SWEEP_BATCH)
    for row in due:
        adapter = scope.adapter(row.platform)
        if adapter is None:
            continue  # that platform is not running now: later
        try:
            await adapter.delete(row.channel_id, row.message_id)
        except PlatformError:
            pass  # already removed by someone, or too old for the platform: nothing to keep
        await CheckinReply.filter(id=row.id).delete()
    return len(due)
