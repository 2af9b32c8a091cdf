"""Discord's HTTP errors → the core's :class:`PlatformError`, flagged for the caller.

discord.py has already waited out 429s (its buckets) and retried 5xx answers when one reaches
here. ``retryable``: a 429 or a 5xx (Discord failed; later may work). ``maybe_sent``: a 5xx or
a broken connection on a call that creates a message (Discord may have created it before it
failed; a send with a nonce is safe to repeat). A 4xx refusal (no access, no permission,
unknown channel) is neither: it stays until someone changes something.
"""

from __future__ import annotations

import asyncio

import aiohttp
import discord

from bot.adapters.base import PlatformError

__all__ = ["TRANSPORT_ERRORS", "platform_error", "transport_error"]

# Discord's error code for "Cannot send messages to this user" (DMs closed, no shared server).
_DM_CLOSED = 50007
# Failures of the connection itself, after discord.py's own retries.
TRANSPORT_ERRORS = (aiohttp.ClientError, OSError, asyncio.TimeoutError)


def platform_error(exc: discord.HTTPException, action: str, *, sends: bool = False) -> PlatformError:
    if exc.code == _DM_CLOSED:
        return PlatformError(f"discord: cannot {action}: {exc.text}", "bot.error.dm_closed")
    passing = exc.status == 429 or exc.status >= 500
    return PlatformError(
        f"discord: cannot {action}: {exc.status} {exc.text}",
        retryable=passing, maybe_sent=sends and exc.status >= 500,
    )


def transport_error(exc: BaseException, action: str, *, sends: bool = False) -> PlatformError:
    """No answer from Discord: the connection failed or timed out."""
    return PlatformError(
        f"discord: cannot {action}: no answer ({type(exc).__name__})", retryable=True,
        maybe_sent=sends,
    )
