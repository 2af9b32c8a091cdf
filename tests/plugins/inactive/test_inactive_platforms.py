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
from bot.testing.fake_discord import option, subcommand
from bot.testing.telegram import GROUP, telegram_bot
from bot.testing.telegram import OWNER as TG_OWNER

CONFIG = {"bot": {"locale": "en"}}
ANN, BOB_TG, CARL, HELPER = 42, 43, 44, 45
HELPER_DC = "104"


async def test_telegram_preview_confirm_warn_kick_and_unban():
    async with telegram_bot(plugins=["inactive"], config=CONFIG) as bot:
        bot.tg.add_user(ANN, "Ann", "ann")
        bot.tg.add_user(BOB_TG, "Bob", "bob")
        bot.tg.add_user(CARL, "Carl", "carl", started=True)  # pressed Start: reachable privately
        bot.tg.add_user(HELPER, "HelperBot", "helper_bot", is_bot=True)
        for user in (ANN, BOB_TG, CARL):
            bot.tg.set_member(GROUP, user, "member")
        bot.tg.user_joins(GROUP, HELPER)  # a bot joins and never speaks: never selected
        await bot.say(TG_OWNER, "hello")
        for user in (ANN, BOB_TG, CARL):
            await bot.say(user, "hi")
        await bot.clock.advance(timedelta(days=40))
        await bot.settle()
        await bot.say(ANN, "still here")
        [preview] = await bot.say(TG_OWNER, "/inactive preview")
        text = preview["visible_text"]
        assert "2 would be removed" in text
        assert "Bob — not seen for 40 days" in text and "Carl — not seen for 40 days" in text
        assert "Olga" not in text  # the creator
        assert "HelperBot" not in text and "bots" not in text
        assert (await RosterMember.get(platform="telegram", user_id=str(HELPER))).is_bot
        # A member cannot confirm.
        answer = await bot.click(ANN, preview, "Confirm")
        assert "Only an admin" in answer.get("text", "")
        assert bot.tg.calls("banChatMember") == []
        await bot.click(TG_OWNER, preview, "Confirm")
        [dm] = bot.tg.sent(CARL)
        assert "you are on the list of inactive members to be removed" in dm["visible_text"]
        # Bob never opened a private chat with the bot: Telegram refuses, the group is told.
        warning = bot.tg.sent(GROUP)[-1]["visible_text"]
        assert warning.startswith("⚠️ Inactivity notice: this member will be removed")
        assert "Bob" in warning and "1 more was told privately." in warning
        await bot.clock.advance(timedelta(days=3))
        await bot.settle()
        bans = bot.tg.calls("banChatMember")
        assert sorted(str(b["user_id"]) for b in bans) == [str(BOB_TG), str(CARL)]
        assert all(b.get("until_date") for b in bans)
        assert bot.tg.member(GROUP, BOB_TG)["status"] == "kicked"
        out = await bot.say(TG_OWNER, "/inactive undo 1")
        [undone] = [m for m in out if m["chat_id"] == GROUP]
        assert "Run #1 undone: 2 members may come back" in undone["visible_text"]
        unbans = bot.tg.calls("unbanChatMember")
        assert sorted(str(u["user_id"]) for u in unbans) == [str(BOB_TG), str(CARL)]
        assert all(u.get("only_if_banned") in (True, "true", "True") for u in unbans)
        assert bot.tg.member(GROUP, BOB_TG)["status"] == "left"
        assert "an admin has undone it" in bot.tg.sent(CARL)[-1]["visible_text"]


async def lurkers_on_discord(app, dc):
    """Everyone speaks, a bot joins; then the bot's clock says 40 days passed for all but the
    owner (the Discord kit runs on the real clock: their last sighting is set 40 days back)."""
    await dc.member_joins(GUILD, HELPER_DC, "helper", bot=True)
    for user in (OWNER, ALICE, BOB, CAROL):
        await dc.user_says(CHANNEL, user, "hello")
    await settle(app)
    await app.flush()
    long_ago = datetime.now(UTC) - timedelta(days=40)
    await RosterMember.filter(platform="discord", user_id__in=[ALICE, BOB, CAROL, HELPER_DC]).update(
        last_active_at=long_ago, joined_at=long_ago
    )
    assert (await RosterMember.get(platform="discord", user_id=HELPER_DC)).is_bot


async def discord_preview(dc):
    interaction = await dc.slash(GUILD, CHANNEL, OWNER, "inactive", [subcommand("preview")])
    return await eventually(lambda: (o := dc.original(interaction)) and o.content and o)


async def test_discord_preview_confirm_kick_and_undo():
    config = {**CONFIG, "plugins": {"inactive": {"warn_days": 0}}}
    async with discord_bot(plugins=["inactive"], config=config) as (app, dc):
        await lurkers_on_discord(app, dc)
        preview = await discord_preview(dc)
        # Alice is a moderator, the owner spoke, the bot is a bot: only Bob and Carol.
        assert "2 would be removed" in preview.content
        assert "Bob" in preview.content and "Carol" in preview.content
        assert "admins 1" in preview.content and "helper" not in preview.content
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
        # Undo: a Discord kick needs no unban; Bob is told privately.
        undo = await dc.slash(GUILD, CHANNEL, OWNER, "inactive", [subcommand("undo", option("run", 1))])
        undone = await eventually(lambda: (o := dc.original(undo)) and o.content and o)
        assert "Run #1 undone: 1 member may come back (Bob)" in undone.content
        dm = await eventually(lambda: dc.dms(BOB) or None)
        assert "an admin has undone it" in dm[-1].content


async def test_discord_warning_by_dm_and_in_the_channel_for_the_rest():
    async with discord_bot(plugins=["inactive"], config=CONFIG) as (app, dc):
        dc.dm_closed.add(CAROL)  # Carol accepts no private messages from server members
        await lurkers_on_discord(app, dc)
        preview = await discord_preview(dc)
        await dc.click(GUILD, CHANNEL, OWNER, preview.id, preview.custom_ids[0])
        warning = await eventually(
            lambda: [m for m in dc.sent(CHANNEL) if m.content.startswith("⚠️")] or None
        )
        assert "this member will be removed" in warning[-1].content
        assert f"<@{CAROL}>" in warning[-1].content and "1 more was told privately." in warning[-1].content
        [dm] = dc.dms(BOB)
        assert "you are on the list of inactive members to be removed" in dm.content
        assert dc.dms(CAROL) == [] and dc.kicks == []


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
