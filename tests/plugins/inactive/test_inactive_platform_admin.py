"""Through the real Telegram and Discord clients against the fake servers: undo with a
one-time invite link, the preview's pages, the weekly report in an admin's private chat."""

from datetime import UTC, datetime, timedelta

from bot.storage.models import RosterMember
from bot.testing.discord import CHANNEL, GUILD, OWNER, discord_bot, eventually, settle
from bot.testing.fake_discord import option, subcommand
from bot.testing.telegram import GROUP, telegram_bot
from bot.testing.telegram import OWNER as TG_OWNER
from tests.plugins.inactive.test_inactive_platforms import BOB, discord_preview, lurkers_on_discord

NOW_REMOVE = {"bot": {"locale": "en"}, "plugins": {"inactive": {"warn_days": 0}}}
BOB_TG, CARL = 43, 44


async def telegram_lurkers(bot, users):
    for user, name, started in users:
        bot.tg.add_user(user, name, name.lower(), started=started)
        bot.tg.set_member(GROUP, user, "member")
    await bot.say(TG_OWNER, "hello")
    for user, *_ in users:
        await bot.say(user, "hi")
    await bot.clock.advance(timedelta(days=40))
    await bot.settle()


async def remove_and_undo(bot) -> str:
    """Bob (never started the bot) and Carl (did) are removed at once, then let back."""
    await telegram_lurkers(bot, [(BOB_TG, "Bob", False), (CARL, "Carl", True)])
    [preview] = await bot.say(TG_OWNER, "/inactive preview")
    await bot.click(TG_OWNER, preview, "Confirm")
    assert len(bot.tg.calls("banChatMember")) == 2
    out = await bot.say(TG_OWNER, "/inactive undo 1")
    [undone] = [m["visible_text"] for m in out if m["chat_id"] == GROUP]
    return undone


async def test_telegram_undo_sends_a_one_time_invite_link():
    async with telegram_bot(plugins=["inactive"], config=NOW_REMOVE) as bot:
        undone = await remove_and_undo(bot)
        assert "Run #1 undone: 2 members may come back" in undone
        assert "1 was told privately (1 with a one-time invite link)." in undone
        dm = bot.tg.sent(CARL)[-1]["visible_text"]
        links = [made for made in bot.tg.invite_links if made["invite_link"] in dm]
        assert len(links) == 1 and links[0]["member_limit"] == 1 and links[0]["chat_id"] == GROUP
        expires = bot.clock.now() + timedelta(days=7)
        assert links[0]["expire_date"] == int(expires.timestamp())
        assert "an admin has undone it" in dm and "lets you in once, until " in dm


async def test_telegram_undo_without_the_right_to_invite_says_so():
    async with telegram_bot(plugins=["inactive"], config=NOW_REMOVE) as bot:
        bot.tg.set_bot_rights(GROUP, can_restrict_members=True, can_delete_messages=True)
        undone = await remove_and_undo(bot)
        assert "1 was told privately (0 with a one-time invite link)." in undone
        assert "No invite link could be made" in undone
        assert bot.tg.invite_links == []
        assert "an admin has undone it" in bot.tg.sent(CARL)[-1]["visible_text"]


async def test_telegram_pages_of_a_long_preview():
    async with telegram_bot(plugins=["inactive"], config={"bot": {"locale": "en"}}) as bot:
        await telegram_lurkers(bot, [(100 + n, f"M{n:02d}", False) for n in range(1, 26)])
        text, document = await bot.say(TG_OWNER, "/inactive preview")
        assert "25 would be removed" in text["visible_text"] and "Page 1 of 2" in text["visible_text"]
        assert document["filename"] == "inactive-1.csv"
        await bot.click(TG_OWNER, document, "Next ▶")  # Telegram puts the buttons on the file
        two = bot.tg.sent(GROUP)[-1]
        assert "21. M21" in two["visible_text"] and "25. M25" in two["visible_text"]
        assert "Page 2 of 2 (25 in this run)" in two["visible_text"]
        labels = [b["text"] for row in two["reply_markup"]["inline_keyboard"] for b in row]
        assert labels == ["◀ Previous", "Confirm", "Cancel"]
        await bot.click(TG_OWNER, two, "◀ Previous")
        one = bot.tg.sent(GROUP)[-1]
        assert "1. M01" in one["visible_text"] and "21. M21" not in one["visible_text"]
        assert bot.tg.is_deleted(GROUP, two["message_id"])  # the page view it replaced
        assert not bot.tg.is_deleted(GROUP, document["message_id"])  # the preview's file stays


