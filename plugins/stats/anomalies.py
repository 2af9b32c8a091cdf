"""What the daily report calls out: yesterday against the average of the seven days before.

- ``messages_drop``: messages at least ``messages_drop_percent`` % under the average, in a group
  that averages at least ``messages_drop_min_average`` a day;
- ``join_spike``: joins at least ``join_spike_factor`` times the average and at least
  ``join_spike_min``;
- ``leave_streak``: more leaves than joins on each of the last ``leave_streak_days`` days;
- ``ad_wave``: removed ads at least ``ad_wave_factor`` times the average and at least
  ``ad_wave_min``.

The average is over the days the bot has known the group (at most seven): a group met three
days ago is compared with those three days, and one met yesterday with nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from plugins.stats.config import AnomalyThresholds
from plugins.stats.queries import Totals

__all__ = ["AVERAGE_DAYS", "Anomaly", "Comparison", "compare", "find_anomalies"]

AVERAGE_DAYS = 7


@dataclass(frozen=True, slots=True)
class Anomaly:
    kind: str  # messages_drop | join_spike | leave_streak | ad_wave
    params: dict[str, str]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Yesterday's figures and the average day before it."""

    day: date
    yesterday: Totals
    average: dict[str, float]
    known_days: int  # days the average is over (0: nothing to compare with)


def compare(days: dict[date, Totals], day: date, known_since: date | None) -> Comparison:
    """``days`` holds at least the seven days before ``day`` (missing days count as zero);
    ``known_since``: the first day the bot saw the group."""
    before = [day - timedelta(days=i) for i in range(1, AVERAGE_DAYS + 1)]
    if known_since is not None:
        before = [d for d in before if d >= known_since]
    average = {}
    for name in ("messages", "speakers", "joins", "leaves", "ads_removed", "checkins"):
        values = [days[d][name] if d in days else 0 for d in before]
        average[name] = sum(values) / len(values) if values else 0.0
    return Comparison(day, days.get(day) or Totals(), average, len(before))


def _n(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def find_anomalies(
    days: dict[date, Totals], comparison: Comparison, limits: AnomalyThresholds,
) -> list[Anomaly]:
    found: list[Anomaly] = []
    y, avg = comparison.yesterday, comparison.average
    if comparison.known_days:
        drop_at = avg["messages"] * (1 - limits.messages_drop_percent / 100)
        if avg["messages"] >= limits.messages_drop_min_average and y["messages"] <= drop_at:
            percent = 100 * (1 - y["messages"] / avg["messages"])
            found.append(Anomaly("messages_drop", {
                "messages": _n(y["messages"]), "average": _n(avg["messages"]), "percent": f"{percent:.0f}",
            }))
        if y["joins"] >= limits.join_spike_min and y["joins"] >= limits.join_spike_factor * avg["joins"]:
            found.append(Anomaly("join_spike", {"joins": _n(y["joins"]), "average": _n(avg["joins"])}))
        ads = y["ads_removed"]
        if ads >= limits.ad_wave_min and ads >= limits.ad_wave_factor * avg["ads_removed"]:
            found.append(Anomaly("ad_wave", {"ads": _n(ads), "average": _n(avg["ads_removed"])}))
    streak = [comparison.day - timedelta(days=i) for i in range(limits.leave_streak_days)]
    if all(d in days and days[d]["leaves"] > days[d]["joins"] for d in streak):
        found.append(Anomaly("leave_streak", {
            "days": str(len(streak)), "leaves": _n(sum(days[d]["leaves"] for d in streak)),
            "joins": _n(sum(days[d]["joins"] for d in streak)),
        }))
    return found
