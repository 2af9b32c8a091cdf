"""Racing grabs: 200 members press Grab on a 10-share packet at once, on SQLite and on
PostgreSQL, and through two bot processes (two Apps) on one PostgreSQL database."""

import asyncio
import os

import pytest

from bot import ButtonClicked, GroupRef, MemberRef
from bot.testing.driver import make_app
from bot.testing.pytest_plugin import PG_ENV, reset_postgres
from plugins.points import Points
from plugins.points.maintenance import find_mismatches
from plugins.redpacket import plugin
from plugins.redpacket.models import FINISHED, RedPacket, RedPacketShare
from tests.plugins.redpacket.conftest import CONFIG

pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(CONFIG)]
RACERS = 200
ROUNDS = 3


@pytest.fixture(params=["sqlite", "postgres"])
async def bot_database_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return "sqlite://:memory:"
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set")
    await reset_postgres(url)
    return url


async def balance(app, user: str) -> int:
    member = MemberRef("console", user, GroupRef("console", "lobby", "lobby"))
    return await app.scope("points").service(Points).balance(member)


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
