"""Message-XP awards of Telegram updates commit with the batch that confirms the updates
(``plugins.points.xpbatch``), on the real python-telegram-bot client against the fake Bot API,
on SQLite and PostgreSQL: the ledger of one message at a time, nothing written before the
confirming commit, an award another process made first not made again, an update left
unconfirmed at stop awarded once after the restart, and a member's data deletion taking their
waiting award with it."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

import bot.adapters.telegram.adapter as telegram_adapter
import bot.adapters.telegram.intake as intake
from bot import Batch, Context, MessageCreated, Plugin, Scope, hookimpl
from bot.clock import FakeClock
from bot.storage.models import RosterMember
from bot.tally import delivery
from bot.testing.driver import DEFAULT_START
from bot.testing.fake_telegram import FakeTelegramServer
from plugins.points.maintenance import find_mismatches
from plugins.points.models import Activity, LedgerEntry

telegram = pytest.importorskip("bot.testing.telegram")
GROUP, TOKEN, telegram_bot = telegram.GROUP, telegram.TOKEN, telegram.telegram_bot
running, telegram_app = telegram.running, telegram.telegram_app

ANN, BOB = 41, 42
CONFIG = {
    "bot": {"locale": "en"},
    "plugins": {
        "points": {"xp_min": 20, "xp_max": 20, "cooldown_seconds": 0, "curve": "table", "table": [50, 1000]}
    },
}
TALK = "talking about the release"


async def balances_after(user_id: int) -> list[int]:
    return await LedgerEntry.filter(user_id=str(user_id)).order_by("id").values_list(
        "balance_after", flat=True
    )


def add_members(tg) -> None:
    tg.add_user(ANN, "Ann", "ann")
    tg.add_user(BOB, "Bob", "bob")


@pytest.mark.both_databases
async def test_a_burst_in_one_batch_writes_the_ledger_of_one_message_at_a_time(bot_database_url):
    async with telegram_bot(["points"], CONFIG, database_url=bot_database_url) as bot:
        add_members(bot.tg)
        # Said before the bot's next getUpdates: one batch, Ann's first award creating her row
        # and her next two claiming it after it in the same commit.
        for user in (ANN, BOB, ANN, ANN, BOB):
            bot.tg.user_says(GROUP, user, TALK)
        await bot.settle()
        assert await balances_after(ANN) == [20, 40, 60]
        assert await balances_after(BOB) == [20, 40]
        assert await find_mismatches() == []
        # Ann passed 50 XP: announced once, after the commit.
        levels = [s["visible_text"] for s in bot.tg.sent(GROUP) if "reached level" in s["visible_text"]]
        assert len(levels) == 1 and levels[0].startswith("Ann reached level 1")
        # The next batch goes on from the state the first left.
        await bot.say(ANN, TALK)
        assert await balances_after(ANN) == [20, 40, 60, 80]


flaky = Plugin("flakybatch")


class FailsFirstCommit:
    calls = 0
    written_before_retry: int | None = None

    @hookimpl
    async def bot_commit_batch(self, scope: Scope, batch: Batch) -> None:
        type(self).calls += 1
        if type(self).calls == 1:
            raise RuntimeError("the disk is full")
        if type(self).calls == 2:
            type(self).written_before_retry = await LedgerEntry.all().count()


flaky.hooks(FailsFirstCommit())


@pytest.mark.both_databases
async def test_an_award_is_written_only_by_the_commit_that_confirms_its_update(
    bot_database_url, monkeypatch
):
    monkeypatch.setattr(intake, "RETRY_FIRST", 0.05)
    FailsFirstCommit.calls, FailsFirstCommit.written_before_retry = 0, None
    async with telegram_bot(["points", flaky], CONFIG, database_url=bot_database_url) as bot:
        add_members(bot.tg)
        bot.tg.user_says(GROUP, ANN, TALK)
        await bot.settle()
        # The first batch rolled back with its award; the batch fetched again wrote it once.
        assert FailsFirstCommit.calls >= 2
        assert FailsFirstCommit.written_before_retry == 0
        assert await balances_after(ANN) == [20]
        assert bot.tg.pending() == 0
        assert await find_mismatches() == []


@pytest.mark.both_databases
async def test_an_award_another_process_made_first_is_not_made_again(bot_database_url):
    async with telegram_bot(["points"], CONFIG, database_url=bot_database_url) as bot:
        add_members(bot.tg)
        await bot.say(ANN, TALK)
        # Another bot process sharing the database has just awarded Ann (its ledger entry apart).
        row = await Activity.get(user_id=str(ANN))
        await Activity.filter(id=row.id).update(awards=row.awards + 1)
        await bot.say(ANN, TALK)
        assert await balances_after(ANN) == [20]  # this process's claim lost: nothing written
        await bot.say(ANN, TALK)  # decided on the row as the other process left it
        assert await balances_after(ANN) == [20, 40]
        assert await find_mismatches() == []


# A plugin whose handler of one message waits (after the points plugin has decided its award)
# until the test lets it go: the bot is stopped meanwhile.
slow = Plugin("slowhandler", requires=("points",))
OTHER = -1002000000002
gate, entered, passed = asyncio.Event(), asyncio.Event(), asyncio.Event()


@slow.on(MessageCreated)
async def hold(ctx: Context, event: MessageCreated) -> None:
    if event.message.text == "hold on, talking":
        entered.set()
        await gate.wait()
    else:
        passed.set()


async def test_an_award_of_an_update_left_unconfirmed_at_stop_is_made_once_after_the_restart(
    tmp_path, monkeypatch
):
    global gate, entered, passed
    gate, entered, passed = asyncio.Event(), asyncio.Event(), asyncio.Event()
    monkeypatch.setattr(telegram_adapter, "STOP_WAIT", 0.2)
    url = f"sqlite://{tmp_path}/bot.sqlite3"
    clock = FakeClock(DEFAULT_START)
    async with FakeTelegramServer(TOKEN, "qunbot_test", privacy_mode=False, now=clock.now) as tg:
        tg.add_chat(GROUP, "Test Group")
        tg.add_chat(OTHER, "Other Group")
        add_members(tg)
        async with running(telegram_app(tg, ["points", slow], CONFIG, clock=clock, database_url=url),
                           tg, clock):
            # One batch: Bob's update is handled, Ann's still is when the bot stops.
            tg.user_says(GROUP, ANN, "hold on, talking")
            tg.user_says(OTHER, BOB, TALK)
            async with asyncio.timeout(5):
                await entered.wait()
                await passed.wait()
        # The stop made Bob's update handled with his award; Ann's award went with her update,
        # which Telegram sends again (and Bob's, which the next run skips).
        assert await ledger_rows(tmp_path) == [(str(BOB), 20)]
        gate.set()
        async with running(telegram_app(tg, ["points", slow], CONFIG, clock=clock, database_url=url),
                           tg, clock) as bot:
            await bot.settle()
        assert await ledger_rows(tmp_path) == [(str(BOB), 20), (str(ANN), 20)]
        assert tg.pending() == 0


async def ledger_rows(tmp_path) -> list[tuple[str, int]]:
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        return db.execute("SELECT user_id, balance_after FROM points_ledger ORDER BY id").fetchall()


@pytest.mark.plugins("points")
@pytest.mark.bot_config({"bot": {"locale": "en"}, "plugins": {"points": {"xp_min": 20, "xp_max": 20}}})
@pytest.mark.both_databases
async def test_an_award_waiting_for_its_batch_goes_with_the_members_data(fake):
    await fake.say(":locale en")
    # As the Telegram adapter handles an update: what it writes waits for the confirming batch.
    with delivery():
        await fake.say("bob: talking about the release")
    assert await LedgerEntry.filter(user_id="bob").count() == 0
    await fake.say("bob: /forgetme")
    assert await fake.say("bob click Delete my data") == ["Done: your data is deleted."]
    await fake.app.save_state("test:batch", "confirmed")  # the batch that confirms the update
    assert await LedgerEntry.filter(user_id="bob").count() == 0
    assert await Activity.filter(user_id="bob").count() == 0
    assert await RosterMember.filter(user_id="bob").count() == 0
    assert await find_mismatches() == []
