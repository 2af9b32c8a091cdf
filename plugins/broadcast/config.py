"""The ``[plugins.broadcast]`` section: how fast the queue sends and how it retries, and the
scheduled posts."""

from __future__ import annotations

from pydantic import Field, field_validator

from bot import StrictModel

__all__ = ["BroadcastConfig"]


class BroadcastConfig(StrictModel):
    # Copies sent per second, all groups and platforms together. Telegram allows about 30/s
    # overall; the default leaves room for everything else the bot says meanwhile.
    rate_per_second: float = Field(default=10.0, gt=0, le=1000)
    # Seconds between two copies to the same group (Telegram: 20 messages a minute per group).
    group_gap_seconds: float = Field(default=3.0, ge=0, le=600)
    # Attempts of one copy on transient failures (flood limits, 5xx) before it is failed.
    max_attempts: int = Field(default=5, ge=1, le=20)
    # First retry after this many seconds, doubling each attempt (at most an hour).
    retry_seconds: float = Field(default=30.0, ge=0, le=3600)
    # A copy claimed this long ago and never recorded is reported as unknown, not resent.
    stale_after_seconds: float = Field(default=600.0, ge=60)
    # Seconds between two edits of the live progress message in HQ.
    progress_every_seconds: float = Field(default=5.0, ge=0)
    # Put a "received" button for the group leader on each copy.
    leader_button: bool = True
    # Scheduled posts: a slot missed for longer than this (the bot was down) is skipped.
    schedule_grace_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # A ``best`` schedule's time where the stats plugin has no figures (not enabled, or a new
    # group): 09:00 reaches the morning readers; evening groups may prefer 21:00.
    best_fallback: str = "09:00"
    # Scheduled posts the bot keeps at most (all groups together).
    max_schedules: int = Field(default=200, ge=1, le=10_000)

    @field_validator("best_fallback")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        hours, _, minutes = value.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise ValueError("best_fallback is a time of day, HH:MM (e.g. 09:00)")
        return f"{int(hours):02d}:{int(minutes):02d}"
