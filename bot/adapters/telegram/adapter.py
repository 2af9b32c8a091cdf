"""The Telegram adapter: python-telegram-bot driven from the core's event loop.

Inbound: PTB's updater (long polling or webhook) hands every update to one handler that puts it
in a per-chat lane; each lane converts and dispatches its updates in order, and lanes run side
by side, so a group whose replies wait on its flood limit never delays another group.

Outbound: every call goes through :meth:`TelegramAdapter._call`, which waits for the flood
limits (messages only), honours a 429 ``retry_after`` and sends again (a 429 means nothing was
sent, so the message arrives exactly once), follows a group that became a supergroup, and turns
Telegram's errors into :class:`PlatformError` with a locale key. A timeout is never retried:
Telegram may have sent the message already.
"""

from __future__ import annotations

import asyncio
import html
import logging
import secrets
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeDefault,
    ChatMember,
    ChatPermissions,
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.adapters.base import (
    Adapter,
    CannotAct,
    Capability,
    PlatformError,
    SentMessage,
)
from bot.adapters.telegram.anonymous import CALLBACK_PREFIX, AnonymousConfirmations
from bot.adapters.telegram.convert import (
    ALLOWED_UPDATES,
    PLATFORM,
    STAND_IN_IDS,
    GroupMigrated,
    JoinDeduplicator,
    convert_update,
    is_anonymous_admin,
    to_user,
)
from bot.adapters.telegram.limits import OutboundLimiter, retry_seconds
from bot.adapters.telegram.menu import build_menus
from bot.adapters.telegram.render import (
    MAX_CAPTION,
    inline_keyboard,
    render_html,
    split_html,
)
from bot.config import ConfigError, TelegramSection
from bot.events import (
    AdapterOnline,
    BotJoinedGuild,
    ButtonClicked,
    CommandInvoked,
    Event,
    Member,
)
from bot.message import Button, File, Image, Outgoing, Text
from bot.permissions import PermissionLevel
from bot.storage.models import GuildSettings

if TYPE_CHECKING:
    from bot.app import App
    from bot.commands import CommandSpec

__all__ = ["RIGHTS", "TelegramAdapter", "TokenRejected"]

log = logging.getLogger(__name__)
LOCALES = Path(__file__).parent / "locales"

# Command rights (CommandSpec.right) -> the Telegram admin right that grants them.
RIGHTS = {
    "restrict": "can_restrict_members",
    "kick": "can_restrict_members",
    "ban": "can_restrict_members",
    "mute": "can_restrict_members",
    "delete": "can_delete_messages",
    "invite": "can_invite_users",
    "promote": "can_promote_members",
    "pin": "can_pin_messages",
    "info": "can_change_info",
    "manage": "can_manage_chat",
}
KICK_BAN = timedelta(seconds=60)
# Telegram reads an until_date under 30 s or over 366 days away as "forever"; stay well inside
# so that host/Telegram clock skew can never turn a short restriction into a permanent one.
MIN_UNTIL = timedelta(seconds=40)
MAX_UNTIL = timedelta(days=365)
LEVEL_TTL = 60.0
# Past this many cached levels, expired ones are dropped (one entry per member who ever asked).
LEVELS_KEPT = 4096
# A group's default member permissions (what an unmute restores) are read again after this.
PERMISSIONS_TTL = 60.0
MAX_RETRIES = 3
MAX_ALERT = 200
# Telegram's 400 for editMessageText on a photo or document (its caption is editable instead).
NO_TEXT = "there is no text in the message to edit"
_PRESENT = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER})
_ADMINS = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR})


class TokenRejected(PlatformError, ConfigError):
    """Telegram answered 401: the token is wrong or was revoked. A config problem, so
    ``qunbot run`` prints this one line and stops."""


