"""Outgoing messages: send (in ≤ 2000-character parts), copy a message, send privately, edit,
delete, pin, and where scheduled posts go. Mixed into
:class:`~bot.adapters.discord.adapter.DiscordAdapter`.

A message with a key (``Outgoing.key``) is sent with a nonce per part and ``enforce_nonce``:
Discord answers a repeat within minutes with the message it already created, so a send that got
no answer may be made again without doubling it.
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.base import PlatformError, SentMessage
from bot.adapters.discord.errors import TRANSPORT_ERRORS, platform_error, transport_error
from bot.adapters.discord.render import (
    MESSAGE_LIMIT,
    allowed_mentions_for,
    components_for,
    copy_parts,
    files_for,
    parts_for,
    render_text,
    split_text,
)
from bot.message import CopyOf, Outgoing

log = logging.getLogger(__name__)
# Discord's longest nonce.
NONCE_LIMIT = 25
# Discord's "Request entity too large": an attachment over the upload limit.
_TOO_LARGE = 40005

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
        copy = message.copy_of
        if copy is None:
            return await self._send_parts(channel, message, parts_for(message))
        others = tuple(e for e in message.elements if e is not copy)
        sent = None
        if others:
            before = message.replace(elements=others, buttons=())
            sent = await self._send_parts(channel, before, parts_for(before), tag="a")
        if sent is not None:
            message = message.replace(reply_to=None)
        if copy.platform != "discord":
            fallback = message.replace(elements=copy.fallback)
            return await self._send_parts(channel, fallback, parts_for(fallback), tag="c")
        return await self._send_copy(channel, copy, message)

    async def _send_copy(self, channel: Any, copy: CopyOf, message: Outgoing) -> SentMessage:
        """Re-send the original's text, rich embeds and attachments (uploaded again, or linked
        by URL when they cannot be read or are too large); the fallback when it is gone."""
        try:
            original = await self._messageable(copy.channel_id).fetch_message(int(copy.message_id))
        except (discord.NotFound, discord.Forbidden):
            fallback = message.replace(elements=copy.fallback)
            return await self._send_parts(channel, fallback, parts_for(fallback), tag="c")
        except discord.HTTPException as exc:
            raise platform_error(exc, "read the message to copy") from exc
        except TRANSPORT_ERRORS as exc:
            raise transport_error(exc, "read the message to copy") from exc
        files, links = [], []
        for attachment in original.attachments:
            try:
                files.append(await attachment.to_file())
            except (discord.HTTPException, *TRANSPORT_ERRORS) as exc:
                log.info("discord: attachment %s linked, not copied: %s", attachment.id, exc)
                links.append(attachment.url)
        embeds = [embed for embed in original.embeds if embed.type == "rich"]
        try:
            return await self._send_parts(
                channel, message, copy_parts(message, original.content, embeds, files, links),
                tag="c",
            )
        except PlatformError as exc:
            if not files or getattr(exc.__cause__, "code", None) != _TOO_LARGE:
                raise
        urls = links + [a.url for a in original.attachments if a.url not in links]
        return await self._send_parts(
            channel, message, copy_parts(message, original.content, embeds, [], urls), tag="d"
        )

    async def _send_parts(
        self, channel: Any, message: Outgoing, parts: list[dict[str, Any]], tag: str = ""
    ) -> SentMessage:
        if not parts:
            raise PlatformError("nothing to send: the message is empty")
        mentions = allowed_mentions_for(message)
        reference = None
        if message.reply_to:
            reference = discord.MessageReference(
                message_id=int(message.reply_to), channel_id=channel.id, fail_if_not_exists=False
            )
        last = None
        try:
            for index, part in enumerate(parts):
                extra: dict[str, Any] = {}
                if reference is not None and index == 0:
                    extra["reference"] = reference
                if message.key:
                    extra["nonce"] = _nonce(f"{message.key}.{tag}{index}")
                last = await channel.send(**part, allowed_mentions=mentions, **extra)
        except discord.HTTPException as exc:
            error = platform_error(exc, "send a message", sends=True)
            error.maybe_sent = error.maybe_sent or last is not None
            raise error from exc
        except TRANSPORT_ERRORS as exc:
            raise transport_error(exc, "send a message", sends=True) from exc
        assert last is not None
        return SentMessage(str(channel.id), str(last.id))

    async def send_private(self, user_id: str, message: Outgoing) -> SentMessage:
        client = self._require_client()
        try:
            channel = await client.create_dm(discord.Object(int(user_id)))
        except discord.HTTPException as exc:
            raise platform_error(exc, "open a private chat") from exc
        return await self._send_parts(channel, message, parts_for(message))

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

    async def pin(self, channel_id: str, message_id: str) -> None:
        partial = self._messageable(channel_id).get_partial_message(int(message_id))
        try:
            await partial.pin()
        except discord.HTTPException as exc:
            raise platform_error(exc, "pin a message") from exc
        except TRANSPORT_ERRORS as exc:
            raise transport_error(exc, "pin a message") from exc

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


def _nonce(raw: str) -> str:
    """A nonce Discord accepts (at most 25 characters), the same for the same key and part."""
    if len(raw) <= NONCE_LIMIT:
        return raw
    return hashlib.sha256(raw.encode()).hexdigest()[:NONCE_LIMIT]
