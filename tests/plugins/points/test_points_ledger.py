"""The ledger through the Points service, on SQLite and on PostgreSQL: no overdraft under
concurrency, idempotency keys, transfers that sum to zero, hooks, a caller's transaction, and
verify."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.functions import Sum

from bot import GroupRef, MemberRef, Plugin, hookimpl
from bot.storage.models import AuditEntry
from plugins.points import InsufficientPoints, LedgerResult, Points
from plugins.points import service as points_service
from plugins.points.maintenance import find_mismatches, verify
from plugins.points.models import Balance, LedgerEntry

P = "console"
G = GroupRef(P, "lobby", "lobby")

# A plugin that listens to the points hooks, as another plugin would.
seen: list[tuple] = []


class Listener:
    @hookimpl
    async def points_changed(self, scope, member, amount, balance, kind, plugin):
        # After the commit: the balance is already readable, through the listener's own handle.
        assert await scope.service(Points).balance(member) == balance
        seen.append((member.user_id, amount, balance, kind, plugin))

    @hookimpl
    def level_up(self, member, level, title):
        seen.append(("level", member.user_id, member.group, level, title))


listener = Plugin("listener", requires=("points",))
listener.hooks(Listener())
pytestmark = [
    pytest.mark.plugins("points", listener),
    pytest.mark.both_databases,
]


@pytest.fixture
def points(bot_app) -> Points:
    seen.clear()
    return bot_app.scope("listener").service(Points)


def m(user: str, group: GroupRef | None = G) -> MemberRef:
    return MemberRef(P, user, group)


async def test_concurrent_transfers_never_overdraw(points):
    await points.earn(m("alice"), 500, key="seed:alice", reason="seed")
    receivers = [f"m{i}" for i in range(10)]

    async def send(i: int) -> bool:
        try:
            await points.transfer(m("alice"), m(receivers[i % 10]), 12, key=f"t:{i}", reason="race")
            return True
        except InsufficientPoints:
            return False

    outcomes = await asyncio.gather(*(send(i) for i in range(100)))
    assert sum(outcomes) == 500 // 12  # exactly the affordable ones: 41
    assert await points.balance(m("alice")) == 500 - 41 * 12
    assert await Balance.filter(balance__lt=0).count() == 0
    received = sum([await points.balance(m(r)) for r in receivers])
    assert received == 41 * 12
    transfers = await LedgerEntry.filter(kind="transfer").annotate(s=Sum("amount")).first().values("s")
    assert transfers["s"] == 0  # every transfer is two entries summing to zero
    assert await find_mismatches() == []


async def test_transfers_that_know_the_rows_and_transfers_that_look_them_up_do_not_deadlock(points):
    # A transfer that has both row ids cached locks the rows in id order; one that looks a row up
    # (its id not remembered yet) must not lock it on the way, or the two wait on each other.
    receivers = [f"r{i}" for i in range(6)]
    for user in ["alice", *receivers]:
        await points.earn(m(user), 1000, key=f"seed:{user}", reason="seed")

    async def send(i: int) -> None:
        if i % 2 == 0:
            points._rows.clear()  # as after a restart: the rows exist, their ids are not known
        await points.transfer(m("alice"), m(receivers[i % 6]), 1, key=f"t:{i}", reason="race")

    await asyncio.gather(*(send(i) for i in range(600)))
    assert await points.balance(m("alice")) == 1000 - 600
    assert sum([await points.balance(m(r)) for r in receivers]) == 6 * 1000 + 600
    assert await find_mismatches() == []


async def test_concurrent_spends_race_for_the_last_points(points):
    await points.earn(m("bob"), 30, key="seed:bob", reason="seed")

    async def spend(i: int) -> LedgerResult | None:
        try:
            return await points.spend(m("bob"), 7, key=f"s:{i}", reason="shop")
        except InsufficientPoints:
            return None

    results = await asyncio.gather(*(spend(i) for i in range(20)))
    assert len([r for r in results if r]) == 4
    assert await points.balance(m("bob")) == 2
    assert await find_mismatches() == []


async def test_same_key_twice_applies_once_and_returns_the_first_result(points):
    first = await points.earn(m("carol"), 40, key="checkin:carol:d1", reason="check-in")
    again = await points.earn(m("carol"), 40, key="checkin:carol:d1", reason="check-in")
    assert first.applied and not again.applied
    assert (again.amount, again.balance, again.entry_id) == (40, 40, first.entry_id)
    spent = await points.spend(m("carol"), 15, key="buy:1", reason="shop")
    await points.earn(m("carol"), 5, key="later", reason="x")
    repeat = await points.spend(m("carol"), 15, key="buy:1", reason="shop")
    assert not repeat.applied and repeat.balance == spent.balance == 25
    assert await points.balance(m("carol")) == 30
    assert await LedgerEntry.filter(user_id="carol").count() == 3


async def test_concurrent_duplicates_of_one_key_apply_once(points):
    results = await asyncio.gather(*(points.earn(m("dan"), 10, key="dup", reason="r") for _ in range(10)))
    assert sum(r.applied for r in results) == 1
    assert {r.entry_id for r in results} == {results[0].entry_id}
    assert await points.balance(m("dan")) == 10


async def test_insufficient_spend_changes_nothing(points):
    await points.earn(m("erin"), 10, key="e", reason="r")
    with pytest.raises(InsufficientPoints) as info:
        await points.spend(m("erin"), 11, key="too-much", reason="r")
    assert (info.value.balance, info.value.needed) == (10, 11)
    assert await points.balance(m("erin")) == 10
    assert not await LedgerEntry.filter(key="too-much").exists()
    # The key was not used: the same purchase can succeed once the member can afford it.
    await points.earn(m("erin"), 1, key="e2", reason="r")
    assert (await points.spend(m("erin"), 11, key="too-much", reason="r")).applied


async def test_penalty_below_zero_only_when_allowed(points):
    with pytest.raises(InsufficientPoints):
        await points.penalty(m("fay"), 5, key="p1", reason="spam")
    result = await points.penalty(m("fay"), 5, key="p2", reason="spam", allow_negative=True)
    assert result.balance == -5
    assert await find_mismatches() == []


async def test_refund_and_bad_amounts(points):
    for bad in (0, -3):
        with pytest.raises(ValueError):
            await points.earn(m("gus"), bad, key=f"bad{bad}", reason="r")
    with pytest.raises(ValueError):
        await points.transfer(m("gus"), m("gus"), 1, key="self", reason="r")
    with pytest.raises(ValueError):  # points are kept per group: a member needs one
        await points.earn(m("gus", None), 1, key="nowhere", reason="r")
    with pytest.raises(ValueError):  # and a transfer stays in one group's balances
        await points.transfer(m("gus"), m("hal", GroupRef(P, "other", "other")), 1, key="x", reason="r")
    await points.refund(m("gus"), 9, key="refund", reason="packet expired")
    standing = await points.standing(m("gus"))
    assert (standing.balance, standing.lifetime_xp) == (9, 0)  # a refund is not activity


async def test_transfer_does_not_raise_level_and_spending_does_not_lower_it(points):
    await points.earn(m("rich"), 5000, key="seed", reason="r", xp=0)
    await points.earn(m("hal"), 255, key="hal", reason="r")  # 100 + 155: level 2
    assert (await points.standing(m("hal"))).level == 2
    await points.transfer(m("rich"), m("hal"), 4000, key="gift", reason="r")
    await points.spend(m("hal"), 4205, key="big", reason="r")
    hal = await points.standing(m("hal"))
    assert (hal.balance, hal.lifetime_xp, hal.level) == (50, 255, 2)
    assert (await points.standing(m("rich"))).level == 0


async def test_group_scope_keeps_groups_apart(points):
    await points.earn(m("ivy", GroupRef(P, "g1", "g1")), 10, key="a", reason="r")
    assert await points.balance(m("ivy", GroupRef(P, "g2", "g2"))) == 0


async def test_balances_follow_the_groups_key_not_its_current_id(points):
    # A Telegram group upgraded to a supergroup: a new id, the same key, the same balances.
    before, after = GroupRef(P, "-1001", "-1001"), GroupRef(P, "-1001", "-100999")
    await points.earn(m("jan", before), 10, key="a", reason="r")
    await points.earn(m("jan", after), 5, key="b", reason="r")
    assert await points.balance(m("jan", before)) == 15
    entries = await LedgerEntry.filter(user_id="jan").values_list("scope", "guild_id")
    assert set(entries) == {("-1001", "-1001")}


@pytest.mark.bot_config({"plugins": {"points": {"scope": "global"}}})
async def test_global_scope_shares_one_balance(points):
    await points.earn(m("ivy", GroupRef(P, "g1", "g1")), 10, key="a", reason="r")
    await points.spend(m("ivy", GroupRef(P, "g2", "g2")), 4, key="b", reason="r")
    elsewhere = await points.balance(m("ivy", GroupRef(P, "g3", "g3")))
    assert elsewhere == await points.balance(m("ivy", None)) == 6


async def test_hooks_see_committed_changes_and_the_calling_plugin(bot_app, points):
    checkin = points.for_caller(bot_app.scope("points").for_plugin("checkin"))
    await checkin.earn(m("jo"), 120, key="k1", reason="r")
    await points.transfer(m("jo"), m("kim"), 20, key="k2", reason="r")
    assert seen == [
        ("jo", 120, 120, "earn", "checkin"),
        ("level", "jo", G, 1, "新人"),
        ("jo", -20, 100, "transfer", "listener"),
        ("kim", 20, 20, "transfer", "listener"),
    ]
    assert await LedgerEntry.filter(key="k1").values_list("plugin", flat=True) == ["checkin"]


# -- a caller's transaction ------------------------------------------------------------------------
async def test_a_callers_write_and_its_points_change_commit_and_roll_back_together(bot_app, points):
    caller = bot_app.scope("listener")
    async with caller.transaction() as tx:
        await caller.audit("listener.paid", "console:amy")  # the caller's own row
        result = await points.earn(m("amy"), 30, key="tx:1", reason="r", using=tx)
        assert result.applied and seen == []  # nothing is told before the commit
    assert seen == [("amy", 30, 30, "earn", "listener")]
    assert await AuditEntry.filter(action="listener.paid").count() == 1

    seen.clear()
    with pytest.raises(RuntimeError):
        async with caller.transaction() as tx:
            await caller.audit("listener.paid", "console:amy")
            await points.earn(m("amy"), 5, key="tx:2", reason="r", using=tx)
            await points.spend(m("amy"), 20, key="tx:3", reason="r", using=tx)
            raise RuntimeError("the caller's next step failed")
    # Neither the caller's row nor the points changes are there, and nobody was told.
    assert await AuditEntry.filter(action="listener.paid").count() == 1
    assert not await LedgerEntry.filter(key__in=["tx:2", "tx:3"]).exists()
    assert await points.balance(m("amy")) == 30
    assert seen == []
    assert await find_mismatches() == []


async def test_a_failed_change_in_a_callers_transaction_leaves_the_callers_part(bot_app, points):
    caller = bot_app.scope("listener")
    async with caller.transaction() as tx:
        await caller.audit("listener.tried", "console:bo")
        with pytest.raises(InsufficientPoints):  # bo has nothing (and no row yet)
            await points.spend(m("bo"), 5, key="tx:spend", reason="r", using=tx)
        await points.earn(m("bo"), 7, key="tx:earn", reason="r", using=tx)
    assert await AuditEntry.filter(action="listener.tried").count() == 1
    assert not await LedgerEntry.filter(key="tx:spend").exists()
    assert await points.balance(m("bo")) == 7
    # The row remembered after the commit is the one that exists.
    assert (await points.earn(m("bo"), 1, key="tx:again", reason="r")).balance == 8
    assert await find_mismatches() == []


async def test_a_row_created_in_a_rolled_back_transaction_is_not_remembered(bot_app, points):
    caller = bot_app.scope("listener")
    with pytest.raises(RuntimeError):
        async with caller.transaction() as tx:
            await points.earn(m("cy"), 3, key="gone", reason="r", using=tx)
            raise RuntimeError
    assert await Balance.filter(user_id="cy").count() == 0
    assert (await points.earn(m("cy"), 4, key="kept", reason="r")).balance == 4
    assert await find_mismatches() == []


async def test_a_key_taken_meanwhile_inside_a_callers_transaction(bot_app, points, monkeypatch):
    # Another process wrote the key between the check and the write: the write loses on the
    # unique index, only its savepoint rolls back, the caller's part commits.
    first = await points.earn(m("di"), 10, key="taken", reason="r")
    real = points_service._existing
    calls = []

    async def not_yet(key):
        calls.append(key)
        return None if len(calls) == 1 else await real(key)

    monkeypatch.setattr(points_service, "_existing", not_yet)
    caller = bot_app.scope("listener")
    async with caller.transaction() as tx:
        await caller.audit("listener.dup", "console:di")
        again = await points.earn(m("di"), 10, key="taken", reason="r", using=tx)
    assert (again.applied, again.entry_id, again.balance) == (False, first.entry_id, 10)
    assert await AuditEntry.filter(action="listener.dup").count() == 1
    assert await points.balance(m("di")) == 10
    assert await find_mismatches() == []


async def test_concurrent_callers_with_one_key_each_keep_their_own_rows(bot_app, points):
    caller = bot_app.scope("listener")

    async def pay(n: int) -> LedgerResult:
        async with caller.transaction() as tx:
            await caller.audit("listener.race", str(n))
            return await points.earn(m("ed"), 10, key="race", reason="r", using=tx)

    results = await asyncio.gather(*(pay(n) for n in range(5)))
    assert sum(r.applied for r in results) == 1
    assert await AuditEntry.filter(action="listener.race").count() == 5
    assert await points.balance(m("ed")) == 10
    assert await find_mismatches() == []


async def test_verify_reports_a_corrupted_balance(bot_app, points, capsys):
    await points.earn(m("lee"), 30, key="k", reason="r")
    scope = bot_app.scope("points")
    assert await verify(scope, []) == 0
    await Balance.filter(user_id="lee").update(balance=31)
    assert await verify(scope, []) == 1
    out = capsys.readouterr().out
    assert "console:lobby:lee: balance 31 but ledger 30" in out
