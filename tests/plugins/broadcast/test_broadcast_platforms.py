"""Broadcast through the real Telegram and Discord clients against the fake servers: a reply
to an HQ message copied with its link to every group once, a 5xx retried, a group that removed
the bot failed with the reason, the leader's button tallied."""

from bot.testing.discord import ALICE, CHANNEL, GUILD, OWNER, discord_bot, eventually, seed_guild
from bot.testing.fake_discord import option, subcommand
from bot.testing.telegram import GROUP, telegram_bot
from bot.testing.telegram import OWNER as TG_OWNER
from plugins.broadcast import Broadcasts, plugin
from plugins.broadcast.models import SENT, Delivery

FAST = {"rate_per_second": 1000, "group_gap_seconds": 0, "retry_seconds": 60}
TARGETS = [-1002000000000 - n for n in range(1, 11)]
ANN = 42


async def test_telegram_reply_broadcast_to_ten_groups(tmp_path):
    config = {"bot": {"owners": [f"telegram:{TG_OWNER}"], "locale": "en"},
              "plugins": {"broadcast": FAST}}
    async with telegram_bot(plugins=[plugin], config=config) as bot:
        bot.tg.add_user(ANN, "Ann", "ann")
        for number, chat in enumerate(TARGETS):
            bot.tg.add_chat(chat, f"Class {number}")
            bot.tg.set_member(chat, TG_OWNER, "creator")
            bot.tg.set_member(chat, ANN, "member")
            await bot.say(ANN, "hello", chat_id=chat)
        await bot.say(TG_OWNER, "/groups leader @ann", chat_id=TARGETS[0])
        await bot.say(TG_OWNER, "/hq set")
        # The bot is removed from the last group without noticing (no update).
        bot.tg.set_member(TARGETS[-1], bot.tg.bot_id, "kicked")
        entities = [{"type": "text_link", "offset": 10, "length": 4, "url": "https://example.org/form"}]
        update = bot.tg.user_says(GROUP, TG_OWNER, "Fill the form today", entities=entities)
        await bot.settle()
        [preview] = await bot.say(
            TG_OWNER, "/broadcast at 10:00", reply_to=update["message"]["message_id"]
        )
        assert "to 10 groups (all groups), at 10:00 in each group's local time" in preview["visible_text"]
        bot.tg.fail_next("copyMessage", 502, times=1)
        await bot.click(TG_OWNER, preview, "Confirm")
        await bot.clock.advance(3600)  # 10:00 in Shanghai: all due; the first try hits the 502
        service = bot.app.scope("broadcast").service(Broadcasts)
        await service.run()
        await bot.clock.advance(61)
        await service.run()
        for chat in TARGETS[:-1]:
            copies = [m for m in bot.tg.sent(chat) if "Fill the form today" in m["visible_text"]]
            assert len(copies) == 1, chat
            assert copies[0]["method"] == "copyMessage"  # Telegram's own copy, entities and all
            assert copies[0]["entities"] == entities
        leader_copy = next(m for m in bot.tg.sent(TARGETS[0]) if "Fill the form" in m["visible_text"])
        answer = await bot.click(ANN, leader_copy, "✅ Received")
        assert answer["text"] == "Thanks, HQ sees that you received it."
        [status] = await bot.say(TG_OWNER, "/broadcast status 1")
        text = status["visible_text"]
        assert "sent 9/10 · failed 1 · unknown 0 · waiting 0" in text
        assert "Class 9: Telegram refused: Forbidden: bot was kicked" in text
        assert "Leaders confirmed: 1/1" in text
        assert await Delivery.filter(status=SENT).count() == 9


async def test_discord_broadcast_from_hq_channel_to_another_server():
    config = {"bot": {"owners": [f"discord:{OWNER}"], "locale": "en"},
              "plugins": {"broadcast": FAST}}

    def seed(dc):
        seed_guild(dc)
        dc.add_guild("2", "Branch", owner_id=OWNER, channels=[{"id": "20", "name": "general"}])
        dc.add_member("2", ALICE)

    async with discord_bot(plugins=[plugin], config=config, seed=seed) as (app, dc):
        await dc.user_says("20", ALICE, "hi")
        interaction = await dc.slash(GUILD, CHANNEL, OWNER, "hq", [subcommand("set")])
        [answer] = await eventually(lambda: dc.callbacks(interaction))
        assert "is now the HQ" in str(answer)
        text = option("text", "Server maintenance at 22:00")
        interaction = await dc.slash(GUILD, CHANNEL, OWNER, "broadcast", [subcommand("me", text)])
        await eventually(lambda: dc.callbacks(interaction))
        preview = await eventually(lambda: dc.original(interaction))
        assert "Broadcast #1 preview: to 1 group " in preview.content
        click = await dc.click(GUILD, CHANNEL, OWNER, preview.id, preview.custom_ids[0])
        await eventually(lambda: dc.callbacks(click))
        await app.scope("broadcast").service(Broadcasts).run()
        copies = await eventually(
            lambda: [m for m in dc.sent("20") if "Server maintenance at 22:00" in m.content]
        )
        assert len(copies) == 1
        assert await Delivery.filter(status=SENT).count() == 1
