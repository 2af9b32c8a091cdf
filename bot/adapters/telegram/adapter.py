"""The Telegram adapter: python-telegram-bot driven from the core's event loop.

:class:`TelegramAdapter` owns the PTB application (start-up, shutdown, command menus) and is
composed of one mixin per concern, each in its own module:

- :mod:`.intake`: inbound updates (its own long polling or webhook), in per-chat lanes that run
  side by side, confirmed to Telegram only once handled;
- :mod:`.calls`: every Bot API call, with flood limits, 429 retries and migrated groups;
- :mod:`.messages`: send, edit and delete messages, answer button presses;
- :mod:`.members`: member look-ups, permission levels, kick, mute, titles, join requests;
- :mod:`.anonymous`: the confirmation an anonymous admin's command waits for;
- :mod:`.checks`: the per-group warnings about privacy mode and missing admin rights.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeDefault,
)
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot.adapters.base import Adapter, Capability, Host, PlatformError
from bot.adapters.telegram.anonymous import AnonymousAdmins
from bot.adapters.telegram.calls import BotCalls
from bot.adapters.telegram.checks import GroupChecks
from bot.adapters.telegram.convert import PLATFORM
from bot.adapters.telegram.intake import Intake
from bot.adapters.telegram.limits import OutboundLimiter
from bot.adapters.telegram.members import MemberActions
from bot.adapters.telegram.menu import build_menus
from bot.adapters.telegram.messages import MessageActions
from bot.commands import CommandSpec
from bot.config import ConfigError, TelegramSection
from bot.events import AdapterOnline

__all__ = ["TelegramAdapter", "TokenRejected"]

log = logging.getLogger(__name__)
LOCALES = Path(__file__).parent / "locales"
# How long ``stop`` lets the lanes finish the updates they hold (the rest is not confirmed).
STOP_WAIT = 10.0


class TokenRejected(PlatformError, ConfigError):
    """Telegram answered 401: the token is wrong or was revoked. A config problem, so
    ``qunbot run`` prints this one line and stops."""


class TelegramAdapter(
    Intake, AnonymousAdmins, GroupChecks, MemberActions, MessageActions, BotCalls, Adapter
):
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
            Capability.COPY,
            Capability.PIN,
            Capability.INVITE,
        }
    )

    def __init__(self, config: TelegramSection, *, limiter: OutboundLimiter | None = None) -> None:
        super().__init__()
        self.config = config
        self.limiter = limiter or OutboundLimiter()
        self.username = ""
        self.reads_all_messages = False
        self.application: Application | None = None

    def __repr__(self) -> str:  # never the token (PTB's Bot repr contains it)
        return f"TelegramAdapter(@{self.username or '?'}, mode={self.config.mode})"

    def send_delay(self, channel_id: str) -> float:
        return self.limiter.delay(channel_id)

    @property
    def bot(self) -> Bot:
        if self.application is None:
            raise PlatformError("the Telegram adapter is not started")
        return self.application.bot

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self, host: Host) -> None:
        await super().start(host)
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
        host.catalog.load_dir("telegram", LOCALES)
        application = (
            ApplicationBuilder()
            .token(self.config.token)
            .base_url(self.config.base_url)
            .job_queue(None)
            .updater(None)  # the adapter fetches updates itself: confirmed once handled
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
        try:
            await self._start_intake()
        except BaseException:
            await self.stop()
            raise
        log.info("telegram: online as @%s (%s)", self.username, self.config.mode)
        await self.check_groups()
        await host.dispatch(
            AdapterOnline(platform=PLATFORM, self_id=self.self_id, timestamp=host.clock.now())
        )

    async def stop(self) -> None:
        application = self.application
        if application is None:
            return
        await self._stop_intake(STOP_WAIT)
        self._stop_listing()
        await application.shutdown()
        self.application = None

    # -- command menus ---------------------------------------------------------------------------
    async def sync_commands(
        self, commands: Sequence[CommandSpec], texts: Mapping[str, Mapping[str, str]]
    ) -> bool:
        assert self.host is not None
        scopes = {
            "default": BotCommandScopeDefault(),
            "all_chat_administrators": BotCommandScopeAllChatAdministrators(),
        }
        for menu in build_menus(commands, texts, self.host.default_locale):
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
