"""Inactive members through the real Telegram and Discord clients against the fake servers:
the preview, the Confirm button, the kick at the deadline, and undo."""

from datetime import UTC, datetime, timedelta

from bot.storage.models import RosterMember
from bot.testing.discord import (
    ALICE,
    BOB,
    CAROL,
    CHANNEL,
    GUILD,
    OWNER,
    discord_bot,
    eventually,
    settle,
)
from bot.testing.fake_discord import subcommand
from bot.testing.telegram import GROUP, telegram_bot
from bot.testing.telegram import OWNER as TG_OWNER

CONFIG = {"bot": {"locale": "en"}}
ANN, BOB_TG = 42, 43


async def test_telegram_preview_confirm_kick_and_unban():
    async with telegram_bot(plugins=["inactive"], config=CONFIG) as bot:
        bot.tg.add_user(ANN, "Ann", "ann")
        bot.tg.add_user(BOB_TG, "Bob", "bob")
        bot.tg.set_member(GROUP, ANN, "member")
        bot.tg.set_member(GROUP, BOB_TG, "member")
        await bot.say(TG_OWNER, "hello")
        await bot.say(ANN, "hi")
        await bot.say(BOB_TG, "hi")
        await bot.clock.advance(timedelta(days=40))
        await bot.settle()
        await bot.say(ANN, "still here")
        [preview] = await bot.say(TG_OWNER, "/inactive preview")
        assert "1 would be removed" in preview["visible_text"]
        assert "Bob — not seen for 40 days" in preview["visible_text"]
        assert "Olga" not in preview["visible_text"]  # the creator
        # A member cannot confirm.
        answer = await bot.click(ANN, preview, "Confirm")
        assert "Only an admin" in answer.get("text", "")
        assert bot.tg.calls("banChatMember") == []
        await bot.click(TG_OWNER, preview, "Confirm")
        # Bob never opened a private chat with the bot: Telegram refuses, the group is told.
        warning = bot.tg.sent(GROUP)[-1]["visible_text"]
        assert warning.startswith("⚠️ Inactivity notice: this member will be removed")
        assert "Bob" in warning
        await bot.clock.advance(timedelta(days=3))
        await bot.settle()
        [ban] = bot.tg.calls("banChatMember")
        assert str(ban["user_id"]) == str(BOB_TG) and ban.get("until_date")
        assert bot.tg.member(GROUP, BOB_TG)["status"] == "kicked"
        [undone] = await bot.say(TG_OWNER, "/inactive undo 1")
        assert "Run #1 undone" in undone["visible_text"]
        [unban] = bot.tg.calls("unbanChatMember")
        assert str(unban["user_id"]) == str(BOB_TG) and unban.get("only_if_banned") in (True, "true", "True")
        assert bot.tg.member(GROUP, BOB_TG)["status"] == "left"


async def test_discord_preview_confirm_and_kick():
    # The Discord kit runs on the real clock: the lurkers' last sighting is set 40 days back.
    config = {**CONFIG, "plugins": {"inactive": {"warn_days": 0}}}
    async with discord_bot(plugins=["inactive"], config=config) as (app, dc):
        for user in (OWNER, ALICE, BOB, CAROL):
            await dc.user_says(CHANNEL, user, "hello")
        await settle(app)
        await app.flush()
        long_ago = datetime.now(UTC) - timedelta(days=40)
        await RosterMember.filter(platform="discord", user_id__in=[ALICE, BOB, CAROL]).update(
            last_active_at=long_ago, joined_at=long_ago
        )
        interaction = await dc.slash(GUILD, CHANNEL, OWNER, "inactive", [subcommand("preview")])
        preview = await eventually(lambda: (o := dc.original(interaction)) and o.content and o)
        # Alice is a moderator and the owner spoke: only Bob and Carol are selected.
        assert "2 would be removed" in preview.content
        assert "Bob" in preview.content and "Carol" in preview.content
        assert "admins 1" in preview.content
        confirm = preview.custom_ids[0]
        press = await dc.click(GUILD, CHANNEL, BOB, preview.id, confirm)
        refusal = await eventually(lambda: dc.callbacks(press))
        assert "Only an admin" in str(refusal[0].data)
        assert dc.kicks == []
        await dc.click(GUILD, CHANNEL, OWNER, preview.id, confirm)
        # Carol's role (Elder) is above the bot's: Discord refuses, and the run stops there.
        report = await eventually(
            lambda: [m for m in dc.sent(CHANNEL) if "Run #1" in m.content] or None
        )
        kicked = [k.user_id for k in dc.kicks]
        assert kicked == [BOB]
        assert "stopped" in report[-1].content and "Carol" in report[-1].content


async def test_telegram_on_postgres(pg_url):
    async with telegram_bot(plugins=["inactive"], config=CONFIG, database_url=pg_url) as bot:
        bot.tg.add_user(BOB_TG, "Bob", "bob")
        bot.tg.set_member(GROUP, BOB_TG, "member")
        await bot.say(BOB_TG, "hi")
        await bot.clock.advance(timedelta(days=40))
        await bot.settle()
        [preview] = await bot.say(TG_OWNER, "/inactive preview")
        await bot.click(TG_OWNER, preview, "Confirm")
        await bot.clock.advance(timedelta(days=3))
        await bot.settle()
        assert [str(c["user_id"]) for c in bot.tg.calls("banChatMember")] == [str(BOB_TG)]
