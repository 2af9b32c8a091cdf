"""A member who asks to be forgotten, and a group that changes id (a Telegram group upgraded to
a supergroup), on SQLite and on PostgreSQL: rows go or stay where they are, and the ledger
still verifies."""

from __future__ import annotations

import pytest

from bot import GroupRef, MemberRef
from plugins.points import Points
from plugins.points.maintenance import find_mismatches, verify
from plugins.points.models import Activity, Balance, LedgerEntry

P, OLD, NEW = "console", "lobby", "-100777"
EN = {"bot": {"locale": "en"}, "plugins": {"points": {"xp_min": 20, "xp_max": 20}}}
pytestmark = [
    pytest.mark.plugins("points"), pytest.mark.bot_config(EN),
    pytest.mark.both_databases,
]


async def standing(fake, user: str, group: str = OLD):
    points = fake.app.scope("points").service(Points)
    return await points.standing(MemberRef(P, user, GroupRef(P, group, group)))


@pytest.fixture
async def chat(fake):
    """Both spoke once (20 each); alice gave bob 50, bob paid alice 15: alice 35, bob 55."""
    fake.admin("alice")
    await fake.say(
        f":group {OLD}", ":locale en", "alice: hello everyone", "bob: hi alice, nice to meet you",
        "alice: /points give @bob 50 welcome", "bob: /points pay @alice 15",
    )
    return fake


async def test_forgetting_a_member_deletes_their_points_and_entries_and_keeps_the_others(chat):
    fake = chat
    await fake.app.scope("points").forget_user(P, "bob")
    assert await Balance.filter(platform=P, user_id="bob").count() == 0
    assert await LedgerEntry.filter(platform=P, user_id="bob").count() == 0
    assert await Activity.filter(platform=P, user_id="bob").count() == 0
    assert await LedgerEntry.filter(actor=f"{P}:bob").count() == 0  # not even as payer
    # Alice keeps everything, including the 15 bob paid her (her entry stays, his is gone).
    assert (await standing(fake, "alice")).balance == 35
    assert await LedgerEntry.filter(platform=P, user_id="alice").count() == 2
    assert await find_mismatches() == []
    (card,) = await fake.say(f":group {OLD}", "bob: /me")  # bob, back, starts from nothing
    assert "Points: 0 · XP: 0" in card
    # The service forgot his rows and his cooldown too: he earns again, exactly.
    await fake.clock.advance(60)
    await fake.say("bob: talking again after coming back")
    assert (await standing(fake, "bob")).lifetime_xp == 20
    assert await find_mismatches() == []


async def test_forgetting_through_forgetme(chat):
    fake = chat
    await fake.say("bob: /forgetme")
    assert await fake.say("bob click Delete my data") == ["Done: your data is deleted."]
    assert await Balance.filter(platform=P, user_id="bob").count() == 0
    assert await find_mismatches() == []


async def test_a_migrated_group_keeps_every_balance_without_moving_a_row(chat):
    fake = chat
    assert await fake.app.migrate_guild(P, OLD, NEW) is True
    rows = set(await Balance.filter(platform=P).values_list("scope", "user_id", "balance"))
    assert rows == {(OLD, "alice", 35), (OLD, "bob", 55)}  # the group's key stays
    assert await verify(fake.app.scope("points"), []) == 0

    # Members carry on in the group under its new id: their history, the board and XP.
    (history,) = await fake.say(f":group {NEW}", "bob: /points history")
    assert "+50" in history and "-15" in history
    (board,) = await fake.say("bob: /top")
    assert board.splitlines()[1:] == ["1. alice — Lv.0 Newcomer · 20 XP", "2. bob — Lv.0 Newcomer · 20 XP"]
    await fake.clock.advance(30)
    await fake.say("bob: still within bob's minute")  # the cooldown carries over
    assert (await standing(fake, "bob")).lifetime_xp == 20
    await fake.clock.advance(30)
    await fake.say("bob: a minute after bob's last award")
    assert (await standing(fake, "bob")).lifetime_xp == 40
    (card,) = await fake.say("alice: /me")
    assert "Points: 35 · XP: 20" in card
    assert await LedgerEntry.filter(platform=P).exclude(guild_id=OLD).count() == 0
    assert await find_mismatches() == []
