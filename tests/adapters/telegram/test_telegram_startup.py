"""Start-up, modes and secrets of the Telegram adapter, against the fake Bot API."""

from __future__ import annotations

import asyncio
import io
import logging
import socket
import sys
from datetime import timedelta

import pytest

from bot import Context, Plugin
from bot.adapters.telegram import TelegramAdapter, TokenRejected
from bot.adapters.telegram.limits import OutboundLimiter
from bot.app import App
from bot.clock import FakeClock
from bot.config import Config
from bot.logs import RedactingFilter
from bot.testing.driver import DEFAULT_START, eventually
from bot.testing.fake_telegram import FakeTelegramServer
from bot.testing.telegram import GROUP, OWNER, TOKEN, TelegramBot, telegram_app, telegram_bot

ANN = 42
app_plugin = Plugin("tgstart", needs_content=True)


@app_plugin.command("echo")
async def echo(ctx: Context) -> None:
    await ctx.reply("echo")


@app_plugin.command("mod", right="restrict", level="admin")
async def mod(ctx: Context) -> None:
    await ctx.reply("mod")


@app_plugin.command("mod list", level="admin")
async def mod_list(ctx: Context) -> None:
    await ctx.reply("list")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

# -- tokens ------------------------------------------------------------------------------------


async def test_a_revoked_token_stops_with_one_clear_line():
    async with FakeTelegramServer(TOKEN) as tg:
        wrong = "123456:REVOKED-abcdefghijklmnopqrstuvwxyz0123"
        config = Config.model_validate({"telegram": {"token": wrong, "base_url": tg.base_url}})
        app = App(config, adapters=[TelegramAdapter(config.telegram)], plugins={}, database_url="sqlite://:memory:")
        with pytest.raises(TokenRejected) as caught:
            await app.start()
        await app.stop()
    message = str(caught.value)
    assert "401" in message and "\n" not in message and wrong not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


