"""The RedPackets service as another plugin (the ads policy) uses it."""

from datetime import timedelta

import pytest

from bot import Context, GroupRef, MemberRef, Plugin, Scope, hookimpl
from plugins.points import InsufficientPoints, Points
from plugins.redpacket import PacketInfo, RedPackets
from plugins.redpacket import plugin as redpacket
from tests.plugins.redpacket.conftest import CONFIG

ads = Plugin("adsprobe", requires=["redpacket"])
finished: list[tuple[str, int, str]] = []


@ads.command("adpost")
async def adpost(ctx: Context) -> None:
    assert ctx.member is not None
    created = await ctx.service(RedPackets).create(
        ctx.member, 50, 5, key=f"ads:{ctx.event.message.id}", message="ad bonus",  # type: ignore[attr-defined]
        expires_in=timedelta(hours=1),
    )
    await ctx.reply(f"packet {created.packet.id} from {created.packet.source}")


class Probe:
    @hookimpl
    def redpacket_finished(self, scope: Scope, packet: PacketInfo, outcome: str) -> None:
        finished.append((packet.source, packet.refunded, outcome))


ads.hooks(Probe())
pytestmark = [pytest.mark.plugins(redpacket, ads), pytest.mark.bot_config(CONFIG)]


async def test_a_packet_on_behalf_of_a_member_expires_into_the_hook(fake, bot_app):
    finished.clear()
    fake.admin("alice")
    await fake.say(":locale en", "bob: hi", "alice: /points give @bob 80 x")
    out = await fake.say("bob: /adpost")
    assert any("bob sent a lucky red packet" in o and "ad bonus" in o for o in out)
    assert out[-1].endswith("from adsprobe")
    service = bot_app.scope("adsprobe").service(RedPackets)
    bob = MemberRef("console", "bob", GroupRef("console", "lobby", "lobby"))
    now = bot_app.clock.now()
    [found] = await service.packets_of(bob, since=now - timedelta(minutes=5), until=now, min_total=50)
    assert found.total == 50 and found.status == "open"
    assert await service.packets_of(bob, since=now - timedelta(minutes=5), until=now, min_total=51) == []
    again = await service.create(bob, 50, 5, key=found.key)
    assert not again.new and again.packet.id == found.id
    await fake.wait("61m")
    assert finished == [("adsprobe", 50, "expired")]
    assert await bot_app.scope("points").service(Points).balance(bob) == 80
    with pytest.raises(InsufficientPoints):
        await service.create(bob, 81, 1, key="ads:too-much")
    assert await service.by_key("ads:too-much") is None
