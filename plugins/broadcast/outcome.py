"""What a failed send means for a copy: try again, give up, or nobody knows.

The adapters flag their :class:`PlatformError` (after their own retries: Telegram's adapter
waits out 429s and its flood windows, discord.py its rate-limit buckets and 5xx answers):

- ``maybe_sent`` (no answer after the request left): the copy may be in the group. Sent again
  only where the platform honours the copy's idempotency key (Discord's nonce), and only while
  it still remembers it; elsewhere the copy is ``unknown``, reported, never resent by itself;
- ``retryable`` (a flood limit, a 5xx, a connection that failed before the request left):
  tried again with backoff;
- neither (the bot was removed, lacks the right to post, the chat is gone): ``final``, with
  the platform's reason.

Anything that is not the adapter's answer (a bug, a task cancelled mid-call) may have gone
out: ``unknown``.
"""

from __future__ import annotations

from typing import Literal

from bot import PlatformError

__all__ = ["Outcome", "classify"]

Outcome = Literal["retry", "final", "unknown"]


def classify(error: BaseException, *, idempotent: bool) -> Outcome:
    if not isinstance(error, PlatformError):
        return "unknown"
    if error.maybe_sent:
        return "retry" if idempotent else "unknown"
    return "retry" if error.retryable else "final"
