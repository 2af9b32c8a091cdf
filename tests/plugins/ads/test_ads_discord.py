"""The ads policy through the real discord.py client against the fake gateway: the ad deleted,
the reminder with its repost button (an ephemeral answer), the ladder's timeout and a pardon
lifting it, a packet within the window before and after the ad, watch mode, and a crosspost
from a followed channel left alone. (The Discord kit runs on the real clock: the grace window
is closed by moving the ad's deadline, then the per-minute sweep is run.)"""

import copy
from datetime import timedelta

from bot import GroupRef, MemberRef
from bot.testing.discord import (
    BOB,
    BOT_PERMISSIONS,
    BOT_ROLE,
    CHANNEL,
    GUILD,
    OWNER,
    discord_bot,
    eventually,
    seed_guild,
    settle,
)
from bot.testing.fake_discord import MANAGE_MESSAGES, OPTION_USER, option, subcommand
from plugins.ads import plugin as ads
from plugins.ads.models import AdStrike
from plugins.ads.policy import sweep
from plugins.points import Points
from plugins.redpacket import plugin as redpacket
from tests.plugins.ads.conftest import CONFIG

AD = "日赚500，宝妈学生党都能做，加 w e i x i n: abc12345"
AD2 = "free crypto airdrop, claim now t.me/+AbCdEf123456"
NEWS = "900"
AT_ONCE = copy.deepcopy(CONFIG)
AT_ONCE["plugins"]["ads"]["grace_minutes"] = 0


def world(dc) -> None:
    """The default server, the bot's role also allowed to delete members' messages."""
    seed_guild(dc)
    dc.add_role(GUILD, BOT_ROLE, "qunbot", 5, BOT_PERMISSIONS | MANAGE_MESSAGES)
    dc.add_user(NEWS, "news")


async def fund(app, user: str, amount: int) -> None:
    member = MemberRef("discord", user, GroupRef("discord", GUILD, GUILD))
    await app.scope("points").service(Points).earn(member, amount, key=f"fund:{user}", reason="fund")


async def post(app, dc, user: str, text: str, **kwargs) -> tuple[str, list]:
    before = len(dc.sent(CHANNEL))
    message_id = await dc.user_says(CHANNEL, user, text, **kwargs)
    await settle(app)
    return message_id, dc.sent(CHANNEL)[before:]


async def command(dc, user: str, *options) -> str:
    interaction = await dc.slash(GUILD, CHANNEL, user, "ads", list(options))
    original = await eventually(lambda: dc.original(interaction))
    return original.content


async def test_removed_reminded_reposted_muted_and_pardoned():
    async with discord_bot(plugins=[ads, redpacket], config=AT_ONCE, seed=world) as (app, dc):
        await dc.user_says(CHANNEL, BOB, "hello")
        await fund(app, BOB, 100)
        ad_id, [reminder] = await post(app, dc, BOB, AD)
        assert ad_id in dc.deleted_user_messages
        assert reminder.content.startswith("👋 Bob, your message looked like an ad and was removed")
        [repost] = reminder.custom_ids
        click = await dc.click(GUILD, CHANNEL, BOB, reminder.id, repost)
        [answer] = await eventually(lambda: dc.callbacks(click))
        assert answer.ephemeral and answer.data["content"].startswith("Thank you! Your ad is back")
        await eventually(lambda: [m for m in dc.sent(CHANNEL) if m.content == f"📢 Bob: {AD}"])
        assert await app.scope("points").service(Points).balance(
            MemberRef("discord", BOB, GroupRef("discord", GUILD, GUILD))
        ) == 50
        # Reposted, so not a strike: the next ad reminds, the one after mutes (a timeout).
        await post(app, dc, BOB, AD2)
        assert dc.member(GUILD, BOB)["communication_disabled_until"] is None
        _, [muted] = await post(app, dc, BOB, "USDT承兑，出U收U，飞机 @usdt_king888")
        assert "you are muted for 1 h" in muted.content
        assert dc.member(GUILD, BOB)["communication_disabled_until"] is not None
        pardon = await command(dc, OWNER, subcommand("pardon", option("user", BOB, OPTION_USER)))
        assert pardon == "Bob pardoned: 2 strikes taken back, any mute lifted."
        assert dc.member(GUILD, BOB)["communication_disabled_until"] is None
        assert await AdStrike.filter(status="pardoned").count() == 2


async def test_a_packet_within_the_window_after_and_before():
    async with discord_bot(plugins=[ads, redpacket], config=CONFIG, seed=world) as (app, dc):
        await dc.user_says(CHANNEL, BOB, "hello")
        await fund(app, BOB, 200)
        ad_id, [notice] = await post(app, dc, BOB, AD)
        assert "within 3 minutes" in notice.content
        send = subcommand("me", option("total", 50), option("count", 5), option("message", "hi"))
        interaction = await dc.slash(GUILD, CHANNEL, BOB, "redpacket", [send])
        await eventually(lambda: dc.original(interaction))
        # Three minutes pass (the ad moved back by them: its window closes now); the sweep
        # finds the packet sent after the ad.
        strike = await AdStrike.get(message_id=ad_id)
        now = app.scope("ads").now
        await AdStrike.filter(id=strike.id).update(at=now - timedelta(minutes=3), deadline=now)
        await sweep(app.scope("ads"))
        assert (await AdStrike.get(id=strike.id)).status == "exempt"
        assert notice.deleted and ad_id not in dc.deleted_user_messages
        # The next ad comes within the window after that packet: welcome at once.
        ad_id, sent = await post(app, dc, BOB, AD2)
        assert sent == [] and (await AdStrike.get(message_id=ad_id)).status == "exempt"
        assert ad_id not in dc.deleted_user_messages


async def test_watch_mode_and_a_crosspost_from_a_followed_channel():
    async with discord_bot(plugins=[ads, redpacket], config=AT_ONCE, seed=world) as (app, dc):
        await dc.user_says(CHANNEL, BOB, "hello")
        crosspost = {"flags": 2, "webhook_id": NEWS}
        message_id, sent = await post(app, dc, NEWS, AD2, extra=crosspost)
        assert sent == [] and message_id not in dc.deleted_user_messages
        assert await AdStrike.all().count() == 0
        mode = await command(dc, OWNER, subcommand("mode", option("mode", "watch")))
        assert mode.startswith("Watch mode")
        message_id, sent = await post(app, dc, BOB, AD)
        assert sent == [] and message_id not in dc.deleted_user_messages
        assert (await AdStrike.get(message_id=message_id)).status == "watched"


async def test_a_tradesman_named_in_reply_to_a_question_stands():
    # The answer replies to the question (Discord sends the message replied to along with it).
    # (A phone number and a price said plainly in a member's words stand alone as well: the
    # locksmith's WhatsApp is what only the question makes an answer.)
    answer = "Paul at Withington Locks came out at midnight for us. WhatsApp 07700 900372"
    async with discord_bot(plugins=[ads, redpacket], config=AT_ONCE, seed=world) as (app, dc):
        asked, _ = await post(app, dc, OWNER, "Anyone know a decent locksmith? Locked out again 🙈")
        reply_id, sent = await post(app, dc, BOB, answer, reply_to=asked)
        assert sent == [] and reply_id not in dc.deleted_user_messages
        alone_id, _ = await post(app, dc, BOB, answer)
        assert alone_id in dc.deleted_user_messages
