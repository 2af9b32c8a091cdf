"""The ``[plugins.stats]`` section: how long hourly figures are kept, what the charts show, and
the thresholds that class a group's health."""

from __future__ import annotations

from pydantic import Field

from bot import StrictModel

__all__ = ["HealthThresholds", "StatsConfig"]


class HealthThresholds(StrictModel):
    # Dead: fewer distinct speakers a day than this on average (over the last 14 days)...
    dead_speakers: float = Field(default=3.0, ge=0)
    # ...and fewer messages a day than this.
    dead_messages: float = Field(default=20.0, ge=0)
    # Spam-ridden: removed ads per 100 messages at least this many...
    spam_ads_percent: float = Field(default=5.0, ge=0)
    # ...or ads removed outnumber the distinct speakers of the period.
    # High-value: at least this many distinct speakers a day on average...
    high_speakers: float = Field(default=15.0, ge=0)
    # ...steady (daily messages vary by at most this fraction of their mean: the coefficient of
    # variation)...
    high_max_variation: float = Field(default=0.6, ge=0)
    # ...and few ads (removed ads per 100 messages below this).
    high_max_ads_percent: float = Field(default=1.0, ge=0)


class StatsConfig(StrictModel):
    # Hourly buckets and per-member daily counts older than this are rolled up into one row per
    # group per day (totals and distinct speakers kept; who spoke is dropped).
    raw_days: int = Field(default=90, ge=31, le=3660)
    # Pending counters past this many buckets are written at once instead of at the next tick.
    flush_size: int = Field(default=5_000, ge=1)
    # Rows of the top-speakers chart.
    top_size: int = Field(default=10, ge=3, le=30)
    # Days the hour x weekday heatmap looks back over.
    heatmap_days: int = Field(default=28, ge=7, le=365)
    # Groups named on the fleet chart (all are drawn; the busiest are labelled).
    fleet_labels: int = Field(default=15, ge=0, le=100)
    health: HealthThresholds = Field(default_factory=HealthThresholds)
