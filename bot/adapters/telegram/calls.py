"""Every outbound Bot API call of the Telegram adapter goes through :meth:`BotCalls._call`.

It waits for the flood limits (messages only), honours a 429 ``retry_after`` and sends again (a
429 means nothing was sent, so the message arrives exactly once), follows a group that became a
supergroup, and turns Telegram's errors into :class:`PlatformError` with a locale key. A timeout
is never retried: Telegram may have sent the message already.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.adapters.base import CannotAct, PlatformError
from bot.adapters.telegram.limits import OutboundLimiter, retry_seconds

__all__ = ["MAX_RETRIES", "BotCalls"]

log = logging.getLogger(__name__)
MAX_RETRIES = 3


class BotCalls:
    """Mixed into :class:`~bot.adapters.telegram.TelegramAdapter`, which sets ``limiter`` and
    provides ``_migrate`` (a chat that became a supergroup)."""

    limiter: OutboundLimiter
    _migrate: Callable[[str, str], Awaitable[None]]

    async def _call(
        self,
        chat_id: str | int,
        call: Callable[..., Awaitable[Any]],
        /,
        *,
        limited: bool = False,
        **kwargs: Any,
    ) -> Any:
        """One Bot API call for ``chat_id`` with flood limits, 429 retries, migration and
        Telegram's errors as PlatformError."""
        target = int(chat_id)
        for attempt in range(MAX_RETRIES + 1):
            if limited:
                await self.limiter.acquire(str(target))
            try:
                return await call(chat_id=target, **kwargs)
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                if attempt == MAX_RETRIES:
                    raise PlatformError(f"Telegram flood limit: retry after {wait:.0f}s") from None
                log.warning("telegram: 429 in chat %s, retrying in %.0fs", target, wait)
                await asyncio.sleep(wait)
            except ChatMigrated as exc:
                await self._migrate(str(target), str(exc.new_chat_id))
                target = exc.new_chat_id
            except Forbidden as exc:
                reason = "bot.error.dm_closed" if target > 0 else "bot.error.platform"
                raise PlatformError(f"Telegram refused: {exc.message}", reason) from None
            except TimedOut:
                raise PlatformError("Telegram did not answer in time") from None
            except BadRequest as exc:
                raise _bad_request(exc.message, target) from None
            except TelegramError as exc:
                raise PlatformError(f"Telegram error: {exc.message}") from None
        raise PlatformError("Telegram: chat migrated too often")


_CANNOT_ACT = (
    "administrator",
    "owner",
    "not enough rights",
    "can't restrict self",
    "can't remove chat owner",
    "user_admin_invalid",
    "chat_admin_required",
    "available only for supergroups",
)


def _bad_request(message: str, chat_id: int) -> PlatformError:
    lowered = message.lower()
    if any(marker in lowered for marker in _CANNOT_ACT):
        return CannotAct(f"Telegram refused in chat {chat_id}: {message}")
    if "chat not found" in lowered and chat_id > 0:
        return PlatformError(f"Telegram: {message}", "bot.error.dm_closed")
    if "hide_requester_missing" in lowered:
        return PlatformError("there is no pending join request from this user")
    return PlatformError(f"Telegram refused in chat {chat_id}: {message}")
