"""Level rewards: Discord roles and Telegram custom titles, given after a level-up was committed.

A platform refusal (the role sits above the bot's, a missing right, a member who is not an
admin on Telegram) is logged and skips that one action only: the level is already stored, and
the other rewards of the same level-up are still attempted.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from bot import Adapter, Capability, PlatformError
from plugins.points.changes import LevelChange
from plugins.points.config import PointsConfig, Reward

__all__ = ["grant_rewards"]

log = logging.getLogger(__name__)


async def grant_rewards(
    adapter: Adapter, config: PointsConfig, guild_id: str, user_id: str, change: LevelChange
) -> None:
    """Give what levels ``change.old + 1 .. change.new`` earn on ``adapter``'s platform."""
    reached = sorted(
        (r for r in config.rewards if r.platform in ("", adapter.platform) and r.level <= change.new),
        key=lambda r: r.level,
    )
    new = [r for r in reached if r.level > change.old]
    if any(r.role for r in new) and adapter.supports(Capability.ROLE):
        await _roles(adapter, config, guild_id, user_id, [r for r in reached if r.role], new)
    titled = [r for r in new if r.title]
    if titled and adapter.supports(Capability.TITLE):
        # Only the highest new title: a jump of several levels shows where the member landed.
        await _attempt(adapter.set_title(guild_id, user_id, titled[-1].title), "title", titled[-1].title,
                       adapter.platform, guild_id, user_id)


async def _roles(
    adapter: Adapter, config: PointsConfig, guild_id: str, user_id: str, reached: list[Reward],
    new: list[Reward],
) -> None:
    platform = adapter.platform
    if config.role_mode == "stack":
        for reward in new:
            if reward.role:
                await _attempt(adapter.set_role(guild_id, user_id, reward.role, True), "role", reward.role,
                               platform, guild_id, user_id)
        return
    # Replace: the highest role the platform lets the bot give (a role above the bot's is
    # refused: fall back to the next one down), then the lower reward roles go. Nothing is
    # removed before a role was given, so a member is never left with none.
    roles = list(dict.fromkeys(r.role for r in reached))
    for index in range(len(roles) - 1, -1, -1):
        if await _attempt(adapter.set_role(guild_id, user_id, roles[index], True), "role", roles[index],
                          platform, guild_id, user_id):
            for lower in roles[:index]:
                await _attempt(adapter.set_role(guild_id, user_id, lower, False), "role removal", lower,
                               platform, guild_id, user_id)
            return


async def _attempt(
    action: Awaitable[None], what: str, value: str, platform: str, guild_id: str, user_id: str
) -> bool:
    try:
        await action
    except PlatformError as exc:
        log.warning("%s: level reward (%s %r) for %s in %s not given: %s", platform, what, value, user_id,
                    guild_id, exc)
        return False
    return True
