"""Tokens never reach a log line, whoever logs them."""

import logging

import pytest

from bot.logs import MASK, setup_logging

TELEGRAM = "123456789:AAEhBOweik9ad9jxk2cYhdLXLoLNwoaRGkM"
DISCORD = "MTA4NzA5ODI0NTY3ODkwMTIzNA.GcVd1x.abcdefghijklmnopqrstuvwxyz0123456"


@pytest.fixture
def logging_to_captured_stderr():
    """setup_logging's handler writes to this test's captured stderr; remove it afterwards so
    later tests do not log into a closed stream."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
    root.setLevel(level)


def test_token_shapes_and_configured_secrets_are_redacted(capfd, logging_to_captured_stderr):
    setup_logging("DEBUG", ["webhook-secret-value"])
    log = logging.getLogger("httpcore.test")
    log.warning("POST https://api.telegram.org/bot%s/getMe", TELEGRAM)
    log.warning("discord token %s and %s", DISCORD, "webhook-secret-value")
    try:
        raise RuntimeError(f"failed with {TELEGRAM}")
    except RuntimeError:
        log.exception("boom")
    err = capfd.readouterr().err
    assert TELEGRAM not in err and DISCORD not in err and "webhook-secret-value" not in err
    assert err.count(MASK) >= 4


# -- members' words at DEBUG (issue 18, item 13) --------------------------------------------------
PHONE = "13800138000"  # what a member wrote
SURNAME = "Zhangsecretname"  # a member's name


async def debug_run_on_telegram(capfd, personal_data: bool) -> str:
    """A member with a distinctive name writes a distinctive text to a bot on the real
    Telegram client and SQLite, logging at DEBUG; returns what was logged."""
    from bot.testing.telegram import GROUP, telegram_bot

    setup_logging("DEBUG", personal_data=personal_data)
    async with telegram_bot(["points"]) as bot:
        bot.tg.add_user(42, SURNAME, "zs")
        bot.tg.set_member(GROUP, 42, "member")
        await bot.say(42, f"my phone is {PHONE}")
        await bot.say(42, "/me")
    return capfd.readouterr().err


async def debug_run_on_discord(capfd, personal_data: bool) -> str:
    from bot.testing.discord import ALICE, CHANNEL, discord_bot, settle

    setup_logging("DEBUG", personal_data=personal_data)
    async with discord_bot(["points"]) as (app, dc):
        await dc.user_says(CHANNEL, ALICE, f"call me on {PHONE}")
        await settle(app)
    return capfd.readouterr().err


async def test_telegram_debug_logs_keep_members_words_out_unless_allowed(capfd, logging_to_captured_stderr):
    hidden = await debug_run_on_telegram(capfd, personal_data=False)
    # DEBUG is still useful: which endpoint, which query, how long each text was.
    assert "Calling Bot API endpoint `getUpdates`" in hidden
    assert "Call to Bot API endpoint `sendMessage` finished" in hidden
    assert "INSERT INTO" in hidden and "chars)" in hidden
    assert PHONE not in hidden and SURNAME not in hidden
    shown = await debug_run_on_telegram(capfd, personal_data=True)
    assert PHONE in shown and SURNAME in shown  # the flag lets them through, for a debugging session


async def test_discord_debug_logs_keep_members_words_out_unless_allowed(capfd, logging_to_captured_stderr):
    hidden = await debug_run_on_discord(capfd, personal_data=False)
    assert "WebSocket Event: {op: 0" in hidden and "t: 'MESSAGE_CREATE'" in hidden
    assert PHONE not in hidden
    shown = await debug_run_on_discord(capfd, personal_data=True)
    assert PHONE in shown


def test_the_flag_comes_from_the_config_or_the_environment(tmp_path, monkeypatch):
    from bot.config import load_config

    monkeypatch.chdir(tmp_path)
    assert load_config(None, env={}).logging.personal_data is False
    assert load_config(None, env={"QUNBOT_LOG_PERSONAL_DATA": "1"}).logging.personal_data is True
    (tmp_path / "config.toml").write_text("[logging]\npersonal_data = true\n")
    assert load_config(None, env={}).logging.personal_data is True
    assert load_config(None, env={"QUNBOT_LOG_PERSONAL_DATA": "0"}).logging.personal_data is False


def test_a_literal_tortoise_writes_into_a_query_is_hidden(capfd, logging_to_captured_stderr):
    setup_logging("DEBUG")
    sql = logging.getLogger("tortoise.db_client")
    sql.debug("%s: %s", f"""UPDATE "core_account" SET "name"='{SURNAME}' WHERE "id"=?""", [7])
    sql.debug(f"""INSERT INTO "x" VALUES ('{SURNAME}', 'it''s')""")  # a script: no parameters
    err = capfd.readouterr().err
    assert SURNAME not in err and "it''s" not in err
    assert """UPDATE "core_account" SET "name"='…' WHERE "id"=?: [1 items]""" in err
