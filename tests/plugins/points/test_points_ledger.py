"""The ledger through the Points service, on SQLite and on PostgreSQL: no overdraft under
concurrency, idempotency keys, transfers that sum to zero, hooks, and verify."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.functions import Sum

from bot import hookimpl
from plugins.points import InsufficientPoints, LedgerResult, Points
from plugins.points.maintenance import find_mismatches, verify
from plugins.points.models import Balance, LedgerEntry

pytestmark = pytest.mark.plugins("points")
P, G = "console", "lobby"


@pytest.fixture(params=["sqlite", "postgres"])
def bot_database_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return "sqlite://:memory:"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def points(bot_app) -> Points:
    return bot_app.service(Points)


async def test_concurrent_transfers_never_overdraw(points):
    await points.earn(P, G, "alice", 500, key="seed:alice", reason="seed", plugin="test")
    receivers = [f"m{i}" for i in range(10)]

    async def send(i: int) -> bool:
        try:
            await points.transfer(
                P, G, "alice", receivers[i % 10], 12, key=f"t:{i}", reason="race", plugin="test"
            )
            return True
        except InsufficientPoints:
            return False

    outcomes = await asyncio.gather(*(send(i) for i in range(100)))
    assert sum(outcomes) == 500 // 12  # exactly the affordable ones: 41
    assert await points.balance(P, G, "alice") == 500 - 41 * 12
    assert await Balance.filter(balance__lt=0).count() == 0
    received = sum([await points.balance(P, G, r) for r in receivers])
    assert received == 41 * 12
    transfers = await LedgerEntry.filter(kind="transfer").annotate(s=Sum("amount")).first().values("s")
    assert transfers["s"] == 0  # every transfer is two entries summing to zero
    assert await find_mismatches() == []


async def test_concurrent_spends_race_for_the_last_points(points):
    await points.earn(P, G, "bob", 30, key="seed:bob", reason="seed", plugin="test")

    async def spend(i: int) -> LedgerResult | None:
        try:
            return await points.spend(P, G, "bob", 7, key=f"s:{i}", reason="shop", plugin="test")
        except InsufficientPoints:
            return None

    results = await asyncio.gather(*(spend(i) for i in range(20)))
    assert len([r for r in results if r]) == 4
    assert await points.balance(P, G, "bob") == 2
    assert await find_mismatches() == []


async def test_same_key_twice_applies_once_and_returns_the_first_result(points):
    first = await points.earn(P, G, "carol", 40, key="checkin:carol:d1", reason="check-in", plugin="test")
    again = await points.earn(P, G, "carol", 40, key="checkin:carol:d1", reason="check-in", plugin="test")
    assert first.applied and not again.applied
    assert (again.amount, again.balance, again.entry_id) == (40, 40, first.entry_id)
    spent = await points.spend(P, G, "carol", 15, key="buy:1", reason="shop", plugin="test")
    await points.earn(P, G, "carol", 5, key="later", reason="x", plugin="test")
    repeat = await points.spend(P, G, "carol", 15, key="buy:1", reason="shop", plugin="test")
    assert not repeat.applied and repeat.balance == spent.balance == 25
    assert await points.balance(P, G, "carol") == 30
    assert await LedgerEntry.filter(user_id="carol").count() == 3


async def test_concurrent_duplicates_of_one_key_apply_once(points):
    results = await asyncio.gather(
        *(points.earn(P, G, "dan", 10, key="dup", reason="r", plugin="test") for _ in range(10))
    )
    assert sum(r.applied for r in results) == 1
    assert {r.entry_id for r in results} == {results[0].entry_id}
    assert await points.balance(P, G, "dan") == 10


async def test_insufficient_spend_changes_nothing(points):
    await points.earn(P, G, "erin", 10, key="e", reason="r", plugin="test")
    with pytest.raises(InsufficientPoints) as info:
        await points.spend(P, G, "erin", 11, key="too-much", reason="r", plugin="test")
    assert (info.value.balance, info.value.needed) == (10, 11)
    assert await points.balance(P, G, "erin") == 10
    assert not await LedgerEntry.filter(key="too-much").exists()
    # The key was not used: the same purchase can succeed once the member can afford it.
    await points.earn(P, G, "erin", 1, key="e2", reason="r", plugin="test")
    assert (await points.spend(P, G, "erin", 11, key="too-much", reason="r", plugin="test")).applied


async def test_penalty_below_zero_only_when_allowed(points):
    with pytest.raises(InsufficientPoints):
        await points.penalty(P, G, "fay", 5, key="p1", reason="spam", plugin="test")
    result = await points.penalty(P, G, "fay", 5, key="p2", reason="spam", plugin="test", allow_negative=True)
    assert result.balance == -5
    assert await find_mismatches() == []


async def test_refund_and_bad_amounts(points):
    for bad in (0, -3):
        with pytest.raises(ValueError):
            await points.earn(P, G, "gus", bad, key=f"bad{bad}", reason="r", plugin="test")
    with pytest.raises(ValueError):
        await points.transfer(P, G, "gus", "gus", 1, key="self", reason="r", plugin="test")
    await points.refund(P, G, "gus", 9, key="refund", reason="packet expired", plugin="test")
    standing = await points.standing(P, G, "gus")
    assert (standing.balance, standing.lifetime_xp) == (9, 0)  # a refund is not activity


async def test_transfer_does_not_raise_level_and_spending_does_not_lower_it(points):
    await points.earn(P, G, "rich", 5000, key="seed", reason="r", plugin="test", xp=0)
    await points.earn(P, G, "hal", 255, key="hal", reason="r", plugin="test")  # 100 + 155: level 2
    assert (await points.standing(P, G, "hal")).level == 2
    await points.transfer(P, G, "rich", "hal", 4000, key="gift", reason="r", plugin="test")
    await points.spend(P, G, "hal", 4205, key="big", reason="r", plugin="test")
    hal = await points.standing(P, G, "hal")
    assert (hal.balance, hal.lifetime_xp, hal.level) == (50, 255, 2)
    assert (await points.standing(P, G, "rich")).level == 0


async def test_group_scope_keeps_groups_apart(points):
    await points.earn(P, "g1", "ivy", 10, key="a", reason="r", plugin="test")
    assert await points.balance(P, "g2", "ivy") == 0


@pytest.mark.bot_config({"plugins": {"points": {"scope": "global"}}})
async def test_global_scope_shares_one_balance(points):
    await points.earn(P, "g1", "ivy", 10, key="a", reason="r", plugin="test")
    await points.spend(P, "g2", "ivy", 4, key="b", reason="r", plugin="test")
    assert await points.balance(P, "g3", "ivy") == await points.balance(P, None, "ivy") == 6


async def test_hooks_see_committed_changes(bot_app, points):
    seen: list[tuple] = []

    class Listener:
        @hookimpl
        async def points_changed(self, platform, guild_id, user_id, amount, balance, kind, plugin):
            # After the commit: the balance is already readable.
            assert await points.balance(platform, guild_id, user_id) == balance
            seen.append((user_id, amount, balance, kind, plugin))

        @hookimpl
        def level_up(self, platform, guild_id, user_id, level, title):
            seen.append(("level", user_id, level, title))

    bot_app.hooks.register(Listener(), "listener")
    await points.earn(P, G, "jo", 120, key="k1", reason="r", plugin="checkin")
    await points.transfer(P, G, "jo", "kim", 20, key="k2", reason="r", plugin="test")
    assert seen == [
        ("jo", 120, 120, "earn", "checkin"),
        ("level", "jo", 1, "新人"),
        ("jo", -20, 100, "transfer", "test"),
        ("kim", 20, 20, "transfer", "test"),
    ]


async def test_verify_reports_a_corrupted_balance(bot_app, points, capsys):
    await points.earn(P, G, "lee", 30, key="k", reason="r", plugin="test")
    assert await verify(bot_app, []) == 0
    await Balance.filter(user_id="lee").update(balance=31)
    assert await verify(bot_app, []) == 1
    out = capsys.readouterr().out
    assert "console:lobby:lee: balance 31 but ledger 30" in out
