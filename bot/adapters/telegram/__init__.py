"""Telegram adapter (python-telegram-bot): convert updates to events, render outgoing messages,
and the adapter that runs both on the core's event loop."""

import os

# PTB 22 warns on every 429 that RetryAfter.retry_after becomes a timedelta in PTB 23: opt in
# now (limits.retry_seconds reads both). An operator's own PTB_TIMEDELTA is kept.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.adapters.telegram.adapter import TelegramAdapter, TokenRejected

__all__ = ["TelegramAdapter", "TokenRejected"]
