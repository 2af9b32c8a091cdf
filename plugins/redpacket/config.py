"""The ``[plugins.redpacket]`` section, with per-group overrides.

Every setting may be overridden for one group in ``[plugins.redpacket.groups."<platform>:<id>"]``
(``"telegram:-1001234567890"``, ``"console:lobby"``: the id ``/id`` shows, or the id the group
had when the bot first saw it); an override is validated with the defaults at start-up.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from bot import PerGroupConfig, StrictModel

__all__ = ["RedPacketConfig", "RedPacketSettings"]


class RedPacketSettings(StrictModel):
    # Red packets may be sent in this group.
    enabled: bool = True
    # Limits of one packet: the total (points) and the number of shares. A share is never
    # below 1 point, so a total below the count is refused too.
    min_total: int = Field(default=1, ge=1)
    max_total: int = Field(default=1_000_000, ge=1)
    min_count: int = Field(default=1, ge=1)
    max_count: int = Field(default=100, ge=1, le=1000)
    # How long a packet stays open; what is left then goes back to the sender.
    expire_hours: float = Field(default=24, gt=0, le=24 * 30)
    # Who may grab, checked at each grab: a current member of the group (as the bot knows its
    # roster); one who joined before the packet was sent; one who completed the group's
    # onboarding form (only when the onboarding plugin is enabled); the sender too (WeChat
    # lets the sender of a group packet grab a share).
    members_only: bool = True
    joined_before: bool = False
    onboarded_only: bool = False
    sender_may_grab: bool = True
    # Shortest time between two edits of a packet's message while it is being grabbed: a burst
    # of grabs makes one edit per interval, within the platforms' flood limits.
    edit_interval_seconds: float = Field(default=3.0, ge=0, le=60)
    # Rows of /redpacket history and /redpacket stats.
    list_size: int = Field(default=10, ge=1, le=50)
    # Longest greeting on a packet (characters).
    max_message: int = Field(default=60, ge=0, le=200)

    @model_validator(mode="after")
    def _limits(self) -> RedPacketSettings:
        if self.min_total > self.max_total:
            raise ValueError("min_total is above max_total")
        if self.min_count > self.max_count:
            raise ValueError("min_count is above max_count")
        return self


class RedPacketConfig(PerGroupConfig, RedPacketSettings):
    """The section; ``[plugins.<name>.groups."platform:group_id"]`` tables change a group's
    settings (``for_group``)."""
