"""The ``[plugins.points]`` config section. Every key is documented in docs/points.md."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from bot import StrictModel

__all__ = ["DEFAULT_TITLES", "PointsConfig", "Reward", "TitleRange"]


class TitleRange(StrictModel):
    # The title from this level on (until the next range starts).
    level: int = Field(ge=0)
    zh: str
    en: str


class Reward(StrictModel):
    # What a member gets on reaching ``level``: a role (Discord role id) and/or a custom title
    # (Telegram admin title). ``platform`` limits the reward to one platform ("" = any).
    level: int = Field(ge=1)
    role: str = ""
    title: str = ""
    platform: str = ""


DEFAULT_TITLES = (
    TitleRange(level=0, zh="新人", en="Newcomer"),
    TitleRange(level=5, zh="青铜", en="Bronze"),
    TitleRange(level=10, zh="白银", en="Silver"),
    TitleRange(level=20, zh="黄金", en="Gold"),
    TitleRange(level=30, zh="铂金", en="Platinum"),
    TitleRange(level=40, zh="钻石", en="Diamond"),
    TitleRange(level=50, zh="传奇", en="Legend"),
)


class PointsConfig(StrictModel):
    # One balance per group ("group") or one across all the bot's groups ("global").
    scope: Literal["group", "global"] = "group"
    # XP per counted message: a random whole number in [xp_min, xp_max].
    xp_min: int = Field(default=15, ge=0)
    xp_max: int = Field(default=25, ge=0)
    # A member earns message XP at most once per this many seconds in a group.
    cooldown_seconds: float = Field(default=60.0, ge=0)
    # Messages shorter than this (characters, surrounding spaces ignored) earn nothing.
    min_length: int = Field(default=3, ge=0)
    # Most message XP a member can earn in a group per (group-local) day; 0 = no cap.
    daily_xp_cap: int = Field(default=0, ge=0)
    # Points a counted message gives: "same" as its XP, "none", or "range" (points_min..max).
    activity_points: Literal["same", "none", "range"] = "same"
    points_min: int = Field(default=1, ge=0)
    points_max: int = Field(default=5, ge=0)
    # Whether points earned through other plugins (check-in, ...) also count as XP.
    earn_counts_as_xp: bool = True
    # Level curve: "mee6" (5L²+50L+100 XP for the next level), "linear" (a·L+b) or "table"
    # (total XP needed for levels 1, 2, 3, ...).
    curve: Literal["mee6", "linear", "table"] = "mee6"
    linear_a: int = Field(default=100, ge=0)
    linear_b: int = Field(default=100, ge=1)
    table: list[int] = Field(default_factory=list)
    titles: list[TitleRange] = Field(default_factory=lambda: list(DEFAULT_TITLES))
    # Announce level-ups in the group.
    announce_level_up: bool = True
    rewards: list[Reward] = Field(default_factory=list)
    # Role rewards: "stack" keeps earlier reward roles, "replace" keeps only the highest.
    role_mode: Literal["stack", "replace"] = "stack"
    # Allow /points pay between members.
    pay_enabled: bool = True
    # Rows shown by /top and /points history.
    top_size: int = Field(default=10, ge=1, le=50)

    @model_validator(mode="after")
    def _check(self) -> PointsConfig:
        if self.xp_max < self.xp_min:
            raise ValueError("xp_max must be at least xp_min")
        if self.points_max < self.points_min:
            raise ValueError("points_max must be at least points_min")
        if self.curve == "table":
            if not self.table:
                raise ValueError('curve = "table" needs table = [xp for level 1, level 2, ...]')
            if any(b <= a for a, b in zip([0, *self.table], self.table, strict=False)):
                raise ValueError("table must be strictly increasing positive XP totals")
        if not self.titles or min(t.level for t in self.titles) != 0:
            raise ValueError("titles must include a range starting at level 0")
        return self