async def test_telegram_weekly_report_in_the_admins_private_chat():
    config = {"bot": {"locale": "en"}, "plugins": {"inactive": {"weekly_report": True, "sweep_hour": 10}}}
    async with telegram_bot(plugins=["inactive"], config=config) as bot:
        bot.tg.user_starts(TG_OWNER)
        await telegram_lurkers(bot, [(BOB_TG, "Bob", False)])
        await bot.say(TG_OWNER, "/inactive preview")
        before = len(bot.tg.sent(GROUP))
        # 40 days after Monday 09:00 (Asia/Shanghai) is a Saturday: Monday 10:00 is 49 hours on.
        await bot.clock.advance(timedelta(hours=49))
        await bot.settle()
        [report] = [m for m in bot.tg.sent(TG_OWNER) if "week in review" in m["visible_text"]]
        assert report["visible_text"].startswith("📊 Test Group, week in review — members: 2")
        assert not any("Week in review" in m["visible_text"] for m in bot.tg.sent(GROUP)[before:])


async def test_discord_undo_sends_an_invite_for_one_person():
    async with discord_bot(plugins=["inactive"], config=NOW_REMOVE) as (app, dc):
        await lurkers_on_discord(app, dc)
        preview = await discord_preview(dc)
        await dc.click(GUILD, CHANNEL, OWNER, preview.id, preview.custom_ids[0])
        # Bob is removed; Carol's role is above the bot's, so the run stops there and reports.
        await eventually(lambda: [m for m in dc.sent(CHANNEL) if "Run #1" in m.content] or None)
        undo = await dc.slash(GUILD, CHANNEL, OWNER, "inactive", [subcommand("undo", option("run", 1))])
        undone = await eventually(lambda: (o := dc.original(undo)) and o.content and o)
        assert "(1 with a one-time invite link)" in undone.content
        [invite] = dc.invites
        assert invite.max_uses == 1 and invite.max_age == 7 * 86400
        dm = await eventually(lambda: dc.dms(BOB) or None)
        assert f"https://discord.gg/{invite.code}" in dm[-1].content


async def test_discord_pages_of_a_long_preview():
    async with discord_bot(plugins=["inactive"], config={"bot": {"locale": "en"}}) as (app, dc):
        users = [str(200 + n) for n in range(1, 24)]
        for user in users:
            dc.add_user(user, f"m{user}")
            dc.add_member(GUILD, user)
        for user in users:
            await dc.user_says(CHANNEL, user, "hello")
        await settle(app)
        await app.flush()
        long_ago = datetime.now(UTC) - timedelta(days=40)
        await RosterMember.filter(platform="discord", user_id__in=users).update(
            last_active_at=long_ago, joined_at=long_ago
        )
        preview = await discord_preview(dc)
        assert "Page 1 of 2" in preview.content and preview.files[0].filename == "inactive-1.csv"
        press = await dc.click(GUILD, CHANNEL, OWNER, preview.id, preview.custom_ids[0])  # Next
        two = await eventually(lambda: (o := dc.original(press)) and o.content and o)
        assert "Page 2 of 2" in two.content and "21. " in two.content
        back = await dc.click(GUILD, CHANNEL, OWNER, two.id, two.custom_ids[0])  # Previous
        one = await eventually(lambda: (o := dc.original(back)) and o.content and o)
        assert "1. " in one.content and "21. " not in one.content
        await eventually(lambda: two.deleted or None)
        assert not preview.deleted
