"""The ``[plugins.checkin]`` section, with per-group overrides.

Every setting may be overridden for one group in ``[plugins.checkin.groups."<platform>:<id>"]``
(e.g. ``"telegram:-1001234567890"``, ``"console:lobby"``, the id ``/id`` shows); the override is
validated together with the defaults at start-up, so a typo stops the bot with the group's key in
the message. A group that changed id (a Telegram supergroup upgrade) is found by its new id and
by the id it had when the bot first saw it.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from bot import PerGroupConfig, StrictModel
from bot.commands import normalize_word
from plugins.checkin.streaks import parse_hhmm

__all__ = ["CheckinConfig", "CheckinSettings", "is_checkin_word"]


class CheckinSettings(StrictModel):
    # Plain messages that check in when sent alone (case, width and the punctuation around
    # them ignored: 签到！ and Ｃｈｅｃｋｉｎ. count); [] = only /checkin.
    words: list[str] = Field(default_factory=lambda: ["签到", "打卡", "checkin"])
    # Points of every check-in.
    base_points: int = Field(default=10, ge=0)
    # Streak bonus: `streak_step` more points per day of streak after the first, at most
    # `streak_cap`.
    streak_step: int = Field(default=2, ge=0)
    streak_cap: int = Field(default=20, ge=0)
    # Bonus of the 1st, 2nd, ... check-in of the day in the group (抢第1名); [] = none.
    first_bonuses: list[int] = Field(default_factory=lambda: [10, 5, 3])
    # Streak length (days) -> bonus points, each paid once per member per group.
    milestones: dict[int, int] = Field(default_factory=lambda: {7: 50, 30: 200, 100: 1000, 365: 5000})
    # Make-up cards (补签): a missed day within the last `makeup_days` days; 0 = off.
    makeup_days: int = Field(default=7, ge=0, le=366)
    makeup_cost: int = Field(default=50, ge=1)
    # Daily reminder, local time of the group (HH:MM). "" = no reminder in this group.
    remind_at: str = "21:00"
    # Only streaks of at least this many days are worth a reminder.
    remind_min_streak: int = Field(default=3, ge=1)
    # More members at risk than this: the reminder gives only their number.
    remind_max_names: int = Field(default=15, ge=0)
    # Rows of /checkin top and /checkin league.
    top_size: int = Field(default=10, ge=1, le=50)
    # Quiet mode (a large group; /checkin quiet on|off decides per group, else this): one short
    # line per check-in, level-ups announced only with a new title.
    quiet: bool = False
    # In quiet mode, check-in replies are removed after this many seconds; 0 = kept.
    quiet_delete_after: int = Field(default=60, ge=0, le=86400)
    # In quiet mode, check-ins before this local time (HH:MM) get no reply but one summary at
    # this time; "" = a short reply each.
    quiet_summary_at: str = ""

    @field_validator("words")
    @classmethod
    def _words(cls, words: list[str]) -> list[str]:
        if any(w.strip().startswith(("/", "／")) for w in words):
            raise ValueError("words must not start with '/'")
        cleaned = [normalize_word(w) for w in words]
        if not all(cleaned):
            raise ValueError("words must have a letter or digit (punctuation alone is ignored)")
        return cleaned

    @field_validator("milestones")
    @classmethod
    def _milestones(cls, milestones: dict[int, int]) -> dict[int, int]:
        if any(days < 1 or points < 0 for days, points in milestones.items()):
            raise ValueError("milestones map a streak of >= 1 day to points >= 0")
        return milestones

    @field_validator("first_bonuses")
    @classmethod
    def _first(cls, bonuses: list[int]) -> list[int]:
        if any(b < 0 for b in bonuses):
            raise ValueError("first_bonuses must be >= 0")
        return bonuses

    @field_validator("remind_at", "quiet_summary_at")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if value and parse_hhmm(value) is None:
            raise ValueError(f"must be HH:MM (e.g. 21:00) or empty, not {value!r}")
        return value


class CheckinConfig(PerGroupConfig, CheckinSettings):
    """The section; ``[plugins.<name>.groups."platform:group_id"]`` tables change a group's
    settings (``for_group``)."""


def is_checkin_word(settings: CheckinSettings, text: str) -> bool:
    """Whether a message is one of the group's check-in words sent alone."""
    return bool(settings.words) and normalize_word(text) in settings.words
