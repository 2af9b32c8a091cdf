"""Check-in through the real Telegram and Discord clients against the fake servers."""

from bot import GroupRef, MemberRef
from bot.testing.discord import ALICE, CHANNEL, GUILD, discord_bot, eventually
from bot.testing.fake_discord import option, subcommand
from bot.testing.telegram import GROUP, telegram_bot
from plugins.points import Points

POINTS = {"activity_points": "none", "announce_level_up": False}
CONFIG = {"bot": {"locale": "en"}, "plugins": {"points": POINTS}}
ANN, BOB = 42, 43


async def balance(app, platform: str, group: str, user: str) -> int:
    member = MemberRef(platform, user, GroupRef(platform, group, group))
    return await app.scope("points").service(Points).balance(member)


async def test_telegram_plain_word_command_and_redelivery():
    async with telegram_bot(plugins=["checkin"], config=CONFIG) as bot:
        bot.tg.add_user(ANN, "Ann", "ann")
        bot.tg.add_user(BOB, "Bob", "bob")
        [first] = await bot.say(ANN, "签到")
        assert "#1 today" in first["visible_text"] and "+20 points" in first["visible_text"]
        update = bot.tg.user_says(GROUP, BOB, "/checkin")
        await bot.settle()
        bot.tg.redeliver(update)  # Telegram hands the same update out again after a crash
        await bot.settle()
        replies = [s["visible_text"] for s in bot.tg.sent(GROUP)]
        assert sum("checked in — #2 today" in r for r in replies) == 1
        [again] = await bot.say(BOB, "/checkin@qunbot_test")
        assert "already checked in today" in again["visible_text"]
        assert await balance(bot.app, "telegram", str(GROUP), str(ANN)) == 20
        assert await balance(bot.app, "telegram", str(GROUP), str(BOB)) == 15


async def test_discord_slash_subcommands_and_plain_word():
    async with discord_bot(plugins=["checkin"], config=CONFIG) as (app, dc):
        await dc.user_says(CHANNEL, ALICE, "checkin")
        [reply] = await eventually(lambda: dc.sent(CHANNEL))
        assert "#1 today" in reply.content
        makeup = subcommand("makeup", option("day", "not-a-date"))
        interaction = await dc.slash(GUILD, CHANNEL, ALICE, "checkin", [makeup])
        answer = await eventually(lambda: dc.callbacks(interaction))
        assert "is not a date: use 2025-12-04, 12-04" in str(answer[-1])
        interaction = await dc.slash(GUILD, CHANNEL, ALICE, "checkin", [subcommand("stats")])
        answer = await eventually(lambda: dc.callbacks(interaction))
        assert "Mo  Tu  We" in str(answer[-1])
        assert await balance(app, "discord", GUILD, ALICE) == 20

