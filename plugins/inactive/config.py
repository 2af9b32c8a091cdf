"""The ``[plugins.inactive]`` section, with per-group overrides.

Every setting may be overridden for one group in ``[plugins.inactive.groups."<platform>:<id>"]``
(the id ``/id`` shows, e.g. ``"telegram:-1001234567890"``); overrides are validated with the
defaults at start-up, so a typo stops the bot with the group's key in the message.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot import PerGroupConfig, StrictModel

__all__ = ["MAX_MESSAGES_DAYS", "InactiveConfig", "InactiveSettings"]

# The longest window of the messages rule: daily counts are kept this long (and a day more).
MAX_MESSAGES_DAYS = 90


class InactiveSettings(StrictModel):
    # Rule: no message or command for at least this many days since the bot last saw the member
    # (a member's clock starts when the bot first saw them). 0 = rule off.
    inactive_days: int = Field(default=30, ge=0, le=3650)
    # Besides messages and commands (always), what counts as activity: "redpacket" (grabbing
    # a red packet) and "onboarding" (completing or updating the onboarding form), each while
    # its plugin is enabled. It resets the inactivity clock and spares a warned member.
    activity: list[Literal["redpacket", "onboarding"]] = Field(
        default_factory=lambda: ["redpacket", "onboarding"]
    )
    # Rule: fewer than `min_messages` messages and commands in the last `messages_days` days
    # (today included, in the group's time). Only members the bot has known for the whole
    # window, and only once the plugin's counts are complete for it. 0 = rule off.
    min_messages: int = Field(default=0, ge=0, le=10_000)
    messages_days: int = Field(default=30, ge=1, le=MAX_MESSAGES_DAYS)
    # Rule (with the onboarding plugin): the onboarding form asked on joining is not completed
    # this many days after it was asked. 0 = rule off.
    onboarding_days: int = Field(default=0, ge=0, le=365)
    # Rule (with the ads plugin): the member's ads ladder is at its last step (and has not
    # decayed or been pardoned).
    ads_last_step: bool = False
    # Capacity mode: while the group has more members than this (as the bot knows them), the
    # least active unprotected members go first, down to the cap. 0 = off.
    cap: int = Field(default=0, ge=0)
    # Members who joined within this many days are never selected.
    grace_days: int = Field(default=7, ge=0, le=365)
    # The warning names the selected members this many days before they are removed; a member
    # who speaks or checks in before then is spared. 0 = removed right after the confirmation.
    warn_days: int = Field(default=3, ge=0, le=30)
    # Warn each member privately where the platform lets the bot (one group message names the
    # others); off: one group message names them all.
    warn_privately: bool = True
    # At most this many members per run (the least active first; the rest wait for the next).
    max_per_run: int = Field(default=50, ge=1, le=500)
    # A preview can be confirmed for this many hours; after that, preview again.
    preview_hours: int = Field(default=24, ge=1, le=168)
    # /inactive undo works for this many days after a run.
    undo_days: int = Field(default=7, ge=1, le=30)
    # Members at this points level or above are never selected (only when the points plugin
    # is enabled); 0 = off.
    protect_level: int = Field(default=0, ge=0)
    # Never selected: members holding one of these Discord role ids, or a Telegram admin title
    # (custom title) in this list. Checked live where the platform can look members up.
    protected_roles: list[str] = Field(default_factory=list)
    protected_titles: list[str] = Field(default_factory=list)
    # Scheduled sweeps at `sweep_hour` local time: "off", "daily", or "weekly" (on Mondays).
    schedule: Literal["off", "daily", "weekly"] = "off"
    sweep_hour: int = Field(default=10, ge=0, le=23)
    # Auto mode: a scheduled sweep warns without an admin pressing Confirm (the warning period
    # and every protection still apply). Off: it posts a preview with a Confirm button.
    auto: bool = False
    # A weekly report on Mondays at `sweep_hour`: removed, warned, spared, members, and the
    # share who spoke in the last seven days. report_to "admins": privately to the admins who
    # previewed, confirmed, undid or protected here (their level checked first), in the group
    # when none can be reached; "group": posted in the group.
    weekly_report: bool = False
    report_to: Literal["admins", "group"] = "admins"


class InactiveConfig(PerGroupConfig, InactiveSettings):
    """The section; ``[plugins.<name>.groups."platform:group_id"]`` tables change a group's
    settings (``for_group``)."""
