"""Racing grabs: 200 members press Grab on a 10-share packet at once, on SQLite and on
PostgreSQL, and through two bot processes (two Apps) on one PostgreSQL database; then the
same race repeated on 100 packets, 10 packets at a time, through the grab's own statement."""

import asyncio
import os

import pytest

from bot import ButtonClicked, GroupRef, MemberRef
from bot.testing.driver import make_app
from bot.testing.pytest_plugin import PG_ENV, reset_postgres
from plugins.points import Points
from plugins.points.maintenance import find_mismatches
from plugins.redpacket import RedPackets, plugin
from plugins.redpacket.models import FINISHED, RedPacket, RedPacketShare
from plugins.redpacket.store import finish_packet, grab_share
from tests.plugins.redpacket.conftest import CONFIG

pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(CONFIG)]
RACERS = 200
ROUNDS = 3
REPEATS, AT_ONCE = 100, 10


@pytest.fixture(params=["sqlite", "postgres"])
async def bot_database_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return "sqlite://:memory:"
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set")
    await reset_postgres(url)
    return url


LOBBY = GroupRef("console", "lobby", "lobby")


def member(user: str) -> MemberRef:
    return MemberRef("console", user, LOBBY)


async def balance(app, user: str) -> int:
    return await app.scope("points").service(Points).balance(member(user))


async def race(consoles, button_id: str, users: list[str]) -> None:
    """Every user presses twice (a double tap), spread over the consoles, all at once."""
    presses = [
        consoles[i % len(consoles)]._emit(ButtonClicked, "lobby", user, button_id=button_id)
        for i, user in enumerate(users * 2)
    ]
    async with asyncio.timeout(120):
        await asyncio.gather(*presses)


async def check_round(fake, app, packet: RedPacket, before: dict[str, int]) -> None:
    shares = await RedPacketShare.filter(packet_id=packet.id, member_id__isnull=False).values(
        "member_id", "amount"
    )
    assert len(shares) == 10
    assert len({s["member_id"] for s in shares}) == 10
    assert sum(s["amount"] for s in shares) == 100 and min(s["amount"] for s in shares) >= 1
    for share in shares:
        assert await balance(app, share["member_id"]) == before.get(share["member_id"], 0) + share["amount"]
    assert (await RedPacket.get(id=packet.id)).status == FINISHED
    assert await find_mismatches() == []


async def test_200_racing_grabs_give_exactly_10_shares(fake, bot_app):
    users = [f"m{i:03d}" for i in range(RACERS)]
    await fake.say(":locale en", *[f"+{u}" for u in users])
    await fake.say("alice: hi", ":admin alice")
    fake.admin("alice")
    await fake.say(f"alice: /points give @alice {100 * ROUNDS} fund")
    for _ in range(ROUNDS):
        before = {u: await balance(bot_app, u) for u in users}
        await fake.say("alice: /redpacket 100 10")
        message = fake.outputs[-1]
        toasts = len(fake.console.toasts)
        await race([fake.console], message.button_ids["Grab"], users)
        packet = await RedPacket.all().order_by("-id").first()
        await check_round(fake, bot_app, packet, before)
        got = [t for t in fake.console.toasts[toasts:] if t[1].startswith("🧧 You got")]
        assert len(got) == 10 and len({t[0] for t in got}) == 10
        announcements = [o for o in fake.outputs if "was emptied in" in o.text]
        assert len(announcements) == _ + 1
    assert await balance(bot_app, "alice") == 0


