"""What the rules need besides the roster, gathered once per preview or run: message counts in
the messages rule's window (only when they are complete for all of it), and which members the
onboarding and ads plugins flag (through this plugin's hooks; nobody when they are not enabled).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from bot import GroupRef, Scope
from plugins.inactive.config import InactiveSettings
from plugins.inactive.counts import MessageCounts
from plugins.inactive.rules import RULE_ADS, RULE_ONBOARDING, Evidence

__all__ = ["gather", "window_start"]


def window_start(now: datetime, tz: Any, days: int) -> datetime:
    """The local midnight ``days - 1`` days before today: the window is today and the days
    before it, ``days`` in all."""
    first = now.astimezone(tz).date() - timedelta(days=days - 1)
    return datetime.combine(first, time(0), tz)


async def _flags(scope: Scope, hook: str, **kwargs: Any) -> dict[str, datetime] | None:
    answers = await scope.emit(hook, **kwargs)
    if not answers:
        return None
    merged: dict[str, datetime] = {}
    for answer in answers:
        merged.update(answer)
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
    if settings.onboarding_days:
        before = now - timedelta(days=settings.onboarding_days)
        evidence.flagged[RULE_ONBOARDING] = await _flags(
            scope, "inactive_onboarding_incomplete", group=group, before=before
        )
    if settings.ads_last_step:
        evidence.flagged[RULE_ADS] = await _flags(scope, "inactive_ads_last_step", group=group)
    return evidence
