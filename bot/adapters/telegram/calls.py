"""Every outbound Bot API call of the Telegram adapter goes through :meth:`BotCalls._call`.

It waits for the flood limits (messages only), honours a 429 ``retry_after`` and sends again (a
429 means nothing was sent, so the message arrives exactly once), follows a group that became a
supergroup, and turns Telegram's errors into :class:`PlatformError` with a locale key.

Passing failures are retried with a growing pause (:data:`NETWORK_DELAYS`), never so that a
message could arrive twice:

- an answer with a 5xx status (500, 502 Bad Gateway, 503, 504): Telegram answered that the call
  failed, so it is made again, sends included;
- a failure before the request left (connection refused, no free connection, connect timeout):
  nothing reached Telegram, so it is made again, sends included;
- no answer after the request left (read or write timeout, connection dropped mid-request):
  Telegram may have done it. A call that does the same thing twice harmlessly (reading, editing,
  deleting, kicking, answering a button) is made again; a call that *sends* a new message
  (``send_*``, ``copy_message``, ``forward_message``) is not, and fails with PlatformError, so a
  member may miss a message but never reads one twice.

The PlatformError says which it was: ``retryable`` for a 429 or a passing failure that outlived
the retries, ``maybe_sent`` for a send that got no answer; a refusal (403, 400) is neither.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.adapters.base import CannotAct, PlatformError
from bot.adapters.telegram.limits import OutboundLimiter, retry_seconds

__all__ = ["MAX_RETRIES", "NETWORK_DELAYS", "BotCalls"]

log = logging.getLogger(__name__)
MAX_RETRIES = 3
# Pauses before each new attempt after a 5xx or a network failure (with up to 25% jitter).
NETWORK_DELAYS = (1.0, 2.0, 4.0)
# Bot API calls that post a new message: made again only when Telegram surely did not do it.
_SENDS = ("send_", "copy_message", "copy_messages", "forward_message", "forward_messages")
# httpx failures that happen before the request is sent.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


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
        sends = getattr(call, "__name__", "").startswith(_SENDS)
        for attempt in range(MAX_RETRIES + 1):
            if limited:
                await self.limiter.acquire(str(target))
            try:
                return await call(chat_id=target, **kwargs)
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                if attempt == MAX_RETRIES:
                    raise PlatformError(
                        f"Telegram flood limit: retry after {wait:.0f}s", retryable=True
                    ) from None
                log.warning("telegram: 429 in chat %s, retrying in %.0fs", target, wait)
                await asyncio.sleep(wait)
            except ChatMigrated as exc:
                await self._migrate(str(target), str(exc.new_chat_id))
                target = exc.new_chat_id
            except Forbidden as exc:
                reason = "bot.error.dm_closed" if target > 0 else "bot.error.platform"
                raise PlatformError(f"Telegram refused: {exc.message}", reason) from None
            except BadRequest as exc:
                raise _bad_request(exc.message, target) from None
            except NetworkError as exc:  # TimedOut included
                why = _passing(exc, sends)
                if why is None:
                    raise PlatformError(
                        "Telegram did not answer in time" if isinstance(exc, TimedOut)
                        else f"Telegram error: {exc.message}",
                        retryable=True, maybe_sent=True,
                    ) from None
                if attempt == MAX_RETRIES:
                    raise PlatformError(
                        f"Telegram: {why}, {attempt + 1} attempts", retryable=True
                    ) from None
                wait = NETWORK_DELAYS[min(attempt, len(NETWORK_DELAYS) - 1)] * (1 + random.random() / 4)
                log.warning("telegram: %s in chat %s, retrying in %.1fs", why, target, wait)
                await asyncio.sleep(wait)
            except TelegramError as exc:
                raise PlatformError(f"Telegram error: {exc.message}") from None
        raise PlatformError("Telegram: chat migrated too often")


def _passing(exc: NetworkError, sends: bool) -> str | None:
    """Why the call may be made again, or None when it must not be (see the module doc)."""
    cause = exc.__cause__
    if isinstance(cause, _NOT_SENT):
        return f"not sent ({type(cause).__name__})"
    if (cause is None or isinstance(cause, TelegramError)) and not isinstance(exc, TimedOut):
        # No transport error: Telegram answered with a status PTB has no class for (5xx).
        return f"server error ({exc.message})"
    # The request may have reached Telegram: only a call that is harmless twice goes again.
    return None if sends else f"no answer ({type(cause).__name__ if cause else 'timeout'})"


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
