"""The Discord adapter (discord.py): convert, render, app-command sync, adapter."""

from bot.adapters.discord.adapter import DiscordAdapter

__all__ = ["DiscordAdapter"]
