"""The ads policy through the real python-telegram-bot client against the fake Bot API: the ad
deleted, the reminder with its repost button, a packet before and after the ad within the
window, the ladder (restricted, then banned), pardon, watch mode, the linked channel's
automatic forwards and a member posting as a foreign channel."""

import copy
from datetime import timedelta

from bot import GroupRef, MemberRef
from bot.testing.telegram import GROUP, OWNER, telegram_bot
from plugins.ads import plugin as ads
from plugins.ads.models import AdStrike
from plugins.points import Points
from plugins.redpacket import plugin as redpacket
from tests.plugins.ads.conftest import CONFIG

BOB, CY = 43, 44
NEWS, SPAM_CHANNEL = -1002000000001, -1002000000002
AD = "日赚500，宝妈学生党都能做，加 w e i x i n: abc12345"
AD2 = "free crypto airdrop, claim now t.me/+AbCdEf123456"
REPOST = "🧧 Repost with a red packet (50)"
AT_ONCE = copy.deepcopy(CONFIG)
AT_ONCE["plugins"]["ads"]["grace_minutes"] = 0


def member(user: int) -> MemberRef:
    return MemberRef("telegram", str(user), GroupRef("telegram", str(GROUP), str(GROUP)))


async def start(bot, *, fund: int = 0) -> None:
    for user, name in ((BOB, "Bob"), (CY, "Cy")):
        bot.tg.add_user(user, name, name.lower())
        await bot.say(user, "hello")
    if fund:
        points = bot.app.scope("points").service(Points)
        await points.earn(member(CY), fund, key="fund", reason="fund")


async def post(bot, user: int, text: str, **kwargs) -> tuple[int, list[dict]]:
    """A member's message; its id and what the bot sent because of it."""
    before = len(bot.tg.sent(GROUP))
    update = bot.tg.user_says(GROUP, user, text, **kwargs)
    await bot.settle()
    return update["message"]["message_id"], bot.tg.sent(GROUP)[before:]


async def test_removed_reminded_reposted_then_the_ladder_and_a_pardon():
    ladder = copy.deepcopy(AT_ONCE)
    ladder["plugins"]["ads"]["ladder"] = ["remind", "mute:1h", "kick"]
    async with telegram_bot(plugins=[ads, redpacket], config=ladder) as bot:
        await start(bot, fund=100)
        ad_id, [reminder] = await post(bot, CY, AD)
        assert bot.tg.is_deleted(GROUP, ad_id)
        assert reminder["visible_text"].startswith("👋 Cy, your message looked like an ad and was removed")
        assert "at least 50 points in 5 shares" in reminder["visible_text"]
        # The button is Cy's: Bob's press changes nothing, Cy's reposts the text with a packet.
        await bot.click(BOB, reminder, REPOST)
        assert await AdStrike.filter(status="reposted").count() == 0
        answer = await bot.click(CY, reminder, REPOST)
        assert answer["text"] == "Thank you! Your ad is back, with a red packet for the group."
        texts = [m["visible_text"] for m in bot.tg.sent(GROUP)]
        assert f"📢 Cy: {AD}" in texts and any(t.startswith("🧧 Cy sent a lucky red packet") for t in texts)
        assert await bot.app.scope("points").service(Points).balance(member(CY)) == 50
        # The reminder goes away after a minute.
        await bot.clock.advance(timedelta(seconds=61))
        assert bot.tg.is_deleted(GROUP, reminder["message_id"])
        # The reposted one no longer counts: the next ad is the first removal in a row again.
        _, [again] = await post(bot, CY, AD2)
        assert "muted" in again["visible_text"]  # "next time ... muted": the ladder's next step
        assert bot.tg.member(GROUP, CY)["status"] == "member"
        _, [muted] = await post(bot, CY, "USDT承兑，出U收U，飞机 @usdt_king888")
        assert "you are muted for 1 h" in muted["visible_text"]
        assert bot.tg.member(GROUP, CY)["status"] == "restricted"
        [pardon] = await bot.say(OWNER, "/ads pardon @cy")
        assert pardon["visible_text"] == "Cy pardoned: 2 strikes taken back, any mute lifted."
        assert bot.tg.member(GROUP, CY)["status"] == "member"
        # Pardoned strikes are gone: remind, mute, then removed from the group.
        for text in (AD, AD2, "博彩平台首充送100%，详情 win888[.]top"):
            await post(bot, CY, text)
        assert bot.tg.member(GROUP, CY)["status"] == "kicked"


