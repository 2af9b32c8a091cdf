"""Message-XP awards written together (group commit) keep every rule of one award at a time:
the same ledger as sequential processing, one award per member per cooldown, a taken key
that loses nothing else, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest

from bot import Channel, ChannelType, GroupRef, Guild, MemberRef, Message, MessageCreated, User
from bot.testing import make_app
from bot.testing.driver import DEFAULT_START
from plugins.points import Points
from plugins.points.maintenance import find_mismatches
from plugins.points.models import Activity, Balance, LedgerEntry

FIXED_20 = {"plugins": {"points": {"xp_min": 20, "xp_max": 20, "min_length": 3}}}
pytestmark = [
    pytest.mark.plugins("points"), pytest.mark.bot_config(FIXED_20),
    pytest.mark.both_databases,
]


def message(n: int, user: str, group: str, seconds: float) -> MessageCreated:
    at = DEFAULT_START + timedelta(seconds=seconds)
    return MessageCreated(
        platform="console", self_id="qunbot", timestamp=at, guild=Guild(group, group),
        channel=Channel(group, ChannelType.TEXT, group), user=User(user, user),
        message=Message(id=str(n), text="talking about the release", created_at=at),
    )


def chatter(count: int = 600) -> list[MessageCreated]:
    """30 members in 3 groups, a message every 2 s: some within their cooldown, some not."""
    rng = random.Random(5)
    events = []
    for n in range(count):
        member = rng.randrange(30)
        group = member % 3 if rng.random() < 0.7 else rng.randrange(3)
        events.append(message(n, f"m{member}", f"g{group}", 2 * n))
    return events


async def ledger_after(events: list[MessageCreated], database_url: str, lanes: bool) -> tuple[set, set]:
    app, console = make_app(["points"], FIXED_20, database_url=database_url)
    await app.start()
    try:
        if lanes:  # one lane per group, side by side, as the Telegram adapter handles chats
            console.clock.set(events[-1].timestamp)
            groups: dict[str, list[MessageCreated]] = {}
            for event in events:
                assert event.guild is not None
                groups.setdefault(event.guild.id, []).append(event)

            async def lane(queue: list[MessageCreated]) -> None:
                for event in queue:
                    await app.dispatch(event)

            await asyncio.gather(*(lane(queue) for queue in groups.values()))
        else:
            for event in events:
                console.clock.set(event.timestamp)
                await app.dispatch(event)
        assert await find_mismatches() == []
        entries = set(
            await LedgerEntry.all().values_list("user_id", "guild_id", "amount", "xp", "key", "balance_after")
        )
        balances = set(await Balance.all().values_list("scope", "user_id", "balance", "lifetime_xp", "level"))
    finally:
        await app.stop()
    return entries, balances


async def test_lanes_write_exactly_the_ledger_of_one_message_at_a_time(bot_database_url, tmp_path):
    events = chatter()
    sequential = await ledger_after(events, f"sqlite://{tmp_path}/sequential.sqlite3", lanes=False)
    concurrent = await ledger_after(events, bot_database_url, lanes=True)
    assert concurrent == sequential
    entries, _ = sequential
    assert 100 < len(entries) < len(events)  # the cooldown held some back, and not all


LOBBY = GroupRef("console", "lobby", "lobby")


def points_of(fake) -> Points:
    return fake.app.scope("points").service(Points)


async def xp_of(fake, user: str) -> int:
    return (await points_of(fake).standing(MemberRef("console", user, LOBBY))).lifetime_xp


async def test_two_messages_of_a_member_written_together_award_once(fake):
    await fake.say("alice: hello", "bob: hello", "carol: hello")  # all three known, rows exist
    await fake.clock.advance(60)
    start = (fake.clock.now() - DEFAULT_START).total_seconds()
    await asyncio.gather(*(
        fake.app.dispatch(message(100 + n, user, "lobby", start + n / 10))
        for n, user in enumerate(["alice", "bob", "alice", "carol", "alice"])
    ))
    assert [await xp_of(fake, user) for user in ("alice", "bob", "carol")] == [40, 40, 40]
    assert await LedgerEntry.filter(user_id="alice").count() == 2
    assert await find_mismatches() == []


@pytest.mark.bot_config({"plugins": {"points": {"xp_min": 20, "xp_max": 20, "cooldown_seconds": 0}}})
async def test_without_a_cooldown_every_message_of_a_burst_counts_in_order(fake):
    # Each award waits for the member's previous one, and builds on the balance it left.
    await asyncio.gather(*(fake.app.dispatch(message(n, "alice", "lobby", 0)) for n in range(5)))
    entries = LedgerEntry.filter(user_id="alice").order_by("id")
    balances = await entries.values_list("balance_after", flat=True)
    assert balances == [20, 40, 60, 80, 100]
    assert await find_mismatches() == []


async def test_a_key_already_taken_loses_only_its_own_award(fake):
    await fake.say("alice: hello", "bob: hello", "carol: hello")
    await fake.clock.advance(60)
    start = (fake.clock.now() - DEFAULT_START).total_seconds()
    burst = [message(200 + n, user, "lobby", start) for n, user in enumerate(["alice", "bob", "carol"])]
    # Bob's message was credited already (under its key) by another process.
    millis = int(burst[1].timestamp.timestamp() * 1000)
    await points_of(fake).credit(
        MemberRef("console", "bob", LOBBY), 20, xp=20, kind="earn",
        key=f"points:xp:console:lobby:201:{millis}", reason="activity",
    )
    await asyncio.gather(*(fake.app.dispatch(event) for event in burst))
    assert [await xp_of(fake, user) for user in ("alice", "bob", "carol")] == [40, 40, 40]
    assert await find_mismatches() == []


async def test_an_award_another_process_made_meanwhile_is_not_made_again(fake):
    await fake.say("alice: hello", "bob: hello")
    await fake.clock.advance(60)
    # Another bot process sharing the database has just awarded alice in the lobby.
    row = await Activity.get(user_id="alice")
    await Activity.filter(id=row.id).update(awards=row.awards + 1, last_award_at=fake.clock.now())
    start = (fake.clock.now() - DEFAULT_START).total_seconds()
    burst = [message(300 + n, user, "lobby", start) for n, user in enumerate(["alice", "bob"])]
    await asyncio.gather(*(fake.app.dispatch(event) for event in burst))
    assert [await xp_of(fake, user) for user in ("alice", "bob")] == [20, 40]
    # Her cooldown now runs from the other process's award; past it she earns again.
    await fake.clock.advance(60)
    await fake.app.dispatch(message(310, "alice", "lobby", start + 60))
    assert await xp_of(fake, "alice") == 40
    assert await find_mismatches() == []
