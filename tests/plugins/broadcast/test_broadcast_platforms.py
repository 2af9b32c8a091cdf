"""Broadcast through the real Telegram and Discord clients against the fake servers: a reply
to an HQ message copied with its link to every group once, a 5xx retried, a group that removed
the bot failed with the reason, the leader's button tallied."""

from bot.adapters.telegram import calls
from bot.testing.discord import ALICE, CHANNEL, GUILD, OWNER, discord_bot, eventually, seed_guild, settle
from bot.testing.fake_discord import MANAGE_MESSAGES, option, subcommand
from bot.testing.telegram import GROUP, telegram_bot
from bot.testing.telegram import OWNER as TG_OWNER
from plugins.broadcast import Broadcasts, plugin
from plugins.broadcast.models import RECALLED, SENT, Broadcast, Delivery

FAST = {"rate_per_second": 1000, "group_gap_seconds": 0, "retry_seconds": 60}
TARGETS = [-1002000000000 - n for n in range(1, 11)]
ANN = 42
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") * 2 + b"rest"


async def test_telegram_copy_of_a_photo_pinned_confirmed_and_recalled(monkeypatch):
    monkeypatch.setattr(calls, "NETWORK_DELAYS", (0.01, 0.01, 0.01))
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
        # The bot is removed from the last group without noticing (no update), and may not pin
        # in the second.
        bot.tg.set_member(TARGETS[-1], bot.tg.bot_id, "kicked")
        bot.tg.set_bot_rights(TARGETS[1], can_pin_messages=False)
        entities = [
            {"type": "bold", "offset": 0, "length": 4},
            {"type": "text_link", "offset": 9, "length": 4, "url": "https://example.org/form"},
        ]
        update = bot.tg.user_says(GROUP, TG_OWNER, "Fill the form today", entities=entities, photo=PNG)
        await bot.settle()
        [preview] = await bot.say(
            TG_OWNER, "/broadcast pin at 10:00", reply_to=update["message"]["message_id"]
        )
        text = preview["visible_text"]
        assert "to 10 groups (all groups), at 10:00 in each group's local time" in text
        assert "📎 Each group gets a copy of the message itself" in text and "📌" in text
        assert "Fill the form (https://example.org/form) today\n[photo]" in text  # what others get
        bot.tg.fail_next("copyMessage", 502, times=1)
        await bot.click(TG_OWNER, preview, "Confirm")
        await bot.clock.advance(3600)  # 10:00 in Shanghai: all due; the first try hits the 502
        service = bot.app.scope("broadcast").service(Broadcasts)
        await service.run()
        for chat in TARGETS[:-1]:
            [copy] = [m for m in bot.tg.sent(chat) if m["method"] == "copyMessage"]
            assert copy["photo"] == PNG and copy["visible_text"] == "Fill the form today"
            assert copy["entities"] == entities  # Telegram's own copy: bold and link kept
        pinned = [chat for chat in TARGETS[:-1] if bot.tg.pinned(chat)]
        assert pinned == [TARGETS[0], *TARGETS[2:-1]]
        leader_copy = next(m for m in bot.tg.sent(TARGETS[0]) if m["method"] == "copyMessage")
        answer = await bot.click(ANN, leader_copy, "✅ Received")
        assert answer["text"] == "Thanks, HQ sees that you received it."
        [status] = await bot.say(TG_OWNER, "/broadcast status 1")
        text = status["visible_text"]
        assert "sent 9/10 · failed 1 · unknown 0 · waiting 0" in text
        assert "Class 9: Telegram refused: Forbidden: bot was kicked" in text
        assert "Leaders confirmed: 1/1" in text
        assert "📌 Pinned: 8/9" in text
        assert "📌✖ Class 1: not pinned: Telegram refused" in text
        assert "Not enough rights to manage pinned messages" in text
        assert await Delivery.filter(status=SENT).count() == 9

        [answer] = await bot.say(TG_OWNER, "/broadcast recall 1")
        assert "deleting 9 copies" in answer["visible_text"]
        await service.run()
        for chat in TARGETS[:-1]:
            [copy] = [m for m in bot.tg.sent(chat) if m["method"] == "copyMessage"]
            assert copy["deleted"] and bot.tg.pinned(chat) == []
        summary = bot.tg.sent(GROUP)[-1]["visible_text"]
        assert "🗑 Recall: deleted 9 · not deleted 0 · waiting 0" in summary


async def test_discord_copy_by_link_with_a_file_pinned_and_recalled():
    config = {"bot": {"owners": [f"discord:{OWNER}"], "locale": "en"},
              "plugins": {"broadcast": FAST}}

    def seed(dc):
        seed_guild(dc)
        for guild, channel, name in (("2", "20", "Branch"), ("3", "30", "Annex")):
            dc.add_guild(guild, name, owner_id=OWNER, channels=[{"id": channel, "name": "general"}])
            dc.add_member(guild, ALICE)
        # The bot may pin in Branch only.
        dc.add_role("2", "25", "qunbot", position=1, permissions=MANAGE_MESSAGES)
        dc.set_bot_roles("2", ["25"])

    async with discord_bot(plugins=[plugin], config=config, seed=seed) as (app, dc):
        await dc.user_says("20", ALICE, "hi")
        await dc.user_says("30", ALICE, "hi")
        interaction = await dc.slash(GUILD, CHANNEL, OWNER, "hq", [subcommand("set")])
        [answer] = await eventually(lambda: dc.callbacks(interaction))
        assert "is now the HQ" in str(answer)
        original = await dc.user_says(
            CHANNEL, OWNER, "**Server maintenance** at 22:00",
            attachments=[{"filename": "plan.png", "data": PNG, "content_type": "image/png"}],
        )
        await settle(app)
        link = f"https://discord.com/channels/{GUILD}/{CHANNEL}/{original}"
        text = option("text", f"pin {link}")
        interaction = await dc.slash(GUILD, CHANNEL, OWNER, "broadcast", [subcommand("me", text)])
        await eventually(lambda: dc.callbacks(interaction))
        preview = await eventually(lambda: dc.original(interaction))
        assert "Broadcast #1 preview: to 2 groups" in preview.content
        assert "Server maintenance" in preview.content and "[photo]" in preview.content
        click = await dc.click(GUILD, CHANNEL, OWNER, preview.id, preview.custom_ids[0])
        await eventually(lambda: dc.callbacks(click))
        service = app.scope("broadcast").service(Broadcasts)
        await service.run()
        for channel in ("20", "30"):
            [copy] = [m for m in dc.sent(channel) if "maintenance" in m.content]
            assert copy.content == "**Server maintenance** at 22:00"  # its own markdown
            assert [(f.filename, f.data) for f in copy.files] == [("plan.png", PNG)]
        assert dc.pinned("20") == [[m for m in dc.sent("20") if m.files][0].id]
        assert dc.pinned("30") == []
        tally = await service.reports.tally(1)
        status = await service.reports.summary("en", await Broadcast.get(id=1), tally)
        assert "📌 Pinned: 1/2" in status and "📌✖ Annex: not pinned: discord: cannot pin" in status
        assert await Delivery.filter(status=SENT).count() == 2

        recall = option("id", 1)
        interaction = await dc.slash(GUILD, CHANNEL, OWNER, "broadcast", [subcommand("recall", recall)])
        await eventually(lambda: dc.callbacks(interaction))
        await service.run()
        assert all(m.deleted for channel in ("20", "30") for m in dc.sent(channel) if m.files)
        assert dc.pinned("20") == []
        assert await Delivery.filter(status=RECALLED).count() == 2