async def test_a_packet_before_or_after_within_the_window_keeps_the_ad():
    async with telegram_bot(plugins=[ads, redpacket], config=CONFIG) as bot:
        await start(bot, fund=200)
        await bot.say(CY, "/redpacket 50 5 大家好")
        ad_id, sent = await post(bot, CY, AD)
        assert sent == [] and not bot.tg.is_deleted(GROUP, ad_id)
        # Four minutes on, a new ad: a notice first, then a packet within the three minutes.
        await bot.clock.advance(timedelta(minutes=4))
        ad_id, [notice] = await post(bot, CY, AD2)
        assert "within 3 minutes" in notice["visible_text"]
        await bot.clock.advance(timedelta(minutes=1))
        await bot.say(CY, "/redpacket 60 6 补红包")
        await bot.clock.advance(timedelta(minutes=3))
        assert not bot.tg.is_deleted(GROUP, ad_id) and bot.tg.is_deleted(GROUP, notice["message_id"])
        assert await AdStrike.filter(status="exempt").count() == 2
        # An ad whose packet never came within the window is removed (the last packet was
        # sent more than three minutes before it).
        await bot.clock.advance(timedelta(minutes=1))
        ad_id, _ = await post(bot, CY, "USDT承兑，出U收U，飞机 @usdt_king888")
        await bot.clock.advance(timedelta(minutes=4))
        assert bot.tg.is_deleted(GROUP, ad_id)
        [stats] = await bot.say(BOB, "/ads stats")
        assert "With a red packet: 2" in stats["visible_text"] and "Removed: 1" in stats["visible_text"]


async def test_watch_mode_the_linked_channel_and_a_foreign_channel_identity():
    async with telegram_bot(plugins=[ads, redpacket], config=AT_ONCE) as bot:
        await start(bot)
        bot.tg.add_chat(NEWS, "Our News", type="channel", username="our_news")
        bot.tg.add_chat(SPAM_CHANNEL, "Deals", type="channel", username="deals_daily")
        # The linked channel's post arrives as an automatic forward: never judged, and the
        # channel becomes the group's own (its @username may be mentioned, it may post).
        update = bot.tg.linked_forward(GROUP, NEWS, "新品上线，详情见官网 shop-news.top，关注 @our_news")
        await bot.settle()
        assert not bot.tg.is_deleted(GROUP, update["message"]["message_id"])
        _, sent = await post(bot, BOB, "频道更新了，大家去看 t.me/our_news")
        assert sent == []
        # A member posting as another channel is judged like a member.
        update = bot.tg.channel_post_in_group(GROUP, SPAM_CHANNEL, AD)
        await bot.settle()
        assert bot.tg.is_deleted(GROUP, update["message"]["message_id"])
        # Watch mode only logs.
        await bot.say(OWNER, "/ads mode watch")
        ad_id, sent = await post(bot, CY, AD)
        assert sent == [] and not bot.tg.is_deleted(GROUP, ad_id)
        assert await AdStrike.filter(status="watched").count() == 1


async def test_a_tradesman_named_in_reply_to_a_question_stands():
    # A member's question, then another's answer as a reply: the locksmith's number and price are
    # what was asked for. The same words posted as nobody's answer are removed.
    # (A phone number and a price said plainly in a member's words stand alone as well: the
    # locksmith's WhatsApp is what only the question makes an answer.)
    answer = "Paul at Withington Locks came out at midnight for us. WhatsApp 07700 900372"
    async with telegram_bot(plugins=[ads, redpacket], config=AT_ONCE) as bot:
        await start(bot)
        asked, _ = await post(bot, BOB, "Anyone know a decent locksmith? Locked out again 🙈")
        reply_id, sent = await post(bot, CY, answer, reply_to=asked)
        assert sent == [] and not bot.tg.is_deleted(GROUP, reply_id)
        alone_id, _ = await post(bot, CY, answer)
        assert bot.tg.is_deleted(GROUP, alone_id)
