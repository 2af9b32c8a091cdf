"""How a self-hoster finds the ids config.toml wants (``owners``, per-group settings): /id in a
private chat gives their own, and the log names a group's id when the bot is added to it, on the
real Telegram client (issue 17, item 20; docs/telegram.md)."""

from __future__ import annotations

import logging

from bot.config import load_config
from bot.testing.telegram import telegram_bot

NEW_GROUP = -1001234567890


async def test_the_log_names_a_groups_id_when_the_bot_is_added_and_id_says_a_members(caplog, tmp_path):
    caplog.set_level(logging.INFO, logger="bot.builtins")
    async with telegram_bot(config={"bot": {"locale": "en"}}) as bot:
        bot.tg.add_user(4242, "Ann", "ann", language_code="en")
        bot.tg.add_chat(NEW_GROUP, "Study Group", bot_status="left")
        bot.tg.set_member(NEW_GROUP, 4242, "creator")
        bot.tg.bot_added(NEW_GROUP, by=4242)
        await bot.settle()
        assert f"added to group 'Study Group': its id is telegram:{NEW_GROUP}" in caplog.text
        [answer] = await bot.say(4242, "/id", chat_id=4242)  # a private chat with the bot
        assert answer["visible_text"] == "Your id: telegram:4242"
    # ... which are exactly what config.toml takes.
    path = tmp_path / "config.toml"
    path.write_text(
        f'[bot]\nowners = ["telegram:4242"]\n'
        f'[plugins.checkin.groups."telegram:{NEW_GROUP}"]\nremind_at = "20:30"\n'
    )
    assert load_config(str(path), env={}).bot.owners == ["telegram:4242"]


async def test_on_discord_too(caplog):
    from bot.testing.discord import ALICE, CHANNEL, GUILD, OWNER, discord_bot, eventually

    caplog.set_level(logging.INFO, logger="bot.builtins")
    async with discord_bot((), {"bot": {"locale": "en"}}) as (_app, dc):
        dc.add_guild("2", "My Server", owner_id=OWNER, channels=["20"], present=False)
        await dc.bot_added("2")
        await eventually(lambda: "added to group 'My Server': its id is discord:2" in caplog.text)
        interaction = await dc.slash(GUILD, CHANNEL, ALICE, "id")
        [answer] = await eventually(lambda: dc.callbacks(interaction))
        assert answer.data["content"] == f"Your id: discord:{ALICE}\nThis group's id: discord:{GUILD}"
