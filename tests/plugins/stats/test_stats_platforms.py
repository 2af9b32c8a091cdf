"""/stats through the real Telegram and Discord clients against the fake servers: the chart
arrives as a photo on Telegram and as an attachment on Discord."""

from bot.testing.discord import CHANNEL, GUILD, OWNER, discord_bot, eventually
from bot.testing.telegram import GROUP, telegram_bot

CONFIG = {"bot": {"locale": "en"}}
ANN, BOB = 42, 43
PNG = b"\x89PNG\r\n\x1a\n"


async def test_telegram_admin_gets_the_trend_as_a_photo():
    async with telegram_bot(plugins=["stats"], config=CONFIG) as bot:
        bot.tg.add_user(ANN, "Ann", "ann")
        bot.tg.add_user(BOB, "Bob", "bob")
        bot.tg.set_member(GROUP, ANN, "administrator")
        for text in ("hello", "how is everyone?"):
            await bot.say(ANN, text)
            await bot.say(BOB, text)
        sent = await bot.say(ANN, "/stats")
        photos = [s for s in sent if s.get("photo")]
        assert photos and all(p["photo"].startswith(PNG) for p in photos)
        text = " ".join(s.get("visible_text") or "" for s in sent)
        assert "4 messages" in text and "2 speakers" in text


async def test_discord_slash_stats_sends_the_charts_as_attachments():
    async with discord_bot(plugins=["stats"], config=CONFIG) as (app, dc):
        await dc.user_says(CHANNEL, OWNER, "good morning")
        await dc.user_says(CHANNEL, OWNER, "anyone here?")
        interaction = await dc.slash(GUILD, CHANNEL, OWNER, "stats", [])

        def with_files():
            return [m for m in dc.sent(CHANNEL) if m.files] or None

        messages = await eventually(with_files)
        files = [f for m in messages for f in m.files]
        assert {f.filename for f in files} >= {"stats-trend-7d.png"}
        assert all(f.data.startswith(PNG) for f in files)
        assert interaction


async def test_telegram_weekly_report_photo_and_export_document_in_private():
    async with telegram_bot(plugins=["stats"], config=CONFIG) as bot:
        bot.tg.add_user(ANN, "Ann", "ann", started=True)
        bot.tg.add_user(BOB, "Bob", "bob")
        bot.tg.set_member(GROUP, ANN, "administrator")
        for text in ("hello", "how is everyone?"):
            await bot.say(BOB, text)
        # The week's report: text, then the trend chart as a photo in the group.
        sent = await bot.say(ANN, "/stats report week")
        photos = [s for s in sent if s.get("photo")]
        assert [s["chat_id"] for s in photos] == [GROUP] and photos[0]["photo"].startswith(PNG)
        assert "Weekly report" in " ".join(s.get("visible_text") or "" for s in sent)
        # The export: a CSV document in Ann's private chat, a note in the group.
        sent = await bot.say(ANN, "/stats export")
        [document] = [s for s in sent if s.get("document")]
        assert document["chat_id"] == ANN and document["filename"].endswith(".csv")
        rows = document["document"].decode("utf-8-sig").splitlines()
        assert rows[0].startswith("platform,group,group_name,period,start,end,timezone,messages")
        assert any(",hour," in row for row in rows[1:])
        assert any(s["chat_id"] == GROUP and "private chat" in (s.get("visible_text") or "") for s in sent)
