"""discord.py objects → qunbot events, with the objects built by the real client from the
fake server's payloads (the same path production takes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.adapters.discord.convert import (
    PLATFORM,
    edit_to_event,
    interaction_to_event,
    level_of,
    locale_of,
    member_join_to_event,
    member_remove_to_event,
    message_to_event,
)
from bot.events import (
    ButtonClicked,
    ChannelType,
    CommandInvoked,
    FormSubmitted,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    MessageUpdated,
    User,
)
from bot.message import Link, Mention
from bot.permissions import PermissionLevel
from bot.testing.discord import discord_client, expect
from bot.testing.fake_discord import FakeDiscordServer, option, subcommand

SELF = "900"
GUILD, CHANNEL, THREAD = "1", "10", "12"
OWNER, ALICE, BOB, ADMIN = "100", "101", "102", "103"
MOD_ROLE, ADMIN_ROLE = "6", "8"


@pytest.fixture
async def dc():
    async with FakeDiscordServer(bot_user_id=SELF, application_id=SELF) as server:
        server.add_user(OWNER, "owner")
        server.add_user(ALICE, "alice", global_name="Alice")
        server.add_user(BOB, "bob")
        server.add_user(ADMIN, "root")
        server.add_guild(
            GUILD,
            "Test Guild",
            owner_id=OWNER,
            roles=[
                {"id": MOD_ROLE, "name": "mod", "position": 2, "permissions": 1 << 1},
                {"id": ADMIN_ROLE, "name": "admin", "position": 3, "permissions": 1 << 3},
            ],
            channels=[
                {"id": CHANNEL, "name": "general"},
                {"id": THREAD, "name": "a thread", "type": 11, "parent_id": CHANNEL},
            ],
        )
        server.add_member(GUILD, ALICE, roles=[MOD_ROLE], nick="Ally")
        server.add_member(GUILD, BOB)
        server.add_member(GUILD, ADMIN, roles=[ADMIN_ROLE])
        yield server


@pytest.fixture
async def client(dc: FakeDiscordServer):
    async with discord_client(dc) as running:
        yield running


async def say(dc: FakeDiscordServer, client: discord.Client, *args, **kwargs) -> discord.Message:
    return await expect(client, "message", dc.user_says(*args, **kwargs))


async def test_guild_message(dc: FakeDiscordServer, client: discord.Client):
    at = datetime(2025, 3, 1, 23, 59, 50, tzinfo=UTC)
    msg = await say(
        dc,
        client,
        CHANNEL,
        ALICE,
        "hi <@102>, see https://example.com/a_b.",
        embeds=[{"type": "link", "url": "https://embed.example/x", "title": "Embed"}],
        attachments=["pic.png"],
        reply_to="555",
        at=at,
    )
    event = message_to_event(msg, SELF)
    assert isinstance(event, MessageCreated)
    assert (event.platform, event.self_id, event.delivery_id) == (PLATFORM, SELF, str(msg.id))
    assert event.timestamp.tzinfo is not None
    assert abs(event.timestamp - at) < timedelta(milliseconds=2)
    assert event.locale is None and event.raw is msg
    assert (event.guild.id, event.guild.name) == (GUILD, "Test Guild")
    assert (event.channel.id, event.channel.type, event.channel.name) == (
        CHANNEL,
        ChannelType.TEXT,
        "general",
    )
    assert event.user == User(id=ALICE, name="Alice", nick="Ally", username="alice")
    assert event.user.display_name == "Ally"
    assert event.member.roles == (MOD_ROLE,)
    assert event.member.level is PermissionLevel.MODERATOR
    message = event.message
    assert message.id == str(msg.id) and message.text == "hi <@102>, see https://example.com/a_b."
    assert message.reply_to == "555"
    assert message.created_at == msg.created_at and message.edited_at is None
    assert message.elements[0] == Mention(BOB, "bob")
    links = [e for e in message.elements if isinstance(e, Link)]
    assert [link.url for link in links] == [
        "https://example.com/a_b",
        "https://embed.example/x",
        msg.attachments[0].url,
    ]
    assert links[2].text == "pic.png"


async def test_own_message_is_ignored(dc: FakeDiscordServer, client: discord.Client):
    echo = await expect(client, "message", client.get_channel(int(CHANNEL)).send("mine"))
    assert echo.author.id == int(SELF)
    assert message_to_event(echo, SELF) is None


async def test_system_message_is_ignored(dc: FakeDiscordServer, client: discord.Client):
    msg = await say(dc, client, CHANNEL, BOB, "", message_type=7)  # "member joined"
    assert msg.is_system()
    assert message_to_event(msg, SELF) is None


async def test_other_bots_are_kept_and_marked(dc: FakeDiscordServer, client: discord.Client):
    dc.add_user("555", "otherbot", bot=True)
    event = message_to_event(await say(dc, client, CHANNEL, "555", "beep"), SELF)
    assert event is not None and event.user.is_bot


async def test_direct_message(dc: FakeDiscordServer, client: discord.Client):
    msg = await say(dc, client, dc.dm_channel(BOB), BOB, "private")
    event = message_to_event(msg, SELF)
    assert event.guild is None and event.member is None
    assert event.channel.type is ChannelType.DIRECT and event.is_direct
    assert event.user == User(id=BOB, name="bob", username="bob")


async def test_thread_message(dc: FakeDiscordServer, client: discord.Client):
    event = message_to_event(await say(dc, client, THREAD, BOB, "in thread"), SELF)
    assert event.channel.type is ChannelType.THREAD and event.channel.id == THREAD


async def test_text_commands_only_with_a_prefix(dc: FakeDiscordServer, client: discord.Client):
    msg = await say(dc, client, CHANNEL, BOB, "!Points give  <@101> 5")
    assert isinstance(message_to_event(msg, SELF), MessageCreated)
    event = message_to_event(msg, SELF, command_prefix="!")
    assert isinstance(event, CommandInvoked)
    assert (event.name, event.text, event.options) == ("points", "give  <@101> 5", None)
    assert event.message.id == str(msg.id)
    plain = await say(dc, client, CHANNEL, BOB, "! not a command")
    assert isinstance(message_to_event(plain, SELF, command_prefix="!"), MessageCreated)


async def test_edit(dc: FakeDiscordServer, client: discord.Client):
    msg = await say(dc, client, CHANNEL, BOB, "first")
    before, after = await expect(
        client, "message_edit", dc.user_edits(CHANNEL, str(msg.id), "second https://x.io")
    )
    event = edit_to_event(before, after, SELF)
    assert isinstance(event, MessageUpdated)
    assert event.message.text == "second https://x.io"
    assert event.message.elements == (Link("https://x.io"),)
    assert event.message.edited_at is not None and event.timestamp == event.message.edited_at
    assert event.delivery_id == f"{msg.id}@{after.edited_at.isoformat()}"  # not the creation's
    assert edit_to_event(after, after, SELF) is None  # nothing visible changed


async def test_member_join_and_leave(dc: FakeDiscordServer, client: discord.Client):
    member = await expect(client, "member_join", dc.member_joins(GUILD, "104", "carol"))
    joined = member_join_to_event(member)
    assert isinstance(joined, MemberJoined)
    assert joined.self_id == SELF and joined.guild.id == GUILD
    assert joined.user.id == "104" and joined.member.level is PermissionLevel.MEMBER
    assert joined.timestamp == member.joined_at
    gone = await expect(client, "member_remove", dc.member_leaves(GUILD, "104"))
    left = member_remove_to_event(gone, SELF, removed=True)
    assert isinstance(left, MemberLeft) and left.removed and left.user.id == "104"
    assert left.timestamp.tzinfo is not None


async def test_levels(client: discord.Client):
    guild = client.get_guild(int(GUILD))
    assert level_of(guild.get_member(int(OWNER))) is PermissionLevel.ADMIN
    assert level_of(guild.get_member(int(ADMIN))) is PermissionLevel.ADMIN
    assert level_of(guild.get_member(int(ALICE))) is PermissionLevel.MODERATOR
    assert level_of(guild.get_member(int(BOB))) is PermissionLevel.MEMBER


async def test_slash_command_options_are_typed(dc: FakeDiscordServer, client: discord.Client):
    options = [
        option("user", ALICE, type=6),
        option("amount", 5),
        option("note", "thanks"),
        option("public", True),
    ]
    interaction = await expect(
        client, "interaction", dc.slash(GUILD, CHANNEL, BOB, "give", options, locale="zh-CN")
    )
    event = interaction_to_event(interaction, SELF)
    assert isinstance(event, CommandInvoked)
    assert event.name == "give" and event.text is None
    assert event.options == {
        "user": User(id=ALICE, name="Alice", nick="Ally", username="alice"),
        "amount": 5,
        "note": "thanks",
        "public": True,
    }
    assert event.interaction is interaction
    assert event.locale == "zh"
    assert event.delivery_id == str(interaction.id)
    assert event.user.id == BOB and event.member is not None
    assert (event.guild.id, event.channel.id) == (GUILD, CHANNEL)


async def test_subcommands_are_flattened(dc: FakeDiscordServer, client: discord.Client):
    group = subcommand("points", subcommand("give", option("amount", 3)), group=True)
    interaction = await expect(
        client, "interaction", dc.slash(GUILD, CHANNEL, BOB, "admin", [group])
    )
    event = interaction_to_event(interaction, SELF)
    assert event.name == "admin"
    assert event.options == {"subcommand": "points give", "amount": 3}
    simple = await expect(
        client, "interaction", dc.slash(GUILD, CHANNEL, BOB, "top", [subcommand("week")])
    )
    assert interaction_to_event(simple, SELF).options == {"subcommand": "week"}


async def test_user_context_menu_command(dc: FakeDiscordServer, client: discord.Client):
    interaction = await expect(
        client,
        "interaction",
        dc.slash(GUILD, CHANNEL, BOB, "Warn", command_type=2, target_id=ALICE),
    )
    event = interaction_to_event(interaction, SELF)
    assert event.name == "Warn" and event.options["target"].id == ALICE


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("zh-CN", "zh"), ("zh-TW", "zh"), ("en-US", "en"), ("fr", "en"), (None, "en")],
)
def test_locale_of(locale, expected):
    assert locale_of(locale) == expected
    if locale is not None:
        assert locale_of(discord.Locale(locale)) == expected


async def test_slash_in_dm(dc: FakeDiscordServer, client: discord.Client):
    channel_id = dc.dm_channel(BOB)
    interaction = await expect(client, "interaction", dc.slash(None, channel_id, BOB, "me"))
    event = interaction_to_event(interaction, SELF)
    assert event.guild is None and event.member is None
    assert event.channel.type is ChannelType.DIRECT and event.user.id == BOB
    assert event.locale == "en"


async def test_button_click(dc: FakeDiscordServer, client: discord.Client):
    sent = await client.get_channel(int(CHANNEL)).send("press")
    interaction = await expect(
        client, "interaction", dc.click(GUILD, CHANNEL, BOB, str(sent.id), "tok123", "zh-TW")
    )
    event = interaction_to_event(interaction, SELF)
    assert isinstance(event, ButtonClicked)
    assert (event.button_id, event.message_id) == ("tok123", str(sent.id))
    assert event.interaction is interaction and event.locale == "zh"
    assert event.user.id == BOB


async def test_modal_submit(dc: FakeDiscordServer, client: discord.Client):
    interaction = await expect(
        client,
        "interaction",
        dc.submit_modal(GUILD, CHANNEL, BOB, "form:intro", {"name": "Bob", "why": "fun"}),
    )
    event = interaction_to_event(interaction, SELF)
    assert isinstance(event, FormSubmitted)
    assert event.form_id == "form:intro"
    assert event.values == {"name": "Bob", "why": "fun"}
    assert event.interaction is interaction
