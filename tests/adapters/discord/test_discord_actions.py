"""What the Discord adapter does on Discord: messages, moderation with hierarchy checks, roles,
members and levels, and the events members cause."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import Context, Plugin
from bot.adapters.base import CannotAct, PlatformError
from bot.events import BotJoinedGuild, MemberJoined, MemberLeft, MessageUpdated
from bot.message import Image, Mention, Outgoing, Text
from bot.permissions import PermissionLevel
from bot.testing.discord import (
    ALICE,
    BOB,
    CAROL,
    CHANNEL,
    GUILD,
    OTHER_CHANNEL,
    OWNER,
    REGULAR_ROLE,
    discord_bot,
    eventually,
    seed_guild,
)
from bot.testing.fake_discord import FakeDiscordServer

DAVE = "104"  # an administrator whose role sits below the bot's
watcher = Plugin("watcher")
events: list[object] = []


@watcher.on(MemberJoined, MemberLeft, MessageUpdated, BotJoinedGuild)
async def remember(ctx: Context, event: object) -> None:
    events.append(event)


def setup_function() -> None:
    events.clear()


def world(dc: FakeDiscordServer) -> None:
    seed_guild(dc)
    dc.add_role(GUILD, "9", "Admins", position=2, permissions=1 << 3)
    dc.add_member(GUILD, DAVE, roles=["9"])


@pytest.fixture
async def bot():
    async with discord_bot([watcher], seed=world) as running:
        yield running


def patches_of(dc: FakeDiscordServer, user_id: str) -> list[dict]:
    return [p.changes for p in dc.member_patches if p.user_id == user_id]


async def test_long_text_is_split_and_images_are_uploaded(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    await adapter.send(CHANNEL, Outgoing((Text("word " * 900),)))
    pieces = dc.sent(CHANNEL)
    assert len(pieces) == 3 and all(len(p.content) <= 2000 for p in pieces)
    assert " ".join(p.content for p in pieces).split() == ["word"] * 900  # cut between words

    chart = Outgoing((Text("this week"), Image(b"\x89PNG fake", "chart.png")))
    await adapter.send(OTHER_CHANNEL, chart)
    [sent] = dc.sent(OTHER_CHANNEL)
    assert sent.content == "this week"
    assert [(f.filename, f.data) for f in sent.files] == [("chart.png", b"\x89PNG fake")]


async def test_only_a_meant_mention_pings(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    await adapter.send(CHANNEL, Outgoing((Text("hi "), Mention(BOB, "Bob", notify=True))))
    [sent] = dc.sent(CHANNEL)
    assert sent.content == f"hi <@{BOB}>"
    assert sent.allowed_mentions == {"parse": [], "users": [int(BOB)]}


async def test_edit_and_delete(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    sent = await adapter.send(CHANNEL, Outgoing((Text("draft"),)))
    await adapter.edit(CHANNEL, sent.message_id, Outgoing((Text("final"),)))
    [record] = dc.sent(CHANNEL)
    assert record.content == "final" and len(record.edits) == 1
    await adapter.delete(CHANNEL, sent.message_id)
    assert record.deleted
    await adapter.delete(CHANNEL, sent.message_id)  # already gone: not an error


async def test_private_message_and_closed_dms(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    await adapter.send_private(ALICE, Outgoing((Text("psst"),)))
    assert [m.content for m in dc.dms(ALICE)] == ["psst"]
    dc.dm_closed.add(BOB)
    with pytest.raises(PlatformError) as refused:
        await adapter.send_private(BOB, Outgoing((Text("psst"),)))
    assert refused.value.reason == "bot.error.dm_closed"


async def test_timeout_lengths_and_lifting(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    before = datetime.now(UTC)
    await adapter.mute(GUILD, BOB, timedelta(hours=1))
    await adapter.mute(GUILD, BOB, None)
    await adapter.mute(GUILD, BOB, timedelta(days=90))
    await adapter.unmute(GUILD, BOB)
    untils = [p["communication_disabled_until"] for p in patches_of(dc, BOB)]
    assert untils[-1] is None
    lengths = [datetime.fromisoformat(u) - before for u in untils[:-1]]
    assert timedelta(minutes=59) < lengths[0] < timedelta(minutes=61)
    assert all(timedelta(days=27, hours=23) < x <= timedelta(days=28, minutes=1) for x in lengths[1:])


async def test_hierarchy_is_checked_before_calling_discord(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    with pytest.raises(CannotAct):
        await adapter.kick(GUILD, OWNER)
    with pytest.raises(CannotAct):
        await adapter.kick(GUILD, CAROL)  # her role is above the bot's
    with pytest.raises(CannotAct):
        await adapter.mute(GUILD, DAVE, timedelta(hours=1))  # administrators cannot be timed out
    with pytest.raises(CannotAct):
        await adapter.set_role(GUILD, BOB, "Elder", True)  # a role above the bot's
    assert dc.calls("*", r"/guilds/1/members/.*") == 0
    assert dc.kicks == [] and dc.member_patches == [] and dc.role_changes == []


async def test_roles_by_name_or_id(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    await adapter.set_role(GUILD, BOB, "regular", True)
    assert REGULAR_ROLE in dc.member(GUILD, BOB)["roles"]
    await adapter.set_role(GUILD, BOB, REGULAR_ROLE, False)
    assert REGULAR_ROLE not in dc.member(GUILD, BOB)["roles"]
    with pytest.raises(PlatformError, match="no role"):
        await adapter.set_role(GUILD, BOB, "Legend", True)


async def test_a_403_stops_the_sweep_instead_of_spraying_requests(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    dc.fail_next("DELETE", r"/guilds/1/members/\d+", status=403)
    with pytest.raises(CannotAct):
        await adapter.kick(GUILD, BOB)
    with pytest.raises(CannotAct):
        await adapter.kick(GUILD, ALICE)
    with pytest.raises(CannotAct):
        await adapter.mute(GUILD, ALICE, timedelta(hours=1))
    assert dc.calls("DELETE", r"/guilds/1/members/\d+") == 1
    assert dc.calls("PATCH", r"/guilds/1/members/\d+") == 0


async def test_members_and_levels(bot) -> None:
    app, _dc = bot
    adapter = app.adapter("discord")
    bob = await adapter.get_member(GUILD, BOB)
    assert bob is not None and bob.user.name == "Bob" and bob.roles == ()
    assert await adapter.get_member(GUILD, "999") is None
    assert await adapter.get_level(GUILD, OWNER) is PermissionLevel.ADMIN
    assert await adapter.get_level(GUILD, DAVE) is PermissionLevel.ADMIN
    assert await adapter.get_level(GUILD, ALICE) is PermissionLevel.MODERATOR
    assert await adapter.get_level(GUILD, ALICE, "restrict") is PermissionLevel.MODERATOR
    assert await adapter.get_level(GUILD, ALICE, "roles") is PermissionLevel.MEMBER
    assert await adapter.get_level(GUILD, BOB) is PermissionLevel.MEMBER


async def test_main_channel_is_the_system_channel_else_the_first_writable(bot) -> None:
    app, _dc = bot
    assert await app.adapter("discord").main_channel(GUILD) == CHANNEL


async def test_main_channel_prefers_the_system_channel() -> None:
    def with_system_channel(dc: FakeDiscordServer) -> None:
        seed_guild(dc)
        dc.set_system_channel(GUILD, OTHER_CHANNEL)

    async with discord_bot([watcher], seed=with_system_channel) as (app, _dc):
        assert await app.adapter("discord").main_channel(GUILD) == OTHER_CHANNEL


async def test_joins_leaves_kicks_edits_and_new_servers_reach_plugins(bot) -> None:
    app, dc = bot
    await dc.member_joins(GUILD, "105", "erin")
    [joined] = await eventually(lambda: [e for e in events if isinstance(e, MemberJoined)])
    assert joined.user.id == "105" and joined.guild.id == GUILD

    await dc.member_leaves(GUILD, "105")
    await app.adapter("discord").kick(GUILD, BOB)
    left = await eventually(lambda: len(x := [e for e in events if isinstance(e, MemberLeft)]) == 2 and x)
    assert [(e.user.id, e.removed) for e in left] == [("105", False), (BOB, True)]

    message_id = await dc.user_says(CHANNEL, ALICE, "helo")
    await dc.user_edits(CHANNEL, message_id, "hello")
    [edited] = await eventually(lambda: [e for e in events if isinstance(e, MessageUpdated)])
    assert edited.message.text == "hello" and edited.message.id == message_id

    dc.add_guild("2", "Second", owner_id=OWNER, channels=["20"], present=False)
    await dc.bot_added("2")
    [new] = await eventually(lambda: [e for e in events if isinstance(e, BotJoinedGuild)])
    assert new.guild.id == "2" and new.guild.name == "Second"


async def test_a_rate_limited_send_is_retried_once_and_delivered_once(bot) -> None:
    app, dc = bot
    dc.fail_next("POST", rf"/channels/{CHANNEL}/messages", status=429, retry_after=0.2)
    await app.adapter("discord").send(CHANNEL, Outgoing((Text("after the wait"),)))
    assert [m.content for m in dc.sent(CHANNEL)] == ["after the wait"]
    assert dc.calls("POST", rf"/channels/{CHANNEL}/messages") == 2


async def test_a_refused_kick_does_not_mark_a_later_leave_as_removed(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    dc.fail_next("DELETE", r"/guilds/1/members/\d+", status=403)
    with pytest.raises(CannotAct):
        await adapter.kick(GUILD, BOB)
    await dc.member_leaves(GUILD, BOB)  # Bob leaves on his own, later
    left = await eventually(lambda: [e for e in events if isinstance(e, MemberLeft)])
    assert left[0].user.id == BOB and left[0].removed is False
