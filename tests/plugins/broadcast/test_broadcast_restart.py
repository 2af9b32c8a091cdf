"""300 groups, the process dies in the middle of a send (after the platform took the copy,
before the record), a new process starts on the same database: every group has exactly one
copy. On the console and Telegram the copy in doubt is reported as unknown, not sent again; on
Discord it is sent again with its nonce and Discord answers with the copy it already has.
Through the real clients the first process is a child killed with SIGKILL."""

import asyncio
import json
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from broadcast_child import build

from bot.clock import FakeClock
from bot.testing.discord import ALICE, CHANNEL, GUILD, OWNER, discord_bot, eventually, seed_guild, settle
from bot.testing.driver import DEFAULT_START, ChatDriver, make_app
from bot.testing.fake_discord import FakeDiscordServer, option, subcommand
from bot.testing.fake_telegram import FakeTelegramServer
from bot.testing.telegram import GROUP as TG_GROUP
from bot.testing.telegram import OWNER as TG_OWNER
from bot.testing.telegram import TOKEN, TelegramBot
from plugins.broadcast import Broadcasts, plugin
from plugins.broadcast.models import SENT, UNKNOWN, Delivery

CONFIG = {
    "bot": {"owners": ["console:boss"], "locale": "en"},
    "plugins": {"broadcast": {"rate_per_second": 1000, "group_gap_seconds": 0}},
}
GROUPS = 300
DIE_AFTER = 137
ANN = 42


async def test_a_crash_mid_broadcast_sends_every_copy_at_most_once(tmp_path):
    url = f"sqlite://{tmp_path / 'bot.sqlite3'}"
    app, console = make_app([plugin], CONFIG, database_url=url)
    await app.start()
    fake = ChatDriver(app, console)
    await fake.say(":locale en", ":group hq", "boss: hi", "boss: /hq set")
    fake.admin("boss")
    for n in range(GROUPS):
        await fake.say(f":group g{n}", "ann: hi")
    await fake.say(":group hq", "boss: /broadcast Copy once")
    real_send = console.send
    sent = 0

    async def dying(channel_id, message):
        nonlocal sent
        result = await real_send(channel_id, message)
        if channel_id != "hq":
            sent += 1
            if sent == DIE_AFTER:
                raise asyncio.CancelledError  # the process is gone before the record
        return result

    console.send = dying
    await fake.click("boss", "Confirm")
    service = app.scope("broadcast").service(Broadcasts)
    await asyncio.gather(service._task, return_exceptions=True)
    first = [o.channel for o in console.outputs if o.text == "Copy once"]
    assert len(first) == DIE_AFTER
    await app.stop()

    app2, console2 = make_app([plugin], CONFIG, database_url=url)
    await app2.start()
    try:
        fake2 = ChatDriver(app2, console2)
        await fake2.run_job("broadcast.deliver")
        second = [o.channel for o in console2.outputs if o.text == "Copy once"]
        copies = first + second
        assert len(copies) == GROUPS + 1  # every group once: the console's lobby too, not HQ
        assert len(set(copies)) == len(copies)
        assert await Delivery.filter(status=SENT).count() == GROUPS
        [doubt] = await Delivery.filter(status=UNKNOWN)
        assert doubt.guild_id == first[-1]
        await fake2.say(":locale en", ":group hq")
        [status] = await fake2.say("boss: /broadcast status 1")
        assert f"sent {GROUPS}/{GROUPS + 1}" in status and "unknown 1" in status
    finally:
        await app2.stop()


# -- the same through the real clients, with a real kill -9 --------------------------------------

CHILD = Path(__file__).with_name("broadcast_child.py")


async def killed_mid_send(spec: dict, server, count) -> int:
    """Run the child bot on ``spec``; SIGKILL it once the fake server has stored copy
    ``DIE_AFTER`` (counted by ``count``) and before its answer leaves. Returns the copies
    stored by then."""
    sent = 0
    process: asyncio.subprocess.Process | None = None

    def on_send(record) -> None:
        nonlocal sent
        if process is not None and count(record):
            sent += 1
            if sent == DIE_AFTER:
                os.kill(process.pid, signal.SIGKILL)  # the copy exists; its answer never arrives

    server.on_send = on_send
    process = await asyncio.create_subprocess_exec(sys.executable, str(CHILD), json.dumps(spec))
    try:
        assert await asyncio.wait_for(process.wait(), 60) == -signal.SIGKILL
    finally:
        server.on_send = None
        if process.returncode is None:
            process.kill()
    return sent


