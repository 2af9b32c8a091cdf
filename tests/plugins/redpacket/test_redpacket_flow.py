"""Red packets in a chat: send, grab, the result, refusals, expiry, the commands."""

import pytest

from bot import GroupRef, MemberRef
from plugins.points import Points
from plugins.redpacket import RedPackets, plugin
from plugins.redpacket.models import RedPacket, RedPacketShare
from tests.plugins.redpacket.conftest import CONFIG

pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(CONFIG)]


async def balance(app, user: str, group: str = "lobby") -> int:
    member = MemberRef("console", user, GroupRef("console", group, group))
    return await app.scope("points").service(Points).balance(member)


async def edited(app) -> None:
    """Wait for the coalesced edits under way."""
    await app.scope("redpacket").service(RedPackets).flush_edits()


async def members(fake, *names: str) -> None:
    fake.admin("alice")
    await fake.say(":locale en")
    for name in names:
        await fake.say(f"{name}: hi")
    await fake.say("alice: /points give @alice 500 fund")


async def test_send_grab_and_the_luckiest(fake, bot_app):
    await members(fake, "alice", "bob", "carol", "dave")
    [packet] = await fake.say("alice: /redpacket 100 3 Happy new year")
    assert "alice sent a lucky red packet" in packet and "Happy new year" in packet
    assert "100 points in 3 shares" in packet and "0/3 grabbed" in packet
    assert await balance(bot_app, "alice") == 400  # in escrow at once
    await fake.say("bob click Grab")
    got = fake.console.toasts[-1]
    assert got[0] == "bob" and got[1].startswith("🧧 You got ")
    await edited(bot_app)
    message = next(o for o in fake.outputs if o.text.startswith("🧧 alice sent"))
    assert "1/3 grabbed" in message.text and "Best luck so far: bob" in message.text
    await fake.say("bob click Grab")
    assert fake.console.toasts[-1][1].startswith("You already grabbed this packet")
    await fake.say("carol click Grab")
    out = await fake.say("dave click Grab")
    assert len(out) == 1 and "was emptied in" in out[0] and "Luckiest:" in out[0]
    assert "All 3 shares (100 points) grabbed" in message.text and "👑 luckiest" in message.text
    assert "Grab" not in message.text
    total = sum([await balance(bot_app, u) for u in ("bob", "carol", "dave")])
    assert total == 100 and await balance(bot_app, "alice") == 400
    await fake.say("erin: hi", "erin click Grab")
    assert fake.console.toasts[-1] == ("erin", "This red packet button is no longer valid.") or (
        fake.console.toasts[-1][1] == "Too slow: the packet is empty."
    )


async def test_equal_shares_and_chinese_names(fake, bot_app):
    await members(fake, "alice", "bob")
    [packet] = await fake.say("alice: /发红包 10 3 平分 新年快乐")
    assert "sent a red packet" in packet and "新年快乐" in packet
    shares = await RedPacketShare.all().order_by("seq").values_list("amount", flat=True)
    assert shares == [4, 3, 3]
    [again] = await fake.say("alice: /红包 10 2 equal")
    assert "10 points in 2 shares" in again


async def test_short_balance_and_limits_change_nothing(fake, bot_app):
    await members(fake, "alice", "bob")
    assert await fake.say("bob: /redpacket 50 5") == [
        "Not enough points: this packet needs 50, you have 0. Nothing was taken."
    ]
    assert await fake.say("alice: /redpacket 5 10") == [
        "Every share is at least 1 point: a total of 5 cannot make 10 shares."
    ]
    assert await fake.say("alice: /redpacket 500 101") == ["A red packet has between 1 and 100 shares."]
    assert await RedPacket.all().count() == 0 and await RedPacketShare.all().count() == 0
    assert await balance(bot_app, "alice") == 500


async def test_expiry_refunds_the_rest_once(fake, bot_app):
    await members(fake, "alice", "bob")
    await fake.say("alice: /redpacket 100 4", "bob click Grab")
    grabbed = await balance(bot_app, "bob")
    await fake.wait("23h")
    assert await balance(bot_app, "alice") == 400
    await fake.wait("2h")
    assert await balance(bot_app, "alice") == 500 - grabbed
    message = next(o for o in fake.outputs if o.text.startswith("🧧 alice sent"))
    assert f"the {100 - grabbed} points left went back to alice" in message.text
    await fake.run_job("redpacket.sweep")
    await fake.wait("1h")
    assert await balance(bot_app, "alice") == 500 - grabbed
    await fake.say("carol: hi", "carol click Grab")
    assert fake.console.toasts[-1] == ("carol", "This red packet has expired.")


async def test_only_members_and_a_forged_button(fake, bot_app):
    await members(fake, "alice", "bob")
    await fake.say("alice: /redpacket 10 2")
    await fake.say("-bob", "bob click Grab")
    assert fake.console.toasts[-1] == ("bob", "Only members of this group can grab this packet.")
    packet = await RedPacket.first()
    await fake.say(":group other", "alice: hi", "bob: hi")
    # The button pressed from another group: the core refuses the token's channel.
    await fake.console._emit(
        __import__("bot").ButtonClicked, "other", "bob", button_id=packet.button_id or "forged"
    )
    assert await RedPacketShare.filter(member_id="bob").count() == 0


async def test_mine_history_stats(fake, bot_app):
    await members(fake, "alice", "bob")
    await fake.say("alice: /redpacket 30 3 hi", "bob click Grab")
    [mine] = await fake.say("alice: /redpacket mine")
    assert "1/3 grabbed" in mine and "expires 03-03 09:00" in mine
    assert "You have not grabbed a packet today." in mine
    [bobs] = await fake.say("bob: /红包 我的")
    assert "Today you grabbed 1 packet, " in bobs
    [history] = await fake.say("alice: /redpacket history")
    assert "alice: 30 points, 1/3 grabbed" in history and "open" in history
    assert "alice: 30 points" not in (await fake.say("bob: /redpacket history"))[0]
    [stats] = await fake.say("bob: /redpacket stats")
    assert "1 red packet sent" in stats and "1. alice: 30 points (1 packet)" in stats


async def test_forgetme_keeps_the_packet_whole(fake, bot_app):
    await members(fake, "alice", "bob", "carol")
    await fake.say("alice: /redpacket 20 2", "bob click Grab")
    await fake.say("bob@dm: /forgetme")
    out = await fake.say("bob click Delete my data")
    assert any("The red packets you sent and grabbed no longer name you" in o for o in out)
    assert await RedPacketShare.filter(member_id="bob").count() == 0
    assert await RedPacketShare.filter(member_id__isnull=False).count() == 1
    await fake.say("carol click Grab")
    message = next(o for o in fake.outputs if o.text.startswith("🧧 alice sent"))
    assert "someone:" in message.text
