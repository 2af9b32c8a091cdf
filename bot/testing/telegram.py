"""Run a bot on the real Telegram adapter against the local fake Bot API, in a test.

::

    async with telegram_bot(plugins=[my_plugin]) as bot:
        bot.tg.add_user(42, "Ann", "ann")
        replies = await bot.say(42, "/hello")
        assert replies[0]["visible_text"] == "hello Ann"

``bot`` unpacks as ``(app, tg)`` too. The fake server's clock is the app's fake clock, so
message dates, ban ``until_date`` and "now" agree; ``bot.settle()`` waits until every update
the fake handed out has been handled (nothing is timed: it follows the offsets the fake sees
confirmed, PTB's update queue and the adapter's lanes).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from bot.adapters.telegram import TelegramAdapter
from bot.app import App
from bot.clock import FakeClock
from bot.plugin import Plugin
from bot.testing.driver import DEFAULT_START, build_config, choose_plugins
from bot.testing.fake_telegram import FakeTelegramServer

__all__ = ["GROUP", "OWNER", "TOKEN", "TelegramBot", "running", "telegram_app", "telegram_bot"]

TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
BOT_USERNAME = "qunbot_test"
GROUP = -1001000000001
OWNER = 1


class TelegramBot:
    """A started App on the Telegram adapter plus the fake server it talks to."""

    def __init__(self, app: App, tg: FakeTelegramServer, clock: FakeClock) -> None:
        self.app = app
        self.tg = tg
        self.clock = clock

    def __iter__(self) -> Iterator[Any]:
        return iter((self.app, self.tg))

    @property
    def adapter(self) -> TelegramAdapter:
        adapter = self.app.adapter("telegram")
        assert isinstance(adapter, TelegramAdapter)
        return adapter

    async def settle(self, limit: float = 10.0) -> None:
        """Wait until every update the fake handed out has been handled, including updates
        the bot's own actions caused (polling mode). Each round: the fake saw each update
        confirmed by the next ``getUpdates`` offset, so PTB queued it; PTB's queue is done
        with it, so it is in one of the adapter's lanes; the lanes are drained. Settled when
        a round ends with nothing new handed out."""
        application = self.adapter.application
        assert application is not None
        try:
            async with asyncio.timeout(limit):
                while True:
                    handed_out = self.tg.handed_out
                    await self.tg.confirmed()
                    await application.update_queue.join()
                    await self.adapter.drain()
                    await self.app.drain_outbox()
                    if self.tg.handed_out == handed_out and not self.tg.pending():
                        return
        except TimeoutError:
            raise TimeoutError(
                f"telegram bot did not settle within {limit} s: {self.tg.undelivered()} "
                f"undelivered, {self.tg.pending()} not confirmed"
            ) from None

    async def say(self, user_id: int, text: str, chat_id: int = GROUP, **kwargs: Any) -> list[dict]:
        """A user writes; returns what the bot sent in response (see ``FakeTelegramServer.sent``)."""
        before = len(self.tg.sent())
        self.tg.user_says(chat_id, user_id, text, **kwargs)
        await self.settle()
        return self.tg.sent()[before:]

    async def click(self, user_id: int, sent: dict, label: str) -> dict:
        """A user presses the button ``label`` of a bot message; returns the callback answer."""
        data = next(
            button["callback_data"]
            for row in (sent["reply_markup"] or {}).get("inline_keyboard", [])
            for button in row
            if button["text"] == label
        )
        update = self.tg.user_clicks(sent["chat_id"], user_id, sent["message_id"], data)
        await self.settle()
        return self.tg.callback_answer(update["callback_query"]["id"]) or {}


def telegram_app(
    tg: FakeTelegramServer,
    plugins: Sequence[str | Plugin] = (),
    config: dict[str, Any] | None = None,
    *,
    clock: FakeClock,
    database_url: str = "sqlite://:memory:",
) -> App:
    """An App whose only adapter is Telegram, pointed at ``tg``."""
    chosen = choose_plugins(plugins)
    endpoints = {"token": tg.token, "base_url": tg.base_url, "poll_timeout": 1}
    settings = build_config(config, chosen, telegram=endpoints)
    adapter = TelegramAdapter(settings.telegram)
    return App(settings, adapters=[adapter], clock=clock, plugins=chosen, database_url=database_url)


@asynccontextmanager
async def running(app: App, tg: FakeTelegramServer, clock: FakeClock) -> AsyncIterator[TelegramBot]:
    """``app`` started on ``tg`` and stopped on exit: a bot that a test can stop and start
    again on the same fake server (a restart, a crash)."""
    await app.start()
    try:
        yield TelegramBot(app, tg, clock)
    finally:
        await app.stop()


@asynccontextmanager
async def telegram_bot(
    plugins: Sequence[str | Plugin] = (),
    config: dict[str, Any] | None = None,
    *,
    database_url: str = "sqlite://:memory:",
    start: datetime = DEFAULT_START,
    privacy_mode: bool = False,
) -> AsyncIterator[TelegramBot]:
    """A fake Telegram with one supergroup (:data:`GROUP`, created by :data:`OWNER`, the bot an
    admin) and a started bot on it; everything is stopped on exit."""
    clock = FakeClock(start)
    async with FakeTelegramServer(TOKEN, BOT_USERNAME, privacy_mode=privacy_mode, now=clock.now) as tg:
        tg.add_chat(GROUP, "Test Group")
        tg.add_user(OWNER, "Olga", "olga")
        tg.set_member(GROUP, OWNER, "creator")
        async with running(telegram_app(tg, plugins, config, clock=clock, database_url=database_url),
                           tg, clock) as bot:
            yield bot
