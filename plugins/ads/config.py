"""The ``[plugins.ads]`` section, with per-group overrides.

Every setting may be overridden for one group in ``[plugins.ads.groups."<platform>:<id>"]``
(the id ``/id`` shows, or the id the group had when the bot first saw it). Admins change the
mode, the packet minimum and the grace window of their group with ``/ads mode``, ``/ads
minimum`` and ``/ads grace`` (kept in the database, over the config), and the whitelists with
``/ads allow``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from bot import PerGroupConfig, StrictModel
from plugins.ads.detector import THRESHOLD, compile_keyword

__all__ = ["AdsConfig", "AdsSettings", "parse_step"]

Mode = Literal["enforce", "watch", "off"]


def parse_step(step: str) -> tuple[str, float]:
    """``remind``, ``mute:1h`` / ``mute:30m`` / ``mute:2d``, ``kick`` -> (action, seconds)."""
    action, _, length = step.partition(":")
    if action in ("remind", "kick") and not length:
        return action, 0.0
    if action == "mute" and length and length[:-1].replace(".", "", 1).isdigit() and length[-1] in "smhd":
        return action, float(length[:-1]) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[length[-1]]
    raise ValueError(f"a ladder step is remind, mute:<n>m|h|d or kick, not {step!r}")


class AdsSettings(StrictModel):
    # enforce: remove ads without a red packet; watch: only log what would be done; off.
    mode: Mode = "enforce"
    # The red packet that makes an ad welcome: at least this many points in at least this
    # many shares, sent by the advertiser within `grace_minutes` before or after the ad.
    min_total: int = Field(default=50, ge=1)
    min_count: int = Field(default=5, ge=1)
    grace_minutes: float = Field(default=3, ge=0, le=60)
    # What the 1st, 2nd, ... removal in a row does; the last step repeats.
    ladder: list[str] = Field(default_factory=lambda: ["remind", "mute:1h", "mute:24h", "kick"])
    # Strikes further apart than this are not "in a row": the ladder starts again.
    decay_days: float = Field(default=30, gt=0)
    # The reminder in the group is removed after this many seconds (0: kept).
    reminder_seconds: int = Field(default=60, ge=0)
    # Score from which a message is an ad (see `qunbot ads check`).
    threshold: float = Field(default=THRESHOLD, gt=0)
    # A member who joined less than this many hours ago is judged more strictly (0: never).
    new_member_hours: float = Field(default=24, ge=0)
    # Read what a message means beside its words (plugins.ads.meaning): fewer ads missed and
    # fewer false alarms on groups no labelled set described, for some 120 MB of memory and 2-3 ms
    # a message. false: the words alone.
    meaning: bool = True
    # Whitelists added to the built-in one (common sites), and RE2 keyword patterns that make
    # a message an ad on their own (matched on the normalised text).
    domains: list[str] = Field(default_factory=list)
    usernames: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    # Rows of /ads recent.
    list_size: int = Field(default=10, ge=1, le=30)

    @field_validator("ladder")
    @classmethod
    def _ladder(cls, ladder: list[str]) -> list[str]:
        if not ladder:
            raise ValueError("the ladder needs at least one step")
        for step in ladder:
            parse_step(step)
        return ladder

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, keywords: list[str]) -> list[str]:
        for keyword in keywords:
            compile_keyword(keyword)
        return keywords


class AdsConfig(PerGroupConfig, AdsSettings):
    """The section; ``[plugins.<name>.groups."platform:group_id"]`` tables change a group's
    settings (``for_group``)."""
