"""Starting, reconnecting and restarting the Discord adapter: intents, command sync, tokens,
and the AdapterOnline / AdapterOffline events plugins see."""

from __future__ import annotations

import logging

import discord
import pytest

from bot import Context, Plugin
from bot.adapters.base import Capability, PlatformError
from bot.events import AdapterOffline, AdapterOnline, MessageCreated
from bot.testing.discord import ALICE, CHANNEL, GUILD, discord_bot, eventually, seed_guild, settle
from bot.testing.fake_discord import MESSAGE_CONTENT, FakeDiscordServer

reader = Plugin("reader", needs_content=True)
counter = Plugin("counter")
extra = Plugin("extra")
watcher = Plugin("watcher")
texts: list[str] = []
counted: list[str] = []
states: list[str] = []


@reader.on(MessageCreated)
async def read(ctx: Context, event: MessageCreated) -> None:
    texts.append(event.message.text)
    if event.message.text == "ping":
        await ctx.reply("pong")


@counter.on(MessageCreated)
async def count(ctx: Context, event: MessageCreated) -> None:
    counted.append(event.message.id)


@watcher.on(AdapterOnline)
async def online(ctx: Context, event: AdapterOnline) -> None:
    states.append(f"{event.platform} online")


@watcher.on(AdapterOffline)
async def offline(ctx: Context, event: AdapterOffline) -> None:
    states.append(f"{event.platform} offline")


@extra.command("extra")
async def extra_command(ctx: Context) -> None:
    await ctx.reply("extra")


def setup_function() -> None:
    texts.clear()
    counted.clear()
    states.clear()


def content_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "MESSAGE CONTENT INTENT" in r.getMessage()]


async def test_refused_content_intent_disarms_plugins_that_read_messages(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, "bot.adapters.discord")
    async with FakeDiscordServer() as dc:
        seed_guild(dc)
        dc.refuse_intents = MESSAGE_CONTENT
        async with discord_bot([reader, counter], server=dc) as (app, _):
            adapter = app.adapter("discord")
            assert not adapter.supports(Capability.MESSAGE_CONTENT)
            assert dc.identified_intents & (1 << 1)  # members kept
            assert not dc.identified_intents & MESSAGE_CONTENT
            await dc.user_says(CHANNEL, ALICE, "hello")
            await eventually(lambda: counted)
            await settle(app)
            assert texts == []
            [line] = content_warnings(caplog)
            assert "developer portal" in line and line.endswith("reader")


async def test_content_arriving_empty_disarms_after_a_streak(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, "bot.adapters.discord")
    async with discord_bot([reader, counter]) as (app, dc):
        adapter = app.adapter("discord")
        await dc.user_says(CHANNEL, ALICE, "ping")
        await eventually(lambda: dc.sent(CHANNEL))
        assert adapter.supports(Capability.MESSAGE_CONTENT)
        dc.strip_content = True  # the portal switch was turned off while the bot ran
        for n in range(adapter.empty_content_limit):
            await dc.user_says(CHANNEL, ALICE, f"message {n}")
        await eventually(lambda: len(counted) == 1 + adapter.empty_content_limit)
        assert not adapter.supports(Capability.MESSAGE_CONTENT)
        read_before = len(texts)
        await dc.user_says(CHANNEL, ALICE, "one more")
        await eventually(lambda: len(counted) == 2 + adapter.empty_content_limit)
        await settle(app)
        assert len(texts) == read_before
        assert len(content_warnings(caplog)) == 1


async def test_attachments_and_stickers_do_not_count_as_missing_content() -> None:
    async with discord_bot([reader]) as (app, dc):
        adapter = app.adapter("discord")
        for _ in range(adapter.empty_content_limit + 1):
            await dc.user_says(CHANNEL, ALICE, "", attachments=["cat.png"])
        await eventually(lambda: len(texts) == adapter.empty_content_limit + 1)
        assert adapter.supports(Capability.MESSAGE_CONTENT)


async def test_command_sync_only_when_the_command_set_changed(tmp_path) -> None:
    url = f"sqlite://{tmp_path}/bot.sqlite3"
    global_put = r"/applications/900/commands"
    async with FakeDiscordServer() as dc:
        seed_guild(dc)
        async with discord_bot([counter], server=dc, database_url=url):
            pass
        assert dc.calls("PUT", global_put) == 1
        async with discord_bot([counter], server=dc, database_url=url):
            pass
        assert dc.calls("PUT", global_put) == 1  # same commands: no second sync
        async with discord_bot([counter, extra], server=dc, database_url=url):
            pass
        assert dc.calls("PUT", global_put) == 2
        assert "extra" in {c["name"] for c in dc.commands()}


