"""Outgoing messages: send (in ≤ 2000-character parts), send privately, edit, delete, and where
scheduled posts go. Mixed into :class:`~bot.adapters.discord.adapter.DiscordAdapter`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.base import SentMessage
from bot.adapters.discord.errors import platform_error
from bot.adapters.discord.render import (
    MESSAGE_LIMIT,
    allowed_mentions_for,
    components_for,
    files_for,
    parts_for,
    render_text,
    split_text,
)
from bot.message import Outgoing

__all__ = ["Messaging"]


class Messaging:
    """Needs from the adapter: ``_require_client()``."""

    if TYPE_CHECKING:

        def _require_client(self) -> discord.Client: ...

    def _messageable(self, channel_id: str) -> Any:
        client = self._require_client()
        cid = int(channel_id)
        return client.get_channel(cid) or client.get_partial_messageable(cid)

    async def send(self, channel_id: str, message: Outgoing) -> SentMessage:
        channel = self._messageable(channel_id)
        return await self._send_parts(channel, message)

    async def _send_parts(self, channel: Any, message: Outgoing) -> SentMessage:
        parts = parts_for(message)
        if not parts:
            raise ValueError("cannot send an empty message")
        mentions = allowed_mentions_for(message)
        reference = None
        if message.reply_to:
            reference = discord.MessageReference(
                message_id=int(message.reply_to), channel_id=channel.id, fail_if_not_exists=False
            )
        last = None
        try:
            for index, part in enumerate(parts):
                extra = {"reference": reference} if reference is not None and index == 0 else {}
                last = await channel.send(**part, allowed_mentions=mentions, **extra)
        except discord.HTTPException as exc:
            raise platform_error(exc, "send a message") from exc
        assert last is not None
        return SentMessage(str(channel.id), str(last.id))

    async def send_private(self, user_id: str, message: Outgoing) -> SentMessage:
        client = self._require_client()
        try:
            channel = await client.create_dm(discord.Object(int(user_id)))
        except discord.HTTPException as exc:
            raise platform_error(exc, "open a private chat") from exc
        return await self._send_parts(channel, message)

    async def edit(self, channel_id: str, message_id: str, message: Outgoing) -> None:
        partial = self._messageable(channel_id).get_partial_message(int(message_id))
        text = render_text(message)
        if len(text) > MESSAGE_LIMIT:
            text = split_text(text)[0]
        files = files_for(message)
        extra: dict[str, Any] = {"attachments": files} if files else {}
        try:
            await partial.edit(
                content=text,
                view=components_for(message),
                allowed_mentions=allowed_mentions_for(message),
                **extra,
            )
        except discord.HTTPException as exc:
            raise platform_error(exc, "edit a message") from exc

    async def delete(self, channel_id: str, message_id: str) -> None:
        partial = self._messageable(channel_id).get_partial_message(int(message_id))
        try:
            await partial.delete()
        except discord.NotFound:
            pass  # already gone: what the caller wanted
        except discord.HTTPException as exc:
            raise platform_error(exc, "delete a message") from exc

    async def main_channel(self, guild_id: str) -> str | None:
        """Where scheduled posts go: the server's system channel, else the first text channel
        the bot may write in."""
        guild = self._require_client().get_guild(int(guild_id))
        if guild is None:
            return None
        me = guild.me
        channels = [guild.system_channel, *sorted(guild.text_channels, key=lambda c: c.position)]
        for channel in channels:
            if channel is not None and channel.permissions_for(me).send_messages:
                return str(channel.id)
        return None
