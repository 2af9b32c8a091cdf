"""The ``[plugins.stats]`` section: how long hourly figures are kept, what the charts show, the
thresholds that class a group's health and call out anomalies, and when and where the daily
and weekly reports go.

A group may change its thresholds and its reports in a table of its own
(``[plugins.stats.groups."telegram:-100123"]``, see ``bot.PerGroupConfig``); its ``health`` and
``anomalies`` tables change only the keys they name, the rest come from the section's. The
storage settings (``GLOBAL_ONLY``) apply to every group and are refused in a group's table.
"""

from __future__ import annotations

from datetime import time
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from bot import PerGroupConfig, StrictModel

__all__ = ["AnomalyThresholds", "HealthThresholds", "StatsConfig", "StatsSettings", "parse_hhmm"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GLOBAL_ONLY = ("raw_days", "flush_size", "fleet_labels")
NESTED = ("health", "anomalies")


def parse_hhmm(value: str) -> time | None:
    hours, sep, minutes = value.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        return None
    if int(hours) > 23 or int(minutes) > 59:
        return None
    return time(int(hours), int(minutes))


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


class AnomalyThresholds(StrictModel):
    # Yesterday against the average of the seven days before it.
    # Messages down by at least this share of the average...
    messages_drop_percent: float = Field(default=50.0, gt=0, le=100)
    # ...in a group that averages at least this many a day (a quiet group's swings are noise).
    messages_drop_min_average: float = Field(default=20.0, ge=0)
    # A join spike: at least this many times the average joins, and at least join_spike_min.
    join_spike_factor: float = Field(default=3.0, ge=1)
    join_spike_min: int = Field(default=10, ge=1)
    # More leaves than joins on each of this many days running (yesterday the last).
    leave_streak_days: int = Field(default=3, ge=2, le=14)
    # An ad wave: removed ads at least this many times the average, and at least ad_wave_min.
    ad_wave_factor: float = Field(default=3.0, ge=1)
    ad_wave_min: int = Field(default=5, ge=1)


class StatsSettings(StrictModel):
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
    anomalies: AnomalyThresholds = Field(default_factory=AnomalyThresholds)
    # The daily report (yesterday against the 7-day average), at this local time of the group.
    report_time: str = "09:00"
    # Where it goes: "auto" (the HQ group when the broadcast plugin marks one, else the admins
    # who asked for it with /stats report on, in private), "admins", "group" (posted in the
    # group itself), "off".
    report_to: Literal["auto", "admins", "group", "off"] = "auto"
    # The weekly report (trend chart, the week against the one before, health class changes)
    # comes with the daily one on this day, or "off".
    weekly_report: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "off"] = "mon"

    @field_validator("report_time")
    @classmethod
    def _report_time(cls, value: str) -> str:
        if parse_hhmm(value) is None:
            raise ValueError(f"report_time must be HH:MM (e.g. 09:00), not {value!r}")
        return value

    @property
    def report_at(self) -> time:
        at = parse_hhmm(self.report_time)
        assert at is not None  # validated
        return at

    @property
    def weekly_weekday(self) -> int | None:
        return WEEKDAYS.index(self.weekly_report) if self.weekly_report != "off" else None


class StatsConfig(PerGroupConfig, StatsSettings):
    """The section; ``[plugins.stats.groups."platform:group_id"]`` tables change a group's
    settings (``for_group``)."""

    @model_validator(mode="before")
    @classmethod
    def _group_tables(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("groups"), dict):
            return data
        groups = {}
        for key, override in data["groups"].items():
            if not isinstance(override, dict):
                groups[key] = override
                continue
            shared = [name for name in GLOBAL_ONLY if name in override]
            if shared:
                raise ValueError(
                    f"groups.{key!r}: {', '.join(shared)} applies to every group; set it in [plugins.stats]"
                )
            merged = dict(override)
            for name in NESTED:
                section = data.get(name)
                if isinstance(merged.get(name), dict) and isinstance(section, dict):
                    merged[name] = {**section, **merged[name]}
            groups[key] = merged
        return {**data, "groups": groups}
