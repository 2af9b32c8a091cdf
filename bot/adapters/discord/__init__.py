"""The Discord adapter (discord.py): convert, render, app-command sync, adapter."""
