"""What a failed send means for a copy: try again, give up, or nobody knows.

The core raises :class:`PlatformError` after the adapter's own retries (Telegram's adapter
already waits out 429s and its flood windows; discord.py its rate-limit buckets). A refusal
(the bot was removed, lacks the right to post, the chat is gone) will not change by itself:
the copy fails with the reason. A timeout may have been sent: the copy is ``unknown`` and is
never sent again by itself. Everything else (a 429 that outlived the adapter's retries, a 5xx,
a broken connection) is retried with backoff. The core gives only the message text to tell
these apart; docs/broadcast.md says what the core should offer instead.
"""

from __future__ import annotations

from typing import Literal

from bot import CannotAct, NotSupported, PlatformError

__all__ = ["Outcome", "classify"]

Outcome = Literal["retry", "final", "unknown"]

_AMBIGUOUS = ("did not answer in time", "timed out", "timeout")
_FINAL = (
    "refused", "forbidden", "kicked", "not a member", "chat not found", "not in server",
    "not enough rights", "have no rights", "need administrator rights", "missing access",
    "missing permissions", "unknown channel", "unknown guild", " 403 ", " 404 ",
    "nothing to send",
)


def classify(error: BaseException) -> Outcome:
    if isinstance(error, CannotAct | NotSupported):
        return "final"
    if not isinstance(error, PlatformError):
        # Not the adapter's answer (a bug, a cancelled task mid-call): it may have gone out.
        return "unknown"
    text = f" {error} ".lower()
    if any(marker in text for marker in _AMBIGUOUS):
        return "unknown"
    if "flood" in text or "429" in text:
        return "retry"
    if any(marker in text for marker in _FINAL):
        return "final"
    return "retry"
