"""A group that changes id (a Telegram group upgraded to a supergroup) and a member who asks to
be forgotten, on SQLite and on PostgreSQL: rows move or go, and the ledger still verifies."""

from __future__ import annotations

import pytest

from plugins.points import Points
from plugins.points.maintenance import find_mismatches, verify
from plugins.points.models import Activity, Balance, LedgerEntry

P, OLD, NEW = "console", "lobby", "-100777"
EN = {"bot": {"locale": "en"}, "plugins": {"points": {"xp_min": 20, "xp_max": 20}}}
pytestmark = [pytest.mark.plugins("points"), pytest.mark.bot_config(EN)]


@pytest.fixture(params=["sqlite", "postgres"])
def bot_database_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return "sqlite://:memory:"
    return request.getfixturevalue("pg_url")


async def standing(fake, user: str, group: str):
    return await fake.app.service(Points).standing(P, group, user)


@pytest.fixture
async def two_groups(fake):
    """In the old group: alice 20 + 50 given - 15 paid, bob 20 + 15. Alice was also seen in the
    new group before the migration notice: 20 there."""
    fake.admin("alice")
    await fake.say(
        f":group {OLD}", ":locale en", "alice: hello everyone", "bob: hi alice, nice to meet you",
        "alice: /points give @bob 50 welcome", "bob: /points pay @alice 15",
    )
    await fake.say(f":group {NEW}", ":locale en", "alice: is this the new group?")
    return fake


async def test_a_migrated_group_keeps_every_balance_and_merges_rows_seen_under_the_new_id(two_groups):
    fake = two_groups
    assert (await standing(fake, "alice", OLD)).balance == 35
    assert (await standing(fake, "bob", OLD)).balance == 55
    assert await fake.app.migrate_guild(P, OLD, NEW) is True
    assert await fake.app.migrate_guild(P, OLD, NEW) is False  # once per pair

    alice, bob = await standing(fake, "alice", NEW), await standing(fake, "bob", NEW)
    assert (alice.balance, alice.lifetime_xp) == (35 + 20, 20 + 20)
    assert (bob.balance, bob.lifetime_xp) == (55, 20)
    for model in (Balance, LedgerEntry):
        assert await model.filter(platform=P, scope=OLD).count() == 0
    assert await LedgerEntry.filter(platform=P, guild_id=OLD).count() == 0
    assert await Activity.filter(platform=P, guild_id=OLD).count() == 0
    assert await Balance.filter(platform=P, scope=NEW, user_id="alice").count() == 1
    assert await find_mismatches() == []
    assert await verify(fake.app, []) == 0

    # Members carry on in the new group: their history, the board and XP are all there.
    (history,) = await fake.say(f":group {NEW}", "bob: /points history")
    assert "+50" in history and "-15" in history
    (board,) = await fake.say("bob: /top")
    first, second = board.splitlines()[1:]
    assert first.startswith("1. alice") and first.endswith("40 XP")
    assert second.startswith("2. bob") and second.endswith("20 XP")
    await fake.clock.advance(60)
    await fake.say("alice: talking in the new group")
    assert (await standing(fake, "alice", NEW)).lifetime_xp == 60
    assert await find_mismatches() == []


async def test_a_late_credit_under_the_old_id_after_the_migration_stays_consistent(two_groups):
    # The service had cached alice's old balance row, which the merge deleted.
    fake = two_groups
    await fake.app.migrate_guild(P, OLD, NEW)
    points = fake.app.service(Points)
    await points.earn(P, OLD, "alice", 5, key="test:late", reason="late", plugin="test")
    assert await points.balance(P, OLD, "alice") == 5
    assert await find_mismatches() == []


async def test_the_cooldown_carries_over_a_migration(two_groups):
    fake = two_groups
    await fake.app.migrate_guild(P, OLD, NEW)
    await fake.clock.advance(30)
    await fake.say(f":group {NEW}", "bob: still within bob's minute")  # bob's award moved with him
    assert (await standing(fake, "bob", NEW)).lifetime_xp == 20
    await fake.clock.advance(30)
    await fake.say("bob: a minute after bob's last award")
    assert (await standing(fake, "bob", NEW)).lifetime_xp == 40


async def test_forgetting_a_member_deletes_their_points_and_entries_and_keeps_the_others(two_groups):
    fake = two_groups
    await fake.app.delete_user_data(P, "bob")
    assert await Balance.filter(platform=P, user_id="bob").count() == 0
    assert await LedgerEntry.filter(platform=P, user_id="bob").count() == 0
    assert await Activity.filter(platform=P, user_id="bob").count() == 0
    assert await LedgerEntry.filter(actor=f"{P}:bob").count() == 0  # not even as payer
    # Alice keeps everything, including the 15 bob paid her (her entry stays, his is gone).
    assert (await standing(fake, "alice", OLD)).balance == 35
    assert await LedgerEntry.filter(platform=P, user_id="alice").count() == 3
    assert await find_mismatches() == []
    (card,) = await fake.say(f":group {OLD}", "bob: /me")  # bob, back, starts from nothing
    assert "Points: 0 · XP: 0" in card
