"""Discord's HTTP errors → the core's :class:`PlatformError`."""

from __future__ import annotations

import discord

from bot.adapters.base import PlatformError

__all__ = ["platform_error"]

# Discord's error code for "Cannot send messages to this user" (DMs closed, no shared server).
_DM_CLOSED = 50007


def platform_error(exc: discord.HTTPException, action: str) -> PlatformError:
    if exc.code == _DM_CLOSED:
        return PlatformError(f"discord: cannot {action}: {exc.text}", "bot.error.dm_closed")
    return PlatformError(f"discord: cannot {action}: {exc.status} {exc.text}")
