"""SQLite locked by another process for longer than the busy timeout: the core's writes (the
roster, the accounts) and the plugins' are retried with backoff, nothing escapes, every member
is recorded or answered, the ledger stays consistent (issue 18, items 3 and 4)."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from bot import Channel, CommandInvoked, Guild, Message, MessageCreated, User
from bot.storage.models import RosterMember
from plugins.checkin.models import CheckIn
from plugins.points.maintenance import find_mismatches
from tests.core.sqlite_lock import HOLD_SECONDS, hold_write_lock, locked_database_url

CONFIG = {"bot": {"command_rate": 1000}, "plugins": {"points": {"announce_level_up": False}}}
pytestmark = [pytest.mark.plugins("checkin"), pytest.mark.bot_config(CONFIG)]


@pytest.fixture
def bot_database_url(tmp_path):
    return locked_database_url(tmp_path / "bot.db")


def _base(user: str, number: int, at: datetime) -> dict:
    return dict(
        platform="console", self_id="qunbot", timestamp=at, guild=Guild("lobby", "lobby"),
        channel=Channel("lobby"), user=User(id=user, name=user, username=user),
    )


def checkin(user: str, number: int, at: datetime) -> CommandInvoked:
    return CommandInvoked(
        **_base(user, number, at), name="checkin", text="",
        message=Message(id=str(number), text="/checkin", created_at=at),
    )


def chat(user: str, number: int, at: datetime) -> MessageCreated:
    message = Message(id=str(number), text="hi", created_at=at)
    return MessageCreated(**_base(user, number, at), message=message)


async def test_a_write_lock_held_past_the_busy_timeout_loses_nothing(fake, tmp_path):
    now = fake.clock.now()
    await fake.app.dispatch(chat("warmup", 1, now))  # the group exists before the lock
    holder = await hold_write_lock(tmp_path / "bot.db", HOLD_SECONDS)
    try:
        names = [f"m{i:02d}" for i in range(12)]
        events = [checkin(name, 100 + i, now) for i, name in enumerate(names)]
        events += [chat(f"talker{i}", 200 + i, now) for i in range(4)]
        # Never escapes: dispatch returns normally for every event, within a bounded time.
        await asyncio.wait_for(asyncio.gather(*(fake.app.dispatch(e) for e in events)), 60)
        await asyncio.wait_for(fake.app.flush(), 30)
    finally:
        await asyncio.wait_for(holder.wait(), 30)
    assert holder.returncode == 0
    recorded = set(await CheckIn.all().values_list("user_id", flat=True))
    unanswered = [
        n for n in names
        if n not in recorded and not any(n in o.text or o.channel == f"dm:{n}" for o in fake.outputs)
    ]
    assert unanswered == []
    assert recorded == set(names)  # the lock went away within the retries: all recorded
    talkers = set(await RosterMember.filter(user_id__startswith="talker").values_list("user_id", flat=True))
    assert talkers == {f"talker{i}" for i in range(4)}
    assert await find_mismatches() == []