async def test_dev_guilds_get_the_commands_instead_of_everyone() -> None:
    async with discord_bot([extra], {"discord": {"dev_guild_ids": [GUILD]}}) as (_app, dc):
        assert dc.calls("PUT", r"/applications/900/commands") == 0
        assert "extra" in {c["name"] for c in dc.commands(GUILD)}


ONLINE, OFFLINE = "discord online", "discord offline"


async def test_reconnect_with_a_new_session_duplicates_nothing() -> None:
    async with discord_bot([reader, watcher]) as (app, dc):
        assert states == [ONLINE]
        await dc.reconnect(resumable=False)
        await eventually(lambda: len(states) == 3)
        assert dc.identify_count == 2
        # Lost, then a new session: one AdapterOffline, one AdapterOnline (discord.py reports
        # the loss twice: the reconnect, then the refused RESUME).
        await settle(app)
        assert states == [ONLINE, OFFLINE, ONLINE]
        assert dc.calls("PUT", r"/applications/900/commands") == 1  # same commands: no sync
        await dc.user_says(CHANNEL, ALICE, "ping")
        await eventually(lambda: dc.sent(CHANNEL))
        await settle(app)
        assert [m.content for m in dc.sent(CHANNEL)] == ["pong"]
    assert states == [ONLINE, OFFLINE, ONLINE, OFFLINE]  # the app's, once stopped


async def test_a_lost_connection_is_offline_until_resumed() -> None:
    async with discord_bot([reader, watcher]) as (app, dc):
        dc.refuse_connections = 1  # a refused attempt is another loss to discord.py
        await dc.drop_connection()
        await eventually(lambda: states[-1:] == [OFFLINE])
        await eventually(lambda: len(states) == 3, within=10)  # after discord.py's backoff
        await settle(app)
        assert states == [ONLINE, OFFLINE, ONLINE]
        assert dc.refuse_connections == 0 and dc.resume_count == 1 and dc.identify_count == 1
        await dc.user_says(CHANNEL, ALICE, "ping")
        await eventually(lambda: dc.sent(CHANNEL))


async def test_a_requested_reconnect_resumes_offline_then_online() -> None:
    async with discord_bot([watcher]) as (app, dc):
        await dc.reconnect()
        await eventually(lambda: dc.resume_count == 1 and len(states) == 3)
        await settle(app)
        assert states == [ONLINE, OFFLINE, ONLINE] and dc.identify_count == 1


async def test_stopping_is_one_offline_from_the_app() -> None:
    async with discord_bot([watcher]):
        assert states == [ONLINE]
    assert states == [ONLINE, OFFLINE]


async def test_a_wrong_token_stops_start_with_a_clear_error() -> None:
    with pytest.raises(PlatformError, match="token"):
        async with discord_bot([counter], {"discord": {"token": "not.the.token"}}):
            pass


async def test_sharded_client_when_shards_are_configured() -> None:
    async with discord_bot([reader, watcher], {"discord": {"shards": 1}}) as (app, dc):
        client = app.adapter("discord").client
        assert isinstance(client, discord.AutoShardedClient) and client.shard_count == 1
        await dc.user_says(CHANNEL, ALICE, "ping")
        reply = await eventually(lambda: dc.sent(CHANNEL))
        assert reply[0].content == "pong"
        await dc.drop_connection()  # the shard's connection: offline until it resumes
        await eventually(lambda: len(states) == 3)
        await settle(app)
        assert states == [ONLINE, OFFLINE, ONLINE] and dc.resume_count == 1


async def test_both_privileged_intents_refused_still_runs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "bot.adapters.discord")
    async with FakeDiscordServer() as dc:
        seed_guild(dc)
        dc.refuse_intents = True
        async with discord_bot([reader, counter], server=dc) as (app, _):
            assert app.adapter("discord").missing_intents == ["message_content", "members"]
            assert not dc.identified_intents & ((1 << 1) | MESSAGE_CONTENT)
            await dc.user_says(CHANNEL, ALICE, "hello")
            await eventually(lambda: counted)
        assert len(content_warnings(caplog)) == 1
        assert any("SERVER MEMBERS INTENT" in r.getMessage() for r in caplog.records)
