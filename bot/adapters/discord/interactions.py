"""Answering interactions (slash commands, buttons, forms) within Discord's 3 s.

A timer defers any interaction the core has not answered after ``defer_after`` seconds
("thinking", ephemeral, for commands and forms; a silent deferred update for buttons), replies
then edit that placeholder or follow up, and an interaction nobody answered is acknowledged
silently when its handlers are done. Forms are modals. Mixed into
:class:`~bot.adapters.discord.adapter.DiscordAdapter`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.base import FormField, NotSupported, PlatformError, SentMessage
from bot.adapters.discord.errors import platform_error
from bot.adapters.discord.render import allowed_mentions_for, parts_for
from bot.message import Outgoing

__all__ = ["DEFER_AFTER", "Interactions"]

log = logging.getLogger(__name__)

# Discord drops an interaction not acknowledged within 3 s; defer well before that.
DEFER_AFTER = 2.0
MODAL_INPUTS = 5
MODAL_TITLE_LIMIT = 45
INPUT_LABEL_LIMIT = 45
INPUT_MAX_LENGTH = 4000


@dataclass(slots=True)
class _Pending:
    """An interaction being handled: who answered it and how."""

    interaction: discord.Interaction
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    thinking: bool = False  # we deferred with an ephemeral "thinking…" placeholder
    answered: bool = False  # a real answer (message, toast, form) was given
    deferring: asyncio.Task[None] | None = None


class Interactions:
    """Needs from the adapter: ``defer_after`` and ``send()`` (a public answer to a private
    placeholder goes to the channel)."""

    defer_after: float

    if TYPE_CHECKING:  # only declared: a real method here would shadow Messaging.send

        async def send(self, channel_id: str, message: Outgoing) -> SentMessage: ...

    def __init__(self) -> None:
        super().__init__()
        self._pending: dict[int, _Pending] = {}

    async def _handle_in_time(
        self, interaction: discord.Interaction, handling: Awaitable[None]
    ) -> None:
        """Await the interaction's handlers, deferring it if they are slow and acknowledging
        it if none of them answered."""
        pending = _Pending(interaction)
        self._pending[interaction.id] = pending
        timer = asyncio.get_running_loop().call_later(self.defer_after, self._start_defer, pending)
        try:
            await handling
        finally:
            timer.cancel()
            if pending.deferring is not None:
                await pending.deferring
            await self._settle(pending)
            self._pending.pop(interaction.id, None)

    def _start_defer(self, pending: _Pending) -> None:
        pending.deferring = asyncio.create_task(self._defer(pending))

    async def _defer(self, pending: _Pending) -> None:
        interaction = pending.interaction
        async with pending.lock:
            if interaction.response.is_done():
                return
            try:
                if _is_component(interaction):
                    await interaction.response.defer()
                else:
                    # Whether the answer will be private is not known yet: keep the
                    # placeholder private; a public answer is posted in the channel.
                    await interaction.response.defer(thinking=True, ephemeral=True)
                    pending.thinking = True
            except discord.HTTPException as exc:
                log.warning("discord: could not defer interaction %s: %s", interaction.id, exc)

    async def _settle(self, pending: _Pending) -> None:
        """Acknowledge an interaction nobody answered, and clear an unused placeholder."""
        interaction = pending.interaction
        async with pending.lock:
            try:
                if not interaction.response.is_done():
                    if _is_component(interaction):
                        await interaction.response.defer()
                        return
                    await interaction.response.defer(thinking=True, ephemeral=True)
                    await interaction.delete_original_response()
                elif pending.thinking and not pending.answered:
                    await interaction.delete_original_response()
            except discord.HTTPException as exc:
                log.warning("discord: could not settle interaction %s: %s", interaction.id, exc)

    async def reply_interaction(self, interaction: Any, message: Outgoing) -> SentMessage | None:
        pending = self._pending.get(interaction.id) or _Pending(interaction)
        async with pending.lock:
            try:
                sent = await self._answer(pending, message)
            except discord.HTTPException as exc:
                raise platform_error(exc, "answer the interaction") from exc
            # Only now: a failed answer leaves the placeholder for _settle to clear.
            pending.answered = True
            return sent

    async def _answer(self, pending: _Pending, message: Outgoing) -> SentMessage | None:
        interaction = pending.interaction
        parts = parts_for(message)
        if not parts:
            return None
        mentions = allowed_mentions_for(message)
        channel_id = str(interaction.channel_id)
        first_answer = not pending.answered
        if not interaction.response.is_done():
            callback = await interaction.response.send_message(
                **parts[0], ephemeral=message.ephemeral, allowed_mentions=mentions
            )
            last = str(callback.message_id) if callback.message_id else None
            for part in parts[1:]:
                last = await self._followup(interaction, part, message.ephemeral, mentions)
            return SentMessage(channel_id, last) if last else None
        if pending.thinking and first_answer:
            if not message.ephemeral:
                # The placeholder is private; a public answer goes to the channel.
                sent = await self.send(channel_id, message)
                await interaction.delete_original_response()
                return sent
            first = parts[0]
            edited = await interaction.edit_original_response(
                content=first.get("content", ""),
                attachments=first.get("files", []),
                view=first.get("view"),
                allowed_mentions=mentions,
            )
            last = str(edited.id)
            for part in parts[1:]:
                last = await self._followup(interaction, part, True, mentions)
            return SentMessage(channel_id, last)
        last = ""
        for part in parts:
            last = await self._followup(interaction, part, message.ephemeral, mentions)
        return SentMessage(channel_id, last)

    @staticmethod
    async def _followup(
        interaction: discord.Interaction,
        part: dict[str, Any],
        ephemeral: bool,
        mentions: discord.AllowedMentions,
    ) -> str:
        sent = await interaction.followup.send(
            **part, ephemeral=ephemeral, allowed_mentions=mentions, wait=True
        )
        return str(sent.id)

    async def answer_button(self, event: Any, text: str = "", alert: bool = False) -> None:
        interaction = getattr(event, "interaction", None)
        if interaction is None:
            return
        pending = self._pending.get(interaction.id) or _Pending(interaction)
        async with pending.lock:
            try:
                if not interaction.response.is_done():
                    if text:
                        await interaction.response.send_message(
                            text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
                        )
                    else:
                        await interaction.response.defer()
                elif text:
                    await interaction.followup.send(
                        text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
                    )
                pending.answered = True
            except discord.HTTPException as exc:
                raise platform_error(exc, "answer the button") from exc

    async def ask_form(
        self, event: Any, form_id: str, title: str, fields: Sequence[FormField]
    ) -> None:
        """A modal. Discord allows at most 5 inputs: longer forms are the plugin's to page."""
        if len(fields) > MODAL_INPUTS:
            raise ValueError(f"a Discord form holds at most {MODAL_INPUTS} inputs, got {len(fields)}")
        interaction = getattr(event, "interaction", None)
        if interaction is None:
            raise NotSupported("form outside a slash command or button")
        modal = discord.ui.Modal(title=title[:MODAL_TITLE_LIMIT], custom_id=form_id, timeout=None)
        for item in fields:
            modal.add_item(
                discord.ui.TextInput(
                    label=item.label[:INPUT_LABEL_LIMIT],
                    custom_id=item.key,
                    required=item.required,
                    max_length=min(item.max_length, INPUT_MAX_LENGTH),
                    style=discord.TextStyle.paragraph if item.long else discord.TextStyle.short,
                    default=item.default or None,
                )
            )
        # Submissions reach the adapter through on_interaction; discord.py must not keep the
        # modal in its view store.
        modal.stop()
        pending = self._pending.get(interaction.id) or _Pending(interaction)
        async with pending.lock:
            if interaction.response.is_done():
                raise PlatformError("discord: a form must be the first answer to an interaction")
            try:
                await interaction.response.send_modal(modal)
            except discord.HTTPException as exc:
                raise platform_error(exc, "open the form") from exc
            pending.answered = True


def _is_component(interaction: discord.Interaction) -> bool:
    """Button presses, and forms opened from a button (their message can be updated)."""
    return interaction.type is discord.InteractionType.component or (
        interaction.type is discord.InteractionType.modal_submit and interaction.message is not None
    )