async def test_two_bot_processes_on_one_postgres(pg_url):
    app1, console1 = make_app([plugin], CONFIG, database_url=pg_url)
    app2, console2 = make_app([plugin], CONFIG, database_url=pg_url)
    await app1.start()
    try:
        await app2.start()
        try:
            users = [f"m{i:03d}" for i in range(RACERS)]
            for user in users:
                await console1.run_line(f"+{user}")
            console1._group("lobby").admins.add("alice")
            await console1.run_line("alice: /points give @alice 100 fund")
            await console1.run_line("alice: /redpacket 100 10")
            button = console1.outputs[-1].button_ids["Grab"]
            await race([console1, console2], button, users)
            packet = await RedPacket.all().first()
            shares = await RedPacketShare.filter(packet_id=packet.id, member_id__isnull=False).values(
                "member_id", "amount"
            )
            assert len(shares) == 10 and len({s["member_id"] for s in shares}) == 10
            assert sum(s["amount"] for s in shares) == 100
            assert await find_mismatches() == []
            assert (await RedPacket.get(id=packet.id)).status == FINISHED
            emptied = [o for c in (console1, console2) for o in c.outputs if "was emptied in" in o.text]
            assert len(emptied) == 1
        finally:
            await app2.stop()
    finally:
        await app1.stop()


async def race_packets(bot_app, repeats: int, grab) -> dict[int, list[dict]]:
    """``repeats`` packets of 100 points in 10 shares from alice; 200 members grab each at
    once, ``AT_ONCE`` packets at a time (so up to 2,000 grabs are in flight together).
    Returns the granted shares by packet, after checking every balance and the ledger."""
    scope = bot_app.scope("redpacket")
    packets, points = scope.service(RedPackets), scope.service(Points)
    users = [f"m{i:03d}" for i in range(RACERS)]
    sender = member("alice")
    await points.earn(sender, 100 * repeats, key="fund", reason="fund")
    for start in range(0, repeats, AT_ONCE):
        created = [
            await packets.create(sender, 100, 10, key=f"race:{start + i}", post=False)
            for i in range(min(AT_ONCE, repeats - start))
        ]
        rows = await RedPacket.filter(id__in=[c.packet.id for c in created])
        async with asyncio.timeout(60):
            await asyncio.gather(*(grab(scope, packet, member(user)) for packet in rows for user in users))
    shares = await RedPacketShare.filter(member_id__isnull=False).values("packet_id", "member_id", "amount")
    by_packet: dict[int, list[dict]] = {}
    won: dict[str, int] = {}
    for share in shares:
        by_packet.setdefault(share["packet_id"], []).append(share)
        won[share["member_id"]] = won.get(share["member_id"], 0) + share["amount"]
    assert len(by_packet) == repeats
    for granted in by_packet.values():
        assert len(granted) == 10 and len({s["member_id"] for s in granted}) == 10
        assert sum(s["amount"] for s in granted) == 100 and min(s["amount"] for s in granted) >= 1
    for user in users:
        assert await points.balance(member(user)) == won.get(user, 0)
    assert await points.balance(sender) == 0
    assert await find_mismatches() == []
    return by_packet


async def test_100_races_of_200_grabs_for_10_shares(bot_app):
    """What a press does once the member may grab (``RedPackets.take``): 200 at once on each
    of 100 packets; each packet is finished exactly once, by its last grab."""
    finished: list[int] = []
    packets = bot_app.scope("redpacket").service(RedPackets)
    real_closed = packets._closed

    async def closed(packet_id, outcome, group):
        finished.append(packet_id)
        await real_closed(packet_id, outcome, group)

    packets._closed = closed  # the one place a packet's end is announced

    async def grab(scope, packet, who):
        await packets.take(packet, who)

    by_packet = await race_packets(bot_app, REPEATS, grab)
    assert sorted(finished) == sorted(by_packet)
    assert await RedPacket.filter(status=FINISHED).count() == REPEATS


async def test_the_claiming_statement_alone_never_grants_more_than_the_shares(bot_app):
    """The same race without the process's gate: 200 claiming transactions at once per
    packet reach the database, and the statement alone keeps every packet exact."""
    winners: dict[int, int] = {}

    async def grab(scope, packet, who):
        got = await grab_share(scope, scope.service(Points), packet, who, scope.now)
        if got is not None and got.new and await finish_packet(scope, packet.id, scope.now):
            winners[packet.id] = winners.get(packet.id, 0) + 1

    by_packet = await race_packets(bot_app, AT_ONCE, grab)
    assert winners == {packet_id: 1 for packet_id in by_packet}
