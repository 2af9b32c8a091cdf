"""The discord.py clients the adapter runs: paced re-identify, the intents it asks for."""

from __future__ import annotations

import asyncio

import discord

__all__ = ["Client", "ShardedClient", "intents_for"]


class _PacedIdentify:
    """discord.py waits 5 s before every IDENTIFY but the first (Discord's identify budget);
    the pause is configurable so tests of a reconnect stay short."""

    identify_delay: float = 5.0

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if not initial and self.identify_delay > 0:
            await asyncio.sleep(self.identify_delay)


class Client(_PacedIdentify, discord.Client):
    pass


class ShardedClient(_PacedIdentify, discord.AutoShardedClient):
    pass


def intents_for(members: bool, content: bool) -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True
    intents.messages = True  # guild and direct messages
    intents.members = members
    intents.message_content = content
    return intents