async def test_telegram_300_groups_kill_9_mid_send_and_restart(tmp_path):
    url = f"sqlite://{tmp_path / 'bot.sqlite3'}"
    clock = FakeClock(DEFAULT_START)
    chats = [-1003000000000 - n for n in range(GROUPS)]
    config = {"bot": {"owners": [f"telegram:{TG_OWNER}"], "locale": "en"}, "plugins": CONFIG["plugins"]}
    async with FakeTelegramServer(TOKEN, "qunbot_test", privacy_mode=False, now=clock.now) as tg:
        tg.add_chat(TG_GROUP, "HQ")
        tg.add_user(TG_OWNER, "Olga", "olga")
        tg.set_member(TG_GROUP, TG_OWNER, "creator")
        tg.add_user(ANN, "Ann", "ann")
        spec = {
            "platform": "telegram", "database": url, "config": config, "now": clock.now().isoformat(),
            "endpoints": {"token": tg.token, "base_url": tg.base_url, "poll_timeout": 1},
        }
        first = TelegramBot(build(spec), tg, clock)
        await first.app.start()
        for n, chat in enumerate(chats):
            tg.add_chat(chat, f"G{n}")
            tg.user_says(chat, ANN, "hi")
        await first.say(TG_OWNER, "/hq set")
        [preview] = await first.say(TG_OWNER, "/broadcast Copy once")
        assert f"to {GROUPS} groups" in preview["visible_text"]
        assert await first.app.scope("broadcast").service(Broadcasts).confirm(1)  # queued, not drained
        await first.app.stop()

        sent = await killed_mid_send(
            spec, tg, lambda m: m["chat_id"] != TG_GROUP and m["visible_text"] == "Copy once"
        )
        assert sent == DIE_AFTER
        doubtful = [m for m in tg.sent() if m["visible_text"] == "Copy once"][-1]["chat_id"]

        second = TelegramBot(build(spec), tg, clock)
        await second.app.start()
        try:
            await second.app.scope("broadcast").service(Broadcasts).run()
            for chat in chats:
                assert [m["visible_text"] for m in tg.sent(chat)].count("Copy once") == 1, chat
            assert await Delivery.filter(status=SENT).count() == GROUPS - 1
            [unknown] = await Delivery.filter(status=UNKNOWN)
            assert int(unknown.guild_id) == doubtful  # reported, not sent again
            [status] = await second.say(TG_OWNER, "/broadcast status 1")
            assert f"sent {GROUPS - 1}/{GROUPS} · failed 0 · unknown 1" in status["visible_text"]
        finally:
            await second.app.stop()


async def test_discord_300_servers_kill_9_mid_send_and_the_nonce_saves_the_copy(tmp_path):
    url = f"sqlite://{tmp_path / 'bot.sqlite3'}"
    channels = [str(50000 + n) for n in range(GROUPS)]
    config = {"bot": {"owners": [f"discord:{OWNER}"], "locale": "en"}, "plugins": CONFIG["plugins"]}
    async with FakeDiscordServer() as dc:
        seed_guild(dc)
        for n, channel in enumerate(channels):
            general = [{"id": channel, "name": "general"}]
            dc.add_guild(str(10000 + n), f"S{n}", owner_id=OWNER, channels=general)
            dc.add_member(str(10000 + n), ALICE)
        async with discord_bot(plugins=[plugin], config=config, server=dc, database_url=url) as (app, _):
            for channel in channels:
                await dc.user_says(channel, ALICE, "hi")
            await settle(app)
            hq = await dc.slash(GUILD, CHANNEL, OWNER, "hq", [subcommand("set")])
            await eventually(lambda: dc.callbacks(hq))
            text = option("text", "Copy once")
            interaction = await dc.slash(GUILD, CHANNEL, OWNER, "broadcast", [subcommand("me", text)])
            preview = await eventually(lambda: dc.original(interaction))
            assert f"to {GROUPS} groups" in preview.content
            assert await app.scope("broadcast").service(Broadcasts).confirm(1)  # queued, not drained
        spec = {
            "platform": "discord", "database": url, "config": config,
            "now": datetime.now(UTC).isoformat(),
            "endpoints": {"token": dc.token, "api_base": dc.api_base, "gateway_url": dc.gateway_url},
        }
        sent = await killed_mid_send(
            spec, dc, lambda m: m.channel_id in channels and m.content == "Copy once"
        )
        assert sent == DIE_AFTER
        async with discord_bot(plugins=[plugin], config=config, server=dc, database_url=url) as (app, _):
            await app.scope("broadcast").service(Broadcasts).run()
            for channel in channels:
                assert [m.content for m in dc.sent(channel)] == ["Copy once"], channel
            # The copy in doubt was sent again with its nonce: Discord answered with the first.
            assert await Delivery.filter(status=SENT).count() == GROUPS
            assert await Delivery.filter(status=UNKNOWN).count() == 0
