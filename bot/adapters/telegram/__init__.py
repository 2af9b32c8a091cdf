"""Telegram adapter (python-telegram-bot): convert updates to events, render outgoing messages,
and the adapter that runs both on the core's event loop."""

from bot.adapters.telegram.adapter import TelegramAdapter, TokenRejected

__all__ = ["TelegramAdapter", "TokenRejected"]
