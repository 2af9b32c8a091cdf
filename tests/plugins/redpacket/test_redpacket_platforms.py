"""Red packets through the real Telegram and Discord clients against the fake servers: the
member sees their amount privately (a Telegram alert, a Discord ephemeral answer), the packet's
message is edited and the result announced."""

from bot import GroupRef, MemberRef
from bot.testing.discord import ALICE, BOB, CAROL, CHANNEL, GUILD, discord_bot, eventually
from bot.testing.fake_discord import option, subcommand
from bot.testing.telegram import GROUP, telegram_bot
from plugins.points import Points
from plugins.redpacket import RedPackets, plugin
from tests.plugins.redpacket.conftest import CONFIG

ANN, BOB_TG, CY = 42, 43, 44


async def fund(app, platform: str, group: str, user: str, amount: int) -> None:
    member = MemberRef(platform, user, GroupRef(platform, group, group))
    await app.scope("points").service(Points).earn(member, amount, key=f"fund:{user}", reason="fund")


async def balance(app, platform: str, group: str, user: str) -> int:
    member = MemberRef(platform, user, GroupRef(platform, group, group))
    return await app.scope("points").service(Points).balance(member)


async def test_telegram_grab_alert_edit_and_result():
    async with telegram_bot(plugins=[plugin], config=CONFIG) as bot:
        for user, name in ((ANN, "Ann"), (BOB_TG, "Bob"), (CY, "Cy")):
            bot.tg.add_user(user, name, name.lower())
            await bot.say(user, "hello")
        await fund(bot.app, "telegram", str(GROUP), str(ANN), 100)
        [packet] = await bot.say(ANN, "/红包 30 2 新年快乐")
        assert "Ann sent a lucky red packet" in packet["visible_text"]
        answer = await bot.click(BOB_TG, packet, "Grab")
        assert answer["show_alert"] and answer["text"].startswith("🧧 You got ")
        got = int(answer["text"].split()[3])
        answer = await bot.click(BOB_TG, packet, "Grab")
        # A lucky share is random: 1 is "1 point".
        assert answer["text"] == f"You already grabbed this packet: {got} point{'' if got == 1 else 's'}."
        await bot.app.scope("redpacket").service(RedPackets).flush_edits()
        edited = bot.tg.message(GROUP, packet["message_id"])
        assert "1/2 grabbed" in edited["text"]
        await bot.click(CY, packet, "Grab")
        edited = bot.tg.message(GROUP, packet["message_id"])
        assert "All 2 shares (30 points) grabbed" in edited["text"] and "reply_markup" not in edited
        assert any("was emptied in" in s["visible_text"] for s in bot.tg.sent(GROUP))
        assert await balance(bot.app, "telegram", str(GROUP), str(ANN)) == 70
        assert await balance(bot.app, "telegram", str(GROUP), str(BOB_TG)) == got


async def test_discord_slash_send_and_ephemeral_grab():
    async with discord_bot(plugins=[plugin], config=CONFIG) as (app, dc):
        for user in (ALICE, BOB, CAROL):
            await dc.user_says(CHANNEL, user, "hello")
        await fund(app, "discord", GUILD, ALICE, 100)
        send = subcommand("me", option("total", 20), option("count", 2), option("message", "gl"))
        interaction = await dc.slash(GUILD, CHANNEL, ALICE, "redpacket", [send])
        await eventually(lambda: dc.callbacks(interaction))
        original = await eventually(lambda: dc.original(interaction))
        assert "Alice sent a lucky red packet" in original.content
        [custom_id] = original.custom_ids
        click = await dc.click(GUILD, CHANNEL, BOB, original.id, custom_id)
        [answer] = await eventually(lambda: dc.callbacks(click))
        assert answer.ephemeral and answer.data["content"].startswith("🧧 You got ")
        click = await dc.click(GUILD, CHANNEL, CAROL, original.id, custom_id)
        await eventually(lambda: dc.callbacks(click))
        await eventually(lambda: [m for m in dc.sent(CHANNEL) if "was emptied in" in m.content])
        assert "All 2 shares (20 points) grabbed" in dc.original(interaction).content
        assert await balance(app, "discord", GUILD, ALICE) == 80
