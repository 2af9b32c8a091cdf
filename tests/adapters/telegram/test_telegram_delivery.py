"""Updates are confirmed to Telegram only once handled, and a redelivery is recognised without a
database query per update: against the fake Bot API with the real PTB client."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

import bot.adapters.telegram.adapter as telegram_adapter
from bot import Context, MessageCreated, Plugin
from bot.adapters.telegram import TelegramAdapter
from bot.app import App
from bot.clock import FakeClock
from bot.testing.driver import DEFAULT_START, eventually
from bot.testing.fake_telegram import FakeTelegramServer
from bot.testing.telegram import GROUP, OWNER, TOKEN, running, telegram_app
from plugins.stats.service import Stats

ANN, BOB = 42, 43
OTHER = -1002000000002
CONFIG = {"bot": {"locale": "en"}}

demo = Plugin("tgdelivery", needs_content=True)
handled: Counter[str] = Counter()
gate = asyncio.Event()  # /block waits for it (a new Event per test: see the fixture)
entered = asyncio.Event()


@demo.command("count")
async def count(ctx: Context, word: str = "") -> None:
    handled[word] += 1
    await ctx.reply(f"counted {word}")


@demo.command("block")
async def block(ctx: Context) -> None:
    entered.set()
    await gate.wait()
    handled["block"] += 1
    await ctx.reply("unblocked")


@demo.on(MessageCreated)
async def hold(ctx: Context, event: MessageCreated) -> None:
    if event.message.text == "hold on":
        entered.set()
        await gate.wait()
        handled["hold"] += 1


@pytest.fixture(autouse=True)
def fresh_state():
    global gate, entered
    handled.clear()
    gate, entered = asyncio.Event(), asyncio.Event()


@asynccontextmanager
async def fake_telegram() -> AsyncIterator[tuple[FakeTelegramServer, FakeClock]]:
    clock = FakeClock(DEFAULT_START)
    async with FakeTelegramServer(TOKEN, "qunbot_test", privacy_mode=False, now=clock.now) as tg:
        tg.add_chat(GROUP, "Test Group")
        tg.add_chat(OTHER, "Other Group")
        tg.add_user(OWNER, "Olga", "olga")
        tg.set_member(GROUP, OWNER, "creator")
        for user, name in ((ANN, "Ann"), (BOB, "Bob")):
            tg.add_user(user, name, name.lower())
        yield tg, clock


def started(tg: FakeTelegramServer, clock: FakeClock, url: str):
    return running(telegram_app(tg, [demo], CONFIG, clock=clock, database_url=url), tg, clock)


def texts(sent: list[dict]) -> list[str]:
    return [s["visible_text"] for s in sent]


def offsets(tg: FakeTelegramServer) -> list[int]:
    return [int(p["offset"]) for p in tg.calls("getUpdates") if p.get("offset")]

def count_saves(app: App) -> list[str]:
    saved: list[str] = []
    save = app.save_state

    async def counting(key: str, value: str) -> None:
        saved.append(value)
        await save(key, value)

    app.save_state = counting  # type: ignore[method-assign]
    return saved


async def test_a_restart_skips_updates_handled_but_not_confirmed(tmp_path):
    url = f"sqlite://{tmp_path}/bot.sqlite3"
    async with fake_telegram() as (tg, clock):
        # Three updates waiting before the bot starts: one batch, one state write.
        updates = [tg.user_says(GROUP, ANN, f"/count w{n}") for n in range(3)]
        async with started(tg, clock, url) as bot:
            saves = count_saves(bot.app)
            await bot.settle()
            assert sorted(texts(tg.sent(GROUP))) == ["counted w0", "counted w1", "counted w2"]
            assert len(saves) <= 1  # the first batch may have been saved before counting began
            state = await bot.app.load_state(f"telegram:updates:{bot.adapter.self_id}")
            assert state is not None and str(updates[-1]["update_id"]) in state
            # One more message: one more batch, one write (not one per update and query).
            before = len(saves)
            await bot.say(BOB, "/count w3", chat_id=OTHER)
            assert len(saves) == before + 1
        # A crash after the state was written but before the offset reached Telegram: it sends
        # the batch again to the next run, which skips every update of it.
        for update in updates:
            tg.redeliver(update)
        handed_out = tg.handed_out
        async with started(tg, clock, url) as bot:
            await bot.settle()
            assert tg.handed_out == handed_out + 3  # they did reach the new run
            assert texts(await bot.say(ANN, "/count w4")) == ["counted w4"]
        assert handled == Counter({"w0": 1, "w1": 1, "w2": 1, "w3": 1, "w4": 1})
        assert len(tg.sent()) == 5
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "core_sync_state" in tables and "core_processed" not in tables


async def test_an_update_is_confirmed_only_after_its_handler_finished(tmp_path):
    async with fake_telegram() as (tg, clock), started(tg, clock, "sqlite://:memory:") as bot:
        bot.adapter.batch_wait = 0.1  # refetch while the lane is still busy
        blocked = tg.user_says(GROUP, ANN, "/block")["update_id"]
        async with asyncio.timeout(5):
            await entered.wait()
        # Another group goes on meanwhile, in later batches that confirm nothing from /block on.
        later = tg.user_says(OTHER, BOB, "/count other")["update_id"]
        await eventually(lambda: texts(tg.sent(OTHER)) == ["counted other"])
        await eventually(lambda: len(tg.calls("getUpdates")) >= 4)
        assert tg.pending() == 2 and max(offsets(tg)) <= blocked < later
        assert tg.sent(GROUP) == []
        gate.set()
        await bot.settle()
        assert tg.pending() == 0 and max(offsets(tg)) > later
        assert texts(tg.sent(GROUP)) == ["unblocked"]
        assert handled == Counter({"block": 1, "other": 1})  # the refetched ones ran once


async def test_a_malformed_update_is_skipped_once_and_the_rest_handled(tmp_path, caplog):
    async with fake_telegram() as (tg, clock), started(tg, clock, "sqlite://:memory:") as bot:
        await bot.settle()
        calls = len(tg.calls("getUpdates"))
        tg.user_says(GROUP, ANN, "/count a")
        bad = tg.user_says(GROUP, ANN, "/count b")
        tg.user_says(GROUP, BOB, "/count c")
        bad["message"]["chat"] = "not a chat"  # still queued: PTB's de_json raises on it
        with caplog.at_level("ERROR", logger="bot.adapters.telegram"):
            await bot.settle()
        assert texts(tg.sent(GROUP)) == ["counted a", "counted c"]
        assert bot.adapter.malformed_updates == 1 and tg.pending() == 0
        assert len([r for r in caplog.records if "cannot be parsed" in r.getMessage()]) == 1
        # The batch whole, once again raw, then the next offset: a handful of calls, no loop.
        assert len(tg.calls("getUpdates")) - calls <= 4
        assert handled == Counter({"a": 1, "c": 1})


async def test_stop_leaves_a_busy_lane_unconfirmed_and_the_next_run_handles_it(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(telegram_adapter, "STOP_WAIT", 0.2)
    url = f"sqlite://{tmp_path}/bot.sqlite3"
    async with fake_telegram() as (tg, clock):
        async with started(tg, clock, url) as bot:
            assert texts(await bot.say(BOB, "/count first")) == ["counted first"]
            tg.user_says(GROUP, ANN, "/block")
            async with asyncio.timeout(5):
                await entered.wait()
        assert tg.pending() == 1 and texts(tg.sent(GROUP)) == ["counted first"]
        gate.set()
        async with started(tg, clock, url) as bot:
            await bot.settle()
            assert isinstance(bot.adapter, TelegramAdapter)
        assert texts(tg.sent(GROUP)) == ["counted first", "unblocked"]
        assert handled == Counter({"first": 1, "block": 1}) and tg.pending() == 0


async def test_an_update_left_unconfirmed_at_stop_is_counted_once_after_the_restart(
    tmp_path, monkeypatch
):
    # A member's message count (the roster) and the group's hourly figures (stats) are kept in
    # memory and written in batches; a flush while "hold on" is still handled (counted already),
    # then a stop that leaves it unconfirmed, must not write its counts: the next run counts it
    # when it handles it.
    monkeypatch.setattr(telegram_adapter, "STOP_WAIT", 0.2)
    url = f"sqlite://{tmp_path}/bot.sqlite3"
    async with fake_telegram() as (tg, clock):
        app = telegram_app(tg, ["stats", demo], CONFIG, clock=clock, database_url=url)
        async with running(app, tg, clock) as bot:
            assert texts(await bot.say(ANN, "/count first")) == ["counted first"]
            tg.user_says(GROUP, ANN, "hold on")
            async with asyncio.timeout(5):
                await entered.wait()
            await bot.app.flush()  # what the roster's flusher does every second
            await bot.app.scope("stats").service(Stats).flush()  # the stats plugin's minute job
        assert tg.pending() == 1
        gate.set()
        app = telegram_app(tg, ["stats", demo], CONFIG, clock=clock, database_url=url)
        async with running(app, tg, clock) as bot:
            await bot.settle()
        assert handled == Counter({"first": 1, "hold": 1}) and tg.pending() == 0
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        [(count,)] = db.execute("SELECT message_count FROM core_member WHERE user_id = ?", (str(ANN),))
        [(spoken,)] = db.execute("SELECT SUM(messages) FROM stats_speaker WHERE user_id = ?", (str(ANN),))
        [(hourly,)] = db.execute("SELECT SUM(messages) FROM stats_hour")
    assert (count, spoken, hourly) == (2, 2, 2)


async def test_the_webhook_is_answered_only_after_the_update_is_handled(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    hook = f"http://127.0.0.1:{port}/hook"
    config = {
        **CONFIG,
        "telegram": {"mode": "webhook", "webhook_port": port, "webhook_path": "/hook",
                     "webhook_url": hook, "webhook_secret": "s3cret-s3cret"},
    }
    async with fake_telegram() as (tg, clock):
        app = telegram_app(tg, [demo], config, clock=clock, database_url="sqlite://:memory:")
        await app.start()
        try:
            update = tg.user_says(GROUP, ANN, "/block")
            answer = asyncio.create_task(tg.push_webhook(hook, update, "s3cret-s3cret"))
            async with asyncio.timeout(5):
                await entered.wait()
            await asyncio.sleep(0.1)
            assert not answer.done()
            gate.set()
            assert await asyncio.wait_for(answer, 5) == 200
            assert texts(tg.sent(GROUP)) == ["unblocked"]
            # Sent again (Telegram missed the answer): answered at once, not handled again.
            assert await tg.push_webhook(hook, update, "s3cret-s3cret") == 200
            bad = tg.user_says(GROUP, ANN, "/count bad")
            bad["message"]["chat"] = "not a chat"
            assert await tg.push_webhook(hook, bad, "s3cret-s3cret") == 200  # skipped once
            later = tg.user_says(GROUP, BOB, "/count x")
            assert await tg.push_webhook(hook, later, "s3cret-s3cret") == 200
            assert texts(tg.sent(GROUP)) == ["unblocked", "counted x"]
            assert handled == Counter({"block": 1, "x": 1})
            assert app.adapter("telegram").malformed_updates == 1  # type: ignore[attr-defined]
        finally:
            await app.stop()
