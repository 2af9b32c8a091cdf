"""Messages out of the Telegram adapter: send (text, photos, files, buttons), copy a message
(``copyMessage``: its media and formatting kept), edit, delete, pin, and the answers to button
presses (callback queries)."""

from __future__ import annotations

import html
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardMarkup, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.adapters.base import PlatformError, SentMessage
from bot.adapters.telegram.convert import STAND_IN_IDS
from bot.adapters.telegram.render import (
    MAX_CAPTION,
    inline_keyboard,
    render_html,
    split_html,
)
from bot.message import Button, CopyOf, File, Image, Outgoing

if TYPE_CHECKING:
    from telegram import Bot

__all__ = ["MAX_ALERT", "NO_TEXT", "MessageActions"]

log = logging.getLogger(__name__)
MAX_ALERT = 200
# Telegram's 400 for editMessageText on a photo or document (its caption is editable instead).
NO_TEXT = "there is no text in the message to edit"
# Telegram's 400s for a message that cannot be copied (gone, or a kind copyMessage refuses):
# its fallback is sent instead.
UNCOPIABLE = ("message to copy not found", "message can't be copied", "message_id_invalid")


class MessageActions:
    """Mixed into :class:`~bot.adapters.telegram.TelegramAdapter`, which provides ``bot`` and
    ``_call`` (:class:`~bot.adapters.telegram.calls.BotCalls`)."""

    bot: Bot
    platform: str
    _call: Callable[..., Awaitable[Any]]

    def __init__(self) -> None:
        super().__init__()
        # Callback query id -> (chat id, presser id): where an answer to the press goes.
        self._queries: OrderedDict[str, tuple[str, str]] = OrderedDict()

    def _remember_query(self, query_id: str, chat_id: str, user_id: str) -> None:
        self._queries[query_id] = (chat_id, user_id)
        while len(self._queries) > 1000:
            self._queries.popitem(last=False)

    async def send(self, channel_id: str, message: Outgoing) -> SentMessage:
        copy = message.copy_of
        if copy is not None:
            return await self._send_copy(channel_id, copy, message)
        text = render_html(message)
        markup = _markup(message.buttons)
        files = message.attachments
        reply = _reply(message.reply_to)
        single_image = len(files) == 1 and isinstance(files[0], Image)
        if single_image and text.strip() and len(split_html(text, MAX_CAPTION)) == 1:
            sent = await self._send_file(channel_id, files[0], text, reply, markup)
            return SentMessage(channel_id, str(sent.message_id))
        chunks = split_html(text) if text.strip() else []
        if not chunks and not files:
            raise PlatformError("nothing to send: the message is empty")
        ids: list[int] = []
        try:
            return await self._send_pieces(channel_id, chunks, files, reply, markup, ids)
        except PlatformError as exc:
            exc.maybe_sent = exc.maybe_sent or bool(ids)  # a part is there already
            raise

    async def _send_pieces(
        self,
        channel_id: str,
        chunks: list[str],
        files: tuple[Image | File, ...],
        reply: ReplyParameters | None,
        markup: InlineKeyboardMarkup | None,
        ids: list[int],
    ) -> SentMessage:
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            sent = await self._call(
                channel_id,
                self.bot.send_message,
                limited=True,
                text=chunk,
                parse_mode=ParseMode.HTML,
                reply_parameters=reply if not ids else None,
                reply_markup=markup if last and not files else None,
            )
            ids.append(sent.message_id)
        for index, item in enumerate(files):
            last = index == len(files) - 1
            caption = html.escape(item.caption, quote=False) if isinstance(item, Image) else ""
            sent = await self._send_file(
                channel_id, item, caption, reply if not ids else None, markup if last else None
            )
            ids.append(sent.message_id)
        keyed = ids[-1] if markup else ids[0]
        return SentMessage(channel_id, str(keyed))

    async def _send_copy(self, channel_id: str, copy: CopyOf, message: Outgoing) -> SentMessage:
        """The message's other elements first, then the copy with the message's buttons."""
        others = tuple(e for e in message.elements if e is not copy)
        if others:
            await self.send(channel_id, message.replace(elements=others, buttons=()))
            message = message.replace(reply_to=None)
        try:
            return await self._copy(channel_id, copy, message)
        except PlatformError as exc:
            exc.maybe_sent = exc.maybe_sent or bool(others)  # the first part is there
            raise

    async def _copy(self, channel_id: str, copy: CopyOf, message: Outgoing) -> SentMessage:
        """``copyMessage``; the fallback when the original is on another platform, gone, or
        of a kind Telegram cannot copy."""
        fallback = message.replace(elements=copy.fallback)
        if copy.platform != self.platform:
            return await self.send(channel_id, fallback)
        try:
            sent = await self._call(
                channel_id,
                self.bot.copy_message,
                limited=True,
                from_chat_id=int(copy.channel_id),
                message_id=int(copy.message_id),
                reply_parameters=_reply(message.reply_to),
                reply_markup=_markup(message.buttons),
            )
        except PlatformError as exc:
            if not any(marker in str(exc).lower() for marker in UNCOPIABLE):
                raise
            log.info("telegram: %s not copied (%s): its text is sent", copy.message_id, exc)
            return await self.send(channel_id, fallback)
        return SentMessage(channel_id, str(sent.message_id))

    async def _send_file(
        self,
        channel_id: str,
        item: Image | File,
        caption: str,
        reply: ReplyParameters | None,
        markup: InlineKeyboardMarkup | None,
    ) -> Any:
        common = {
            "caption": split_html(caption, MAX_CAPTION)[0] if caption.strip() else None,
            "parse_mode": ParseMode.HTML,
            "reply_parameters": reply,
            "reply_markup": markup,
            "filename": item.filename,
        }
        if isinstance(item, Image):
            return await self._call(
                channel_id, self.bot.send_photo, limited=True, photo=item.data, **common
            )
        return await self._call(
            channel_id, self.bot.send_document, limited=True, document=item.data, **common
        )

    async def send_private(self, user_id: str, message: Outgoing) -> SentMessage:
        if int(user_id) < 0 or int(user_id) in STAND_IN_IDS:
            raise PlatformError(f"{user_id} is no person", "bot.error.dm_closed")
        try:
            return await self.send(user_id, message.replace(reply_to=None))
        except PlatformError as exc:
            if "chat not found" in str(exc):
                raise PlatformError(str(exc), "bot.error.dm_closed") from None
            raise

    async def reply_interaction(self, interaction: Any, message: Outgoing) -> SentMessage | None:
        """Answer a button press: the callback query is always acknowledged; an ephemeral
        answer is an alert only the presser sees (or a private message when long)."""
        query_id = str(interaction)
        chat_id, user_id = self._queries.get(query_id, ("", ""))
        if message.ephemeral:
            text = message.plain()
            if not message.buttons and not message.attachments and len(text) <= MAX_ALERT:
                await self._answer_query(query_id, text, True)
                return None
            try:
                sent = await self.send_private(user_id, message.replace(ephemeral=False))
            except PlatformError as exc:
                if exc.reason != "bot.error.dm_closed":
                    raise
                await self._answer_query(query_id, text[: MAX_ALERT - 1] + "…", True)
                return None
            await self._answer_query(query_id, "", False)
            return sent
        await self._answer_query(query_id, "", False)
        if not chat_id:
            raise PlatformError("unknown callback query: nowhere to answer")
        return await self.send(chat_id, message)

    async def edit(self, channel_id: str, message_id: str, message: Outgoing) -> None:
        text = render_html(message)
        markup = _markup(message.buttons)
        try:
            if text.strip():
                await self._edit_text(channel_id, message_id, text, markup)
            else:
                await self._call(
                    channel_id,
                    self.bot.edit_message_reply_markup,
                    message_id=int(message_id),
                    reply_markup=markup,
                )
        except PlatformError as exc:
            if "not modified" not in str(exc):
                raise

    async def _edit_text(
        self, channel_id: str, message_id: str, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        """The text of a text message, or the caption of a photo or file (which Telegram
        refuses to edit as text: asking costs one call, and holds across restarts)."""
        chunks = split_html(text)
        if len(chunks) > 1:
            log.warning("telegram: edit of %s cut to one message", message_id)
        try:
            await self._call(
                channel_id,
                self.bot.edit_message_text,
                message_id=int(message_id),
                text=chunks[0],
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
            return
        except PlatformError as exc:
            if NO_TEXT not in str(exc).lower():
                raise
        captions = split_html(text, MAX_CAPTION)
        if len(captions) > 1:
            log.warning(
                "telegram: caption edit of %s cut to %d characters", message_id, MAX_CAPTION
            )
        await self._call(
            channel_id,
            self.bot.edit_message_caption,
            message_id=int(message_id),
            caption=captions[0],
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )

    async def pin(self, channel_id: str, message_id: str) -> None:
        await self._call(
            channel_id,
            self.bot.pin_chat_message,
            message_id=int(message_id),
            disable_notification=True,
        )

    async def delete(self, channel_id: str, message_id: str) -> None:
        try:
            await self._call(channel_id, self.bot.delete_message, message_id=int(message_id))
        except PlatformError as exc:
            if "not found" not in str(exc):  # already gone: the wanted state
                raise

    async def answer_button(self, event: Any, text: str = "", alert: bool = False) -> None:
        await self._answer_query(str(event.interaction), text, alert)

    async def _answer_query(self, query_id: str, text: str, alert: bool) -> None:
        try:
            await self.bot.answer_callback_query(
                query_id, text=text[:MAX_ALERT] or None, show_alert=alert
            )
        except TelegramError as exc:
            # Answered already or too old (a redelivered press): nothing left to acknowledge.
            log.debug("telegram: callback query %s not answered: %s", query_id, exc)


def _markup(buttons: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    data = inline_keyboard(buttons)
    return InlineKeyboardMarkup.de_json(data, None) if data else None


def _reply(message_id: str | None) -> ReplyParameters | None:
    if message_id is None:
        return None
    # A reply to a message deleted meanwhile still goes out, without the quote.
    return ReplyParameters(int(message_id), allow_sending_without_reply=True)
