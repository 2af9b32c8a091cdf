"""The discord.py clients the adapter runs: paced re-identify, the intents it asks for, and
the endpoints they talk to."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import discord
import yarl

__all__ = ["Client", "ShardedClient", "endpoints", "intents_for"]

# The bot never joins a voice channel: discord.py's start-up warnings that voice libraries
# (PyNaCl, davey) are missing are noise in every operator's log.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


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


@contextlib.contextmanager
def endpoints(api_base: str = "", gateway_url: str = "") -> Iterator[None]:
    """Point discord.py at another REST base and gateway (a proxy for a large bot, a local
    fake in tests) while the block runs; Discord's own when both are empty. Both are class
    attributes of discord.py, read at each request and connection, so they hold for every
    client of the process."""
    if not (api_base or gateway_url):
        yield
        return
    saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    if api_base:
        discord.http.Route.BASE = api_base.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved
