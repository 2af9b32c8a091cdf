"""A group's health class from its last 14 days, with the reasons.

- ``dead``: hardly anyone speaks (average distinct speakers a day and messages a day both under
  their thresholds);
- ``spam``: removed ads are a large share of the messages, or outnumber the real speakers;
- ``high``: many distinct speakers, steady from day to day, few ads;
- ``general``: the rest.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from plugins.stats.config import HealthThresholds

__all__ = ["HEALTH_DAYS", "Health", "classify"]

HEALTH_DAYS = 14
CLASSES = ("high", "general", "spam", "dead")


@dataclass(frozen=True, slots=True)
class Health:
    cls: str
    speakers: float  # distinct speakers a day, on average
    messages: float  # messages a day, on average
    ads_percent: float  # removed ads per 100 messages
    variation: float  # coefficient of variation of the daily messages
    reasons: tuple[tuple[str, dict], ...]  # locale keys (under stats.health.why.) and params


def classify(
    daily_messages: dict[date, int], daily_speakers: dict[date, int], ads: int, days: int,
    limits: HealthThresholds,
) -> Health:
    """``days``: how many days the averages are over (fewer for a group the bot saw lately)."""
    days = max(days, 1)
    messages = sum(daily_messages.values())
    series = [daily_messages.get(d, 0) for d in sorted(daily_messages)] or [0]
    series += [0] * max(0, days - len(series))
    avg_messages = messages / days
    avg_speakers = sum(daily_speakers.values()) / days
    ads_percent = 100.0 * ads / max(messages + ads, 1)
    mean = statistics.fmean(series)
    variation = statistics.pstdev(series) / mean if mean else 0.0
    figures = {
        "speakers": f"{avg_speakers:.1f}", "messages": f"{avg_messages:.0f}",
        "ads": f"{ads_percent:.1f}", "variation": f"{variation:.2f}",
    }
    reasons: list[tuple[str, dict]] = []
    if ads and (ads_percent >= limits.spam_ads_percent or ads > sum(daily_speakers.values())):
        reasons.append(("spam", {**figures, "limit": f"{limits.spam_ads_percent:g}"}))
        return Health("spam", avg_speakers, avg_messages, ads_percent, variation, tuple(reasons))
    if avg_speakers < limits.dead_speakers and avg_messages < limits.dead_messages:
        reasons.append(
            ("dead", {**figures, "min_speakers": f"{limits.dead_speakers:g}",
                      "min_messages": f"{limits.dead_messages:g}"})
        )
        return Health("dead", avg_speakers, avg_messages, ads_percent, variation, tuple(reasons))
    if (
        avg_speakers >= limits.high_speakers
        and variation <= limits.high_max_variation
        and ads_percent < limits.high_max_ads_percent
    ):
        reasons.append(("high", {**figures, "min_speakers": f"{limits.high_speakers:g}"}))
        return Health("high", avg_speakers, avg_messages, ads_percent, variation, tuple(reasons))
    reasons.append(("general", figures))
    return Health("general", avg_speakers, avg_messages, ads_percent, variation, tuple(reasons))
