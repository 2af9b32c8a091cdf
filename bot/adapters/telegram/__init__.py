"""Telegram adapter (python-telegram-bot): convert updates to events, render outgoing messages."""
