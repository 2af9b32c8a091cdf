"""A deadline passed while the bot was down: the rest is refunded at start, exactly once,
whatever restarts follow."""

from datetime import timedelta

from bot import GroupRef, MemberRef
from bot.testing.driver import DEFAULT_START, make_app
from plugins.points import Points
from plugins.points.maintenance import find_mismatches
from plugins.redpacket import plugin
from plugins.redpacket.models import EXPIRED, RedPacket
from tests.plugins.redpacket.conftest import CONFIG

ALICE = MemberRef("console", "alice", GroupRef("console", "lobby", "lobby"))


async def run(url: str, at, *lines: str) -> tuple[int, str | None]:
    app, console = make_app([plugin], CONFIG, database_url=url, start=at)
    await app.start()
    try:
        console._group("lobby").admins.add("alice")
        for line in lines:
            await console.run_line(line)
        packet = await RedPacket.first()
        assert await find_mismatches() == []
        return await app.scope("points").service(Points).balance(ALICE), packet.status if packet else None
    finally:
        await app.stop()


async def test_refund_once_across_restarts_at_the_deadline(tmp_path):
    url = f"sqlite://{tmp_path / 'bot.db'}"
    balance, status = await run(
        url, DEFAULT_START, ":locale en", "alice: hi", "bob: hi", "alice: /points give @alice 100 x",
        "alice: /redpacket 100 5", "bob click Grab",
    )
    assert status == "open" and balance == 0
    # Down at the deadline; back a minute after it, then twice more.
    after = DEFAULT_START + timedelta(hours=24, minutes=1)
    balance, status = await run(url, after)
    assert status == EXPIRED and 0 < balance < 100
    again, status = await run(url, after + timedelta(minutes=5))
    assert again == balance and status == EXPIRED
    again, _ = await run(url, after + timedelta(days=1))
    assert again == balance
