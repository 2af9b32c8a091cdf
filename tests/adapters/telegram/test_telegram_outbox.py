"""Replies that wait for Telegram's flood limit never hold up the handling of later updates: they
wait in the outbox, are sent at the group's pace in order, and still go out after a restart.
Against the fake Bot API with the real PTB client."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot import Context, Plugin
from bot.adapters.telegram.limits import OutboundLimiter
from bot.clock import FakeClock
from bot.testing.driver import DEFAULT_START, eventually
from bot.testing.fake_telegram import FakeTelegramServer
from bot.testing.telegram import GROUP, OWNER, TOKEN, running, telegram_app

ANN = 42
OTHER = -1002000000002
CONFIG = {"bot": {"locale": "en", "command_rate": 100}}

demo = Plugin("tgoutbox")
handled: Counter[str] = Counter()


@demo.command("count")
async def count(ctx: Context, word: str = "") -> None:
    handled[word] += 1
    await ctx.reply(f"counted {word}")


@pytest.fixture(autouse=True)
def fresh_state():
    handled.clear()


@asynccontextmanager
async def fake_telegram() -> AsyncIterator[tuple[FakeTelegramServer, FakeClock]]:
    clock = FakeClock(DEFAULT_START)
    async with FakeTelegramServer(TOKEN, "qunbot_test", privacy_mode=False, now=clock.now) as tg:
        tg.add_chat(GROUP, "Test Group")
        tg.add_chat(OTHER, "Other Group")
        tg.add_user(OWNER, "Olga", "olga")
        tg.set_member(GROUP, OWNER, "creator")
        tg.add_user(ANN, "Ann", "ann")
        yield tg, clock


def limited(tg: FakeTelegramServer, clock: FakeClock, url: str, limiter: OutboundLimiter):
    app = telegram_app(tg, [demo], CONFIG, clock=clock, database_url=url)
    app.adapter("telegram").limiter = limiter  # type: ignore[attr-defined]
    return running(app, tg, clock)


def texts(sent: list[dict]) -> list[str]:
    return [s["visible_text"] for s in sent]

def waiting_rows(path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT content FROM core_outbox ORDER BY id")]


async def test_a_burst_past_the_flood_limit_is_handled_at_once_and_answered_in_order_at_pace(
    tmp_path,
):
    words = [f"w{n}" for n in range(8)]
    async with fake_telegram() as (tg, clock):
        # Two messages per 1.5 s in a group: eight replies need about five seconds.
        async with limited(tg, clock, f"sqlite://{tmp_path}/bot.sqlite3", OutboundLimiter(2, 1.5)) as bot:
            for word in words:
                tg.user_says(GROUP, ANN, f"/count {word}")
            # Every update is handled and confirmed to Telegram while most replies still wait.
            await eventually(lambda: sum(handled.values()) == 8 and tg.pending() == 0, 10)
            assert len(tg.sent(GROUP)) < 8
            assert len(waiting_rows(tmp_path / "bot.sqlite3")) >= 8 - len(tg.sent(GROUP)) - 1
            # Another group is answered at once, not behind the throttled one.
            tg.user_says(OTHER, ANN, "/count elsewhere")
            await eventually(lambda: texts(tg.sent(OTHER)) == ["counted elsewhere"], 10)
            assert len(tg.sent(GROUP)) < 8
            await bot.settle()
            assert texts(tg.sent(GROUP)) == [f"counted {w}" for w in words]
            # Each reply still quotes the command it answers.
            assert all(s["reply_to_message_id"] for s in tg.sent(GROUP))
        assert waiting_rows(tmp_path / "bot.sqlite3") == []
    assert handled == Counter({**dict.fromkeys(words, 1), "elsewhere": 1})


async def test_replies_left_waiting_at_stop_are_sent_after_the_restart_once(tmp_path):
    url = f"sqlite://{tmp_path}/bot.sqlite3"
    async with fake_telegram() as (tg, clock):
        # Two replies an hour: the other three cannot go before the stop.
        async with limited(tg, clock, url, OutboundLimiter(2, 3600)) as bot:
            for n in range(5):
                tg.user_says(GROUP, ANN, f"/count r{n}")
            await eventually(lambda: sum(handled.values()) == 5 and tg.pending() == 0, 10)
            await bot.adapter.drain()
        assert texts(tg.sent(GROUP)) == ["counted r0", "counted r1"]
        assert len(waiting_rows(tmp_path / "bot.sqlite3")) == 3
        async with limited(tg, clock, url, OutboundLimiter()) as bot:
            await bot.settle()
            assert texts(tg.sent(GROUP)) == [f"counted r{n}" for n in range(5)]
        assert waiting_rows(tmp_path / "bot.sqlite3") == []
    assert handled == Counter({f"r{n}": 1 for n in range(5)})  # nothing handled twice
