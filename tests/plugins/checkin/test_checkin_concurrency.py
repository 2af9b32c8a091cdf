"""Concurrent taps, redelivered updates: one check-in, one payment."""

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import Channel, CommandInvoked, GroupRef, Guild, MemberRef, Message, MessageCreated, User
from plugins.checkin.models import CheckIn
from plugins.points import Points

POINTS = {"activity_points": "none", "announce_level_up": False}
CONFIG = {"bot": {"command_rate": 100}, "plugins": {"points": POINTS}}
pytestmark = [pytest.mark.plugins("checkin"), pytest.mark.bot_config(CONFIG)]
SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_TENTH = datetime(2026, 3, 2, 23, 59, 59, 900_000, tzinfo=SHANGHAI)


def word(user: str, message_id: int, at: datetime, delivery_id: str | None = None) -> MessageCreated:
    return MessageCreated(
        platform="console",
        self_id="qunbot",
        timestamp=at,
        guild=Guild("lobby", "lobby"),
        channel=Channel("lobby"),
        user=User(id=user, name=user, username=user),
        message=Message(id=str(message_id), text="签到", created_at=at),
        delivery_id=delivery_id,
    )


def command(user: str, message_id: int, at: datetime) -> CommandInvoked:
    return CommandInvoked(
        platform="console",
        self_id="qunbot",
        timestamp=at,
        guild=Guild("lobby", "lobby"),
        channel=Channel("lobby"),
        user=User(id=user, name=user, username=user),
        name="checkin",
        text="",
        message=Message(id=str(message_id), text="/checkin", created_at=at),
    )


LOBBY = GroupRef("console", "lobby", "lobby")


async def balance(fake, user):
    return await fake.app.scope("points").service(Points).balance(MemberRef("console", user, LOBBY))


async def concurrent_taps_count_once(fake):
    # Sent at 23:59:59.9 local, handled a moment after midnight.
    fake.clock.set(LAST_TENTH + timedelta(seconds=1))
    events = [
        word("alice", 1000 + i, LAST_TENTH) if i % 2 else command("alice", 1000 + i, LAST_TENTH)
        for i in range(50)
    ]
    await asyncio.gather(*(fake.app.dispatch(e) for e in events))
    texts = [o.text for o in fake.outputs]
    assert sum("签到成功" in t for t in texts) == 1
    assert sum("今天已经签到过了" in t for t in texts) == 49
    assert await balance(fake, "alice") == 20
    assert await CheckIn.filter(user_id="alice").count() == 1
    # It counted for the day it was sent: a check-in in the new day makes a streak of 2.
    [reply] = await fake.say("alice: /checkin")
    assert "连续签到 2 天" in reply


async def test_50_concurrent_checkins_of_one_member_at_23_59_59_9(fake):
    await concurrent_taps_count_once(fake)


async def test_concurrent_members_get_distinct_places(fake):
    now = fake.clock.now()
    await asyncio.gather(*(fake.app.dispatch(word(f"m{i}", 2000 + i, now)) for i in range(20)))
    places = sorted(await CheckIn.all().values_list("place", flat=True))
    assert places == list(range(1, 21))
    paid = await asyncio.gather(*(balance(fake, f"m{i}") for i in range(20)))
    assert sum(paid) == 20 * 10 + 10 + 5 + 3


async def test_a_redelivered_update_pays_once(fake):
    now = fake.clock.now()
    first = word("alice", 3000, now, delivery_id="update-1")
    await fake.app.dispatch(first)
    await fake.app.dispatch(first)
    await asyncio.gather(
        fake.app.dispatch(word("bob", 3001, now, "update-2")),
        fake.app.dispatch(word("bob", 3001, now, "update-2")),
    )
    assert await balance(fake, "alice") == 20
    assert await balance(fake, "bob") == 15
    assert sum("签到成功" in o.text for o in fake.outputs) == 2


class TestPostgres:
    @pytest.fixture
    def bot_database_url(self, pg_url):
        return pg_url

    async def test_50_concurrent_checkins_on_postgres(self, fake):
        await concurrent_taps_count_once(fake)

    async def test_concurrent_members_get_distinct_places_on_postgres(self, fake):
        now = fake.clock.now()
        await asyncio.gather(*(fake.app.dispatch(word(f"m{i}", 2000 + i, now)) for i in range(20)))
        assert sorted(await CheckIn.all().values_list("place", flat=True)) == list(range(1, 21))
        paid = await asyncio.gather(*(balance(fake, f"m{i}") for i in range(20)))
        assert sum(paid) == 20 * 10 + 10 + 5 + 3


async def test_a_channel_identity_or_a_bot_cannot_check_in(fake):
    # An anonymous admin or a linked channel posting /checkin is not a member: no check-in, no
    # points, no place taken from the members of the day.
    at = LAST_TENTH - timedelta(hours=1)
    channel = User(id="777000", name="channel", is_channel=True)
    for user in (channel, User(id="helper", name="helper", is_bot=True)):
        await fake.app.dispatch(replace(command("x", 1, at), user=user))
        assert await balance(fake, user.id) == 0
    assert await CheckIn.all().count() == 0
    await fake.app.dispatch(command("alice", 2, at))
    assert await CheckIn.filter(user_id="alice", place=1).exists()