class TelegramAdapter(Adapter):
    platform = PLATFORM
    capabilities = frozenset(
        {
            Capability.KICK,
            Capability.MUTE,
            Capability.UNBAN,
            Capability.TITLE,
            Capability.JOIN_REQUEST,
            Capability.PRIVATE,
            Capability.EDIT,
            Capability.DELETE,
            Capability.IMAGE,
            Capability.BUTTONS,
            Capability.MESSAGE_CONTENT,
        }
    )

    def __init__(self, config: TelegramSection, *, limiter: OutboundLimiter | None = None) -> None:
        super().__init__()
        self.config = config
        self.limiter = limiter or OutboundLimiter()
        self.username = ""
        self.reads_all_messages = False
        self.application: Application | None = None
        # Updates received from PTB (redeliveries included): the test kit waits on it.
        self.received = 0
        self._dedup = JoinDeduplicator()
        self._anonymous = AnonymousConfirmations()
        self._lanes: dict[str, deque[Update]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._levels: dict[tuple[str, str, str | None], tuple[PermissionLevel, float]] = {}
        self._defaults: dict[str, tuple[ChatPermissions, float]] = {}
        self._queries: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self._migration_lock = asyncio.Lock()

    def __repr__(self) -> str:  # never the token (PTB's Bot repr contains it)
        return f"TelegramAdapter(@{self.username or '?'}, mode={self.config.mode})"

    @property
    def bot(self) -> Bot:
        if self.application is None:
            raise PlatformError("the Telegram adapter is not started")
        return self.application.bot

    @property
    def busy(self) -> bool:
        """Updates are waiting or being handled (PTB's queue or a lane)."""
        queue = self.application.update_queue if self.application else None
        return bool(self._lanes) or bool(queue and queue.qsize())

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self, app: App) -> None:
        await super().start(app)
        if not self.config.token:
            raise ConfigError("[telegram] token is empty (set it or QUNBOT_TELEGRAM_TOKEN)")
        if self.config.mode == "webhook" and not self.config.webhook_url:
            raise ConfigError(
                '[telegram] mode = "webhook" needs webhook_url: the public https URL that '
                "Telegram posts updates to"
            )
        # httpx logs request URLs at INFO, and a Telegram URL contains the token.
        httpx_log = logging.getLogger("httpx")
        httpx_log.setLevel(max(httpx_log.getEffectiveLevel(), logging.WARNING))
        app.catalog.load_dir("telegram", LOCALES)
        application = (
            ApplicationBuilder()
            .token(self.config.token)
            .base_url(self.config.base_url)
            .job_queue(None)
            .build()
        )
        try:
            await application.initialize()
        except InvalidToken:
            await application.bot.shutdown()  # close its HTTP clients; nothing else started
            raise TokenRejected(
                "Telegram rejected the bot token (401 Unauthorized): it is wrong or was revoked. "
                "Get the current one from @BotFather and set [telegram] token or "
                "QUNBOT_TELEGRAM_TOKEN."
            ) from None
        except TelegramError as exc:
            await application.bot.shutdown()
            raise PlatformError(f"cannot reach the Telegram Bot API: {exc}") from None
        self.application = application
        me = application.bot.bot
        self.self_id, self.username = str(me.id), me.username or ""
        self.reads_all_messages = bool(me.can_read_all_group_messages)
        application.add_handler(TypeHandler(Update, self._receive))
        try:
            await application.start()
            await self._start_updates(application)
        except BaseException:
            await self.stop()
            raise
        log.info("telegram: online as @%s (%s)", self.username, self.config.mode)
        await self.check_groups()
        await app.dispatch(
            AdapterOnline(platform=PLATFORM, self_id=self.self_id, timestamp=app.clock.now())
        )

    async def _start_updates(self, application: Application) -> None:
        updater = application.updater
        assert updater is not None
        allowed = list(ALLOWED_UPDATES)
        if self.config.mode == "polling":
            await updater.start_polling(
                allowed_updates=allowed,
                timeout=self.config.poll_timeout,
                error_callback=self._polling_error,
            )
            return
        await updater.start_webhook(
            listen=self.config.webhook_listen,
            port=self.config.webhook_port,
            url_path=self.config.webhook_path.strip("/"),
            webhook_url=self.config.webhook_url,
            # Telegram repeats it on every request; PTB refuses requests without it (403).
            secret_token=self.config.webhook_secret or secrets.token_urlsafe(32),
            allowed_updates=allowed,
        )

    def _polling_error(self, error: TelegramError) -> None:
        log.warning("telegram: polling failed, retrying: %s", error)

    async def stop(self) -> None:
        application = self.application
        if application is None:
            return
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=10)
            for task in pending:
                task.cancel()
        await application.shutdown()
        self.application = None

    # -- inbound ---------------------------------------------------------------------------------
    async def _receive(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """PTB's only handler: queue the update in its chat's lane and return at once."""
        self.received += 1
        chat = update.effective_chat
        key = str(chat.id) if chat is not None else ""
        lane = self._lanes.get(key)
        if lane is not None:
            lane.append(update)
            return
        lane = self._lanes[key] = deque([update])
        task = asyncio.create_task(self._drain(key, lane))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self, key: str, lane: deque[Update]) -> None:
        try:
            while lane:
                await self._process(lane[0])
                lane.popleft()
        finally:
            self._lanes.pop(key, None)

    async def _process(self, update: Update) -> None:
        assert self.app is not None
        try:
            self._forget_levels(update)
            items = convert_update(
                update,
                self_id=self.self_id,
                bot_username=self.username,
                dedup=self._dedup,
                received_at=self.app.clock.now(),
            )
            for item in items:
                if isinstance(item, GroupMigrated):
                    await self._migrate(item.old_id, item.new_id)
                else:
                    await self._handle(item)
        except Exception:
            log.exception("telegram: update %s failed", update.update_id)

    async def _handle(self, event: Event) -> None:
        assert self.app is not None
        if isinstance(event, ButtonClicked):
            assert event.channel is not None and event.user is not None
            self._remember_query(str(event.interaction), event.channel.id, event.user.id)
            if event.button_id.startswith(CALLBACK_PREFIX):
                await self._confirm_anonymous(event)
                return
        if isinstance(event, CommandInvoked) and is_anonymous_admin(event):
            spec, _ = self.app.commands.resolve(event.name, event.text or "")
            if spec is not None and (spec.level > PermissionLevel.MEMBER or spec.right):
                await self._ask_anonymous(event, spec)
                return
        await self.app.dispatch(event)
        if isinstance(event, BotJoinedGuild) and event.guild is not None:
            await self._check_group(event.guild.id)

    async def _migrate(self, old_id: str, new_id: str) -> None:
        """Both service messages of one upgrade (in either order, maybe redelivered) re-key
        once: the core's claim row decides; the lock keeps two lanes from racing to it."""
        assert self.app is not None
        async with self._migration_lock:
            if await self.app.migrate_guild(PLATFORM, old_id, new_id):
                log.info("telegram: group %s is now supergroup %s", old_id, new_id)
        self._levels = {k: v for k, v in self._levels.items() if k[0] != old_id}
        self._defaults.pop(old_id, None)

    def _remember_query(self, query_id: str, chat_id: str, user_id: str) -> None:
        self._queries[query_id] = (chat_id, user_id)
        while len(self._queries) > 1000:
            self._queries.popitem(last=False)

    def _forget_levels(self, update: Update) -> None:
        """A member's rights changed: their cached level must not outlive the change."""
        change = update.chat_member or update.my_chat_member
        if change is None:
            return
        chat, user = str(change.chat.id), str(change.new_chat_member.user.id)
        if user == self.self_id:
            self._levels = {k: v for k, v in self._levels.items() if k[0] != chat}
        else:
            self._levels = {k: v for k, v in self._levels.items() if k[:2] != (chat, user)}

    # -- anonymous admins ------------------------------------------------------------------------
    async def _ask_anonymous(self, event: CommandInvoked, spec: CommandSpec) -> None:
        assert self.app is not None and event.channel is not None
        data = self._anonymous.add(event, spec.name, self.app.clock.monotonic())
        locale = await self.app.locale_for(replace(event, user=None))
        catalog = self.app.catalog
        prompt = Outgoing(
            (Text(catalog.t("telegram.anonymous.prompt", locale, command=spec.name)),),
            buttons=((Button(catalog.t("telegram.anonymous.button", locale), "", id=data),),),
            reply_to=event.message.id if event.message else None,
        )
        await self.send(event.channel.id, prompt)

    async def _confirm_anonymous(self, press: ButtonClicked) -> None:
        assert self.app is not None and press.channel is not None and press.user is not None
        catalog = self.app.catalog
        pending = self._anonymous.get(
            press.button_id, press.channel.id, self.app.clock.monotonic()
        )
        locale = await self.app.locale_for(press)
        if pending is None:
            await self.answer_button(press, catalog.t("bot.error.button_expired", locale), True)
            return
        confirmed = replace(pending.event, user=press.user, member=None, locale=press.locale)
        spec, _ = self.app.commands.resolve(confirmed.name, confirmed.text or "")
        allowed = spec is not None and await self.app.level_of(confirmed, spec.right) >= max(
            spec.level, PermissionLevel.ADMIN
        )
        if not allowed:
            text = catalog.t("telegram.anonymous.not_admin", locale, command=pending.command)
            await self.answer_button(press, text, True)
            return
        if self._anonymous.take(press.button_id) is None:  # pressed twice at once
            await self.answer_button(press, catalog.t("bot.error.button_expired", locale), True)
            return
        name = press.user.display_name
        text = catalog.t("telegram.anonymous.confirmed", locale, command=pending.command, name=name)
        await self.answer_button(press, text)
        if press.message_id is not None:
            try:
                await self.edit(press.channel.id, press.message_id, Outgoing((Text(text),)))
            except PlatformError as exc:
                log.debug("telegram: could not update the confirmation prompt: %s", exc)
        await self.app.dispatch(confirmed)

    # -- outbound --------------------------------------------------------------------------------
    async def _call(
        self,
        chat_id: str | int,
        call: Callable[..., Awaitable[Any]],
        /,
        *,
        limited: bool = False,
        **kwargs: Any,
    ) -> Any:
        """One Bot API call for ``chat_id`` with flood limits, 429 retries, migration and
        Telegram's errors as PlatformError."""
        target = int(chat_id)
        for attempt in range(MAX_RETRIES + 1):
            if limited:
                await self.limiter.acquire(str(target))
            try:
                return await call(chat_id=target, **kwargs)
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                if attempt == MAX_RETRIES:
                    raise PlatformError(f"Telegram flood limit: retry after {wait:.0f}s") from None
                log.warning("telegram: 429 in chat %s, retrying in %.0fs", target, wait)
                await asyncio.sleep(wait)
            except ChatMigrated as exc:
                await self._migrate(str(target), str(exc.new_chat_id))
                target = exc.new_chat_id
            except Forbidden as exc:
                reason = "bot.error.dm_closed" if target > 0 else "bot.error.platform"
                raise PlatformError(f"Telegram refused: {exc.message}", reason) from None
            except TimedOut:
                raise PlatformError("Telegram did not answer in time") from None
            except BadRequest as exc:
                raise _bad_request(exc.message, target) from None
            except TelegramError as exc:
                raise PlatformError(f"Telegram error: {exc.message}") from None
        raise PlatformError("Telegram: chat migrated too often")

    async def send(self, channel_id: str, message: Outgoing) -> SentMessage:
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
            log.warning("telegram: caption edit of %s cut to %d characters", message_id, MAX_CAPTION)
        await self._call(
            channel_id,
            self.bot.edit_message_caption,
            message_id=int(message_id),
            caption=captions[0],
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
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

    # -- members ---------------------------------------------------------------------------------
    async def get_member(self, guild_id: str, user_id: str) -> Member | None:
        if _not_a_person(guild_id, user_id):
            return None
        member = await self._call(guild_id, self.bot.get_chat_member, user_id=int(user_id))
        if not _is_present(member):
            return None
        return Member(
            user=to_user(member.user),
            nick=getattr(member, "custom_title", None),
            level=_level(member, None),
        )

    async def get_level(
        self, guild_id: str, user_id: str, right: str | None = None
    ) -> PermissionLevel:
        """creator -> ADMIN; administrator -> ADMIN when it holds ``right`` (if any); anyone
        else, and every channel identity (anonymous admins included), MEMBER. Cached a
        minute, forgotten as soon as a chat_member update reports a change."""
        assert self.app is not None
        if _not_a_person(guild_id, user_id):
            return PermissionLevel.MEMBER
        key = (guild_id, user_id, right)
        now = self.app.clock.monotonic()
        cached = self._levels.get(key)
        if cached is not None and now - cached[1] < LEVEL_TTL:
            return cached[0]
        member = await self._call(guild_id, self.bot.get_chat_member, user_id=int(user_id))
        level = _level(member, right)
        if len(self._levels) >= LEVELS_KEPT:
            self._levels = {k: v for k, v in self._levels.items() if now - v[1] < LEVEL_TTL}
        self._levels[key] = (level, now)
        return level

    async def kick(self, guild_id: str, user_id: str, reason: str = "") -> None:
        """A ban that lifts itself after a minute: the member is out and may come back."""
        self._check_target(guild_id, user_id)
        await self._call(
            guild_id,
            self.bot.ban_chat_member,
            user_id=int(user_id),
            until_date=self._until(KICK_BAN),
        )
        log.info("telegram: removed %s from %s (%s)", user_id, guild_id, reason or "no reason")

    async def unban(self, guild_id: str, user_id: str) -> None:
        self._check_target(guild_id, user_id)
        await self._call(
            guild_id, self.bot.unban_chat_member, user_id=int(user_id), only_if_banned=True
        )

    async def mute(self, guild_id: str, user_id: str, duration: timedelta | None) -> None:
        self._check_target(guild_id, user_id)
        await self._call(
            guild_id,
            self.bot.restrict_chat_member,
            user_id=int(user_id),
            permissions=ChatPermissions.no_permissions(),
            until_date=self._until(duration) if duration else None,
        )

    async def unmute(self, guild_id: str, user_id: str) -> None:
        """Back to the group's own defaults, not every permission: where members may not
        send photos or pin, an unmuted member may not either."""
        self._check_target(guild_id, user_id)
        await self._call(
            guild_id,
            self.bot.restrict_chat_member,
            user_id=int(user_id),
            permissions=await self._default_permissions(guild_id),
            use_independent_chat_permissions=True,
        )

    async def _default_permissions(self, guild_id: str) -> ChatPermissions:
        assert self.app is not None
        now = self.app.clock.monotonic()
        cached = self._defaults.get(guild_id)
        if cached is not None and now - cached[1] < PERMISSIONS_TTL:
            return cached[0]
        chat = await self._call(guild_id, self.bot.get_chat)
        permissions = chat.permissions or ChatPermissions.all_permissions()
        self._defaults[guild_id] = (permissions, now)
        return permissions

    async def set_title(self, guild_id: str, user_id: str, title: str) -> None:
        self._check_target(guild_id, user_id)
        await self._call(
            guild_id,
            self.bot.set_chat_administrator_custom_title,
            user_id=int(user_id),
            custom_title=title,
        )

    async def answer_join_request(self, guild_id: str, user_id: str, approve: bool) -> None:
        call = (
            self.bot.approve_chat_join_request if approve else self.bot.decline_chat_join_request
        )
        await self._call(guild_id, call, user_id=int(user_id))

    def _check_target(self, guild_id: str, user_id: str) -> None:
        """Channel identities and the bot itself are never acted on."""
        if _not_a_person(guild_id, user_id) or user_id == self.self_id:
            raise CannotAct(f"{user_id} is a channel identity, not a member")

    def _until(self, duration: timedelta) -> int:
        assert self.app is not None
        duration = min(max(duration, MIN_UNTIL), MAX_UNTIL)
        return int((self.app.clock.now() + duration).timestamp())

    # -- command menus ---------------------------------------------------------------------------
    async def sync_commands(
        self, commands: Sequence[CommandSpec], texts: Mapping[str, Mapping[str, str]]
    ) -> bool:
        assert self.app is not None
        scopes = {
            "default": BotCommandScopeDefault(),
            "all_chat_administrators": BotCommandScopeAllChatAdministrators(),
        }
        for menu in build_menus(commands, texts, self.app.config.bot.locale):
            entries = [BotCommand(name, description) for name, description in menu.commands]
            try:
                if entries:
                    await self.bot.set_my_commands(
                        entries, scope=scopes[menu.scope], language_code=menu.language or None
                    )
                else:
                    await self.bot.delete_my_commands(
                        scope=scopes[menu.scope], language_code=menu.language or None
                    )
            except TelegramError as exc:
                raise PlatformError(f"setMyCommands failed: {exc.message}") from None
        return True

    # -- start-up checks -------------------------------------------------------------------------
    async def check_groups(self) -> list[str]:
        """Warn, per known group, where privacy mode hides messages that enabled plugins read
        or the bot lacks an admin right an enabled command needs. Returns the warnings."""
        guild_ids = await GuildSettings.filter(platform=PLATFORM, active=True).values_list(
            "guild_id", flat=True
        )
        warnings: list[str] = []
        for guild_id in guild_ids:
            warnings.extend(await self._check_group(guild_id))
        return warnings

    async def _check_group(self, guild_id: str) -> list[str]:
        assert self.app is not None
        try:
            me = await self._call(guild_id, self.bot.get_chat_member, user_id=int(self.self_id))
        except PlatformError as exc:
            warnings = [f"telegram group {guild_id}: cannot read the bot's rights: {exc}"]
        else:
            warnings = self._group_warnings(guild_id, me)
        for warning in warnings:
            log.warning("%s", warning)
        return warnings

    def _group_warnings(self, guild_id: str, me: ChatMember) -> list[str]:
        assert self.app is not None
        if not _is_present(me):
            return [f"telegram group {guild_id}: the bot is not a member any more"]
        warnings = []
        readers = self.app.plugins_needing_content()
        if readers and not self.reads_all_messages and me.status not in _ADMINS:
            warnings.append(
                f"telegram group {guild_id}: privacy mode hides ordinary messages from the bot, "
                f"so {', '.join(readers)} cannot see them. In @BotFather use /setprivacy -> "
                "Disable (then remove and re-add the bot), or make the bot an admin."
            )
        needed: dict[str, list[str]] = {}
        for spec in self.app.commands:
            if spec.right:
                needed.setdefault(RIGHTS.get(spec.right, spec.right), []).append(spec.name)
        for right, names in sorted(needed.items()):
            if me.status != ChatMember.OWNER and not getattr(me, right, False):
                commands = ", ".join(f"/{n}" for n in sorted(names))
                warnings.append(
                    f"telegram group {guild_id}: the bot lacks the admin right {right}, "
                    f"needed by {commands}"
                )
        return warnings


# -- helpers -------------------------------------------------------------------------------------


def _markup(buttons: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    data = inline_keyboard(buttons)
    return InlineKeyboardMarkup.de_json(data, None) if data else None


def _reply(message_id: str | None) -> ReplyParameters | None:
    if message_id is None:
        return None
    # A reply to a message deleted meanwhile still goes out, without the quote.
    return ReplyParameters(int(message_id), allow_sending_without_reply=True)


def _not_a_person(guild_id: str, user_id: str) -> bool:
    """The group speaking as itself (anonymous admin), a channel, or a stand-in sender."""
    try:
        number = int(user_id)
    except ValueError:
        return True
    return user_id == guild_id or number < 0 or number in STAND_IN_IDS


def _is_present(member: ChatMember) -> bool:
    return member.status in _PRESENT or (
        member.status == ChatMember.RESTRICTED and bool(getattr(member, "is_member", False))
    )


def _level(member: ChatMember, right: str | None) -> PermissionLevel:
    if member.status == ChatMember.OWNER:
        return PermissionLevel.ADMIN
    if member.status != ChatMember.ADMINISTRATOR:
        return PermissionLevel.MEMBER
    if right is None:
        return PermissionLevel.ADMIN
    flag = RIGHTS.get(right)
    if flag is None:
        # An unknown right: only the group's creator holds every right for certain.
        log.warning("telegram: unknown command right %r; only the group creator qualifies", right)
        return PermissionLevel.MEMBER
    return PermissionLevel.ADMIN if getattr(member, flag, False) else PermissionLevel.MEMBER


_CANNOT_ACT = (
    "administrator",
    "owner",
    "not enough rights",
    "can't restrict self",
    "can't remove chat owner",
    "user_admin_invalid",
    "chat_admin_required",
    "available only for supergroups",
)


def _bad_request(message: str, chat_id: int) -> PlatformError:
    lowered = message.lower()
    if any(marker in lowered for marker in _CANNOT_ACT):
        return CannotAct(f"Telegram refused in chat {chat_id}: {message}")
    if "chat not found" in lowered and chat_id > 0:
        return PlatformError(f"Telegram: {message}", "bot.error.dm_closed")
    if "hide_requester_missing" in lowered:
        return PlatformError("there is no pending join request from this user")
    return PlatformError(f"Telegram refused in chat {chat_id}: {message}")

