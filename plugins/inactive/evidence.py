"""What the rules need besides the roster, gathered once per preview or run: message counts in
the messages rule's window (only when they are complete for all of it), which members the
onboarding and ads plugins flag, and activity the roster does not see (red packets grabbed,
the onboarding form completed), all through this plugin's hooks: nothing when those plugins
are not enabled.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from bot import GroupRef, Scope
from plugins.inactive.config import InactiveSettings
from plugins.inactive.counts import MessageCounts
from plugins.inactive.rules import RULE_ADS, RULE_ONBOARDING, Evidence

__all__ = ["ACTIVITY_DAYS", "gather", "window_start"]

# Activity the roster does not see is read this far back at least (capacity mode orders members
# by their latest activity, also when the inactivity rule is off).
ACTIVITY_DAYS = 90


def window_start(now: datetime, tz: Any, days: int) -> datetime:
    """The local midnight ``days - 1`` days before today: the window is today and the days
    before it, ``days`` in all."""
    first = now.astimezone(tz).date() - timedelta(days=days - 1)
    return datetime.combine(first, time(0), tz)


async def _flags(
    scope: Scope, hook: str, *, latest: bool = False, **kwargs: Any
) -> dict[str, datetime] | None:
    """The plugins' answers merged (None: nobody answered); ``latest``: a member several
    answers name keeps the latest time."""
    answers = await scope.emit(hook, **kwargs)
    if not answers:
        return None
    merged: dict[str, datetime] = {}
    for answer in answers:
        for user_id, at in answer.items():
            if not latest or user_id not in merged or at > merged[user_id]:
                merged[user_id] = at
    return merged


async def gather(scope: Scope, group: GroupRef, settings: InactiveSettings, tz: Any) -> Evidence:
    now = scope.now
    evidence = Evidence()
    if settings.min_messages:
        counts = scope.service(MessageCounts)
        start = window_start(now, tz, settings.messages_days)
        evidence.window_start = start
        evidence.counted_since = await counts.complete_since()
        if evidence.counted_since is not None and evidence.counted_since <= start:
            evidence.recent = await counts.window(group, start.date())
            evidence.counted_before = await counts.counted_by(group, start)
    if settings.activity:
        days = max(settings.inactive_days, ACTIVITY_DAYS)
        evidence.active = await _flags(
            scope, "inactive_activity", group=group, kinds=frozenset(settings.activity),
            since=now - timedelta(days=days), latest=True,
        ) or {}
    if settings.onboarding_days:
        before = now - timedelta(days=settings.onboarding_days)
        evidence.flagged[RULE_ONBOARDING] = await _flags(
            scope, "inactive_onboarding_incomplete", group=group, before=before
        )
    if settings.ads_last_step:
        evidence.flagged[RULE_ADS] = await _flags(scope, "inactive_ads_last_step", group=group)
    return evidence