async def test_qunbot_run_prints_one_line_for_a_revoked_token(tmp_path):
    async with FakeTelegramServer(TOKEN) as tg:
        (tmp_path / "config.toml").write_text(
            f'[telegram]\ntoken = "123456:REVOKED-abcdefghijklmnopqrstuvwxyz0123"\n'
            f'base_url = "{tg.base_url}"\n[database]\nurl = "sqlite://:memory:"\n'
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--config", str(tmp_path / "config.toml"), "run",
            cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    lines = stderr.decode().strip().splitlines()
    assert process.returncode == 2
    assert lines[-1].startswith("qunbot: Telegram rejected the bot token")
    assert "Traceback" not in stderr.decode() and "REVOKED" not in stderr.decode()


async def test_the_token_never_reaches_a_log_line_or_a_repr():
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter([TOKEN]))  # as `qunbot run` installs it
    raw: list[str] = []

    class Raw(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            raw.append(record.name + " " + record.getMessage())

    raw_handler = Raw()
    old_level = root.level
    root.addHandler(handler)
    root.addHandler(raw_handler)
    root.setLevel(logging.DEBUG)
    try:
        async with telegram_bot(plugins=[app_plugin]) as bot:
            bot.tg.fail_next("sendMessage", 400, "Bad Request: chat not found")
            await bot.say(ANN, "/echo")
            await bot.say(ANN, "/echo")
            assert TOKEN not in repr(bot.adapter) and TOKEN not in repr(bot.app.config)
    finally:
        root.removeHandler(handler)
        root.removeHandler(raw_handler)
        root.setLevel(old_level)
    output = stream.getvalue()
    assert "Calling Bot API endpoint" in output  # PTB's debug lines were captured
    assert TOKEN not in output
    ours = [line for line in raw if line.startswith("bot.")]
    assert ours and not any(TOKEN in line for line in ours)


# -- webhook -----------------------------------------------------------------------------------


async def test_webhook_mode_refuses_a_wrong_secret():
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    config = {
        "bot": {"locale": "en"},
        "telegram": {
            "mode": "webhook",
            "webhook_port": port,
            "webhook_path": "/hook",
            "webhook_url": url,
            "webhook_secret": "s3cret-s3cret",
        },
    }
    async with telegram_bot(plugins=[app_plugin], config=config) as bot:
        assert bot.tg.webhook["url"] == url and bot.tg.webhook["secret_token"] == "s3cret-s3cret"
        update = bot.tg.user_says(GROUP, ANN, "/echo")
        assert await bot.tg.push_webhook(url, update, "wrong") == 403
        assert await bot.tg.push_webhook(url, update) == 403
        await asyncio.sleep(0.1)
        assert bot.tg.sent() == []
        assert await bot.tg.push_webhook(url, update, "s3cret-s3cret") == 200
        await eventually(lambda: bot.tg.sent() != [])
        assert [s["visible_text"] for s in bot.tg.sent()] == ["echo"]


# -- menus and checks --------------------------------------------------------------------------


async def test_command_menu_per_language_synced_only_when_changed(tmp_path):
    clock = FakeClock(DEFAULT_START)
    url = f"sqlite://{tmp_path}/bot.sqlite3"
    async with FakeTelegramServer(TOKEN, "qunbot_test", now=clock.now) as tg:
        app = telegram_app(tg, [app_plugin], clock=clock, database_url=url)
        await app.start()
        await app.stop()
        for language in ("zh", "en"):
            members = [c["command"] for c in tg.commands(language_code=language)]
            admins = [
                c["command"]
                for c in tg.commands({"type": "all_chat_administrators"}, language)
            ]
            # "mod" needs an admin; "mod list" is listed under "mod".
            assert members == ["echo", "forgetme", "help", "id", "lang", "timezone"]
            assert admins == ["echo", "forgetme", "help", "id", "lang", "mod", "timezone"]
        english = {c["command"]: c["description"] for c in tg.commands(language_code="en")}
        chinese = {c["command"]: c["description"] for c in tg.commands(language_code="zh")}
        assert english["help"] != chinese["help"]
        calls = len(tg.calls("setMyCommands"))
        app = telegram_app(tg, [app_plugin], clock=clock, database_url=url)
        await app.start()
        await app.stop()
        assert len(tg.calls("setMyCommands")) == calls  # same command set: no new sync


async def test_warns_per_group_about_privacy_mode_and_missing_rights(caplog):
    quiet = -1003000000003
    async with telegram_bot(plugins=[app_plugin], privacy_mode=True) as bot:
        bot.tg.add_chat(quiet, "Quiet group", bot_status="left")
        bot.tg.set_member(quiet, OWNER, "creator")
        with caplog.at_level(logging.WARNING, logger="bot.adapters.telegram"):
            bot.tg.bot_added(quiet, status="member")
            await bot.settle()
        warnings = [r.getMessage() for r in caplog.records if str(quiet) in r.getMessage()]
        assert any("privacy mode hides ordinary messages" in w and "tgstart" in w for w in warnings)
        assert any("can_restrict_members, needed by /mod" in w for w in warnings)
        # The admin group the bot started in raises nothing.
        assert not [w for w in await bot.adapter.check_groups() if str(GROUP) in w]


async def test_a_redelivered_update_after_a_crash_is_not_applied_twice(tmp_path):
    clock = FakeClock(DEFAULT_START)
    url = f"sqlite://{tmp_path}/bot.sqlite3"
    async with FakeTelegramServer(TOKEN, "qunbot_test", now=clock.now) as tg:
        tg.add_chat(GROUP, "Test Group")
        app = telegram_app(tg, [app_plugin], clock=clock, database_url=url)
        await app.start()
        update = tg.user_says(GROUP, ANN, "/echo")
        await TelegramBot(app, tg, clock).settle()
        assert len(tg.sent()) == 1
        await app.stop()
        # As if the confirming getUpdates had been lost with the process: Telegram sends it again.
        tg.redeliver(update)
        handed_out = tg.handed_out
        app = telegram_app(tg, [app_plugin], clock=clock, database_url=url)
        await app.start()
        await TelegramBot(app, tg, clock).settle()
        await app.stop()
        assert tg.handed_out == handed_out + 1  # the repeat did reach the restarted bot
        assert [s["visible_text"] for s in tg.sent()] == ["echo"]


# -- the limiter -------------------------------------------------------------------------------


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_limiter_allows_20_a_minute_per_group_then_waits_for_the_window():
    time = FakeTime()
    limiter = OutboundLimiter(time=time, sleep=time.sleep)
    for _ in range(20):
        await limiter.acquire("-100")
    assert time.slept == []
    await limiter.acquire("-100")
    assert time.slept == [60.0]
    await limiter.acquire("-200")  # another group: no wait
    assert time.slept == [60.0]


async def test_limiter_caps_the_overall_rate_at_30_a_second():
    time = FakeTime()
    limiter = OutboundLimiter(time=time, sleep=time.sleep)
    for user in range(31):
        await limiter.acquire(str(1000 + user))  # private chats: no group window
    assert time.slept == [1.0]


async def test_mute_lengths_stay_inside_telegrams_limits_and_unban_spares_members():
    async with telegram_bot() as bot:
        tg, adapter, group = bot.tg, bot.adapter, str(GROUP)
        tg.set_member(GROUP, ANN, "member")
        now = int(bot.clock.now().timestamp())
        await adapter.mute(group, str(ANN), timedelta(seconds=5))  # under 30 s means forever
        await adapter.mute(group, str(ANN), timedelta(days=1000))  # so does over 366 days
        short, long = (call["until_date"] for call in tg.calls("restrictChatMember"))
        assert short == now + 40 and long == now + 365 * 86400
        assert tg.member(GROUP, ANN)["status"] == "restricted"
        await adapter.unmute(group, str(ANN))
        assert tg.member(GROUP, ANN)["status"] == "member"
        await adapter.unban(group, str(ANN))  # only_if_banned: a present member stays
        assert tg.member(GROUP, ANN)["status"] == "member"
        assert tg.calls("unbanChatMember")[0]["only_if_banned"] is True
