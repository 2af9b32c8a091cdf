"""The real discord.py client against FakeDiscordServer: the fake must behave like Discord in
everything the adapter relies on, or the adapter tests built on it prove nothing."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import timedelta

import aiohttp
import discord
import pytest

from bot.testing.discord import discord_bot, discord_client, expect, make_client
from bot.testing.fake_discord import FakeDiscordServer, option

GUILD, CHANNEL, OWNER, ALICE, BOB = "1", "10", "100", "101", "102"
BOT_ROLE, MOD_ROLE, HIGH_ROLE = "5", "6", "7"


def seed(dc: FakeDiscordServer) -> None:
    dc.add_user(OWNER, "owner")
    dc.add_user(ALICE, "alice", global_name="Alice")
    dc.add_user(BOB, "bob")
    dc.add_guild(
        GUILD,
        "Test Guild",
        owner_id=OWNER,
        roles=[
            {"id": BOT_ROLE, "name": "bot", "position": 5, "permissions": 8},
            {"id": MOD_ROLE, "name": "mod", "position": 2, "permissions": 1 << 1},
            {"id": HIGH_ROLE, "name": "high", "position": 9, "permissions": 0},
        ],
        channels=[CHANNEL, {"id": "11", "name": "general-2"}],
    )
    dc.set_bot_roles(GUILD, [BOT_ROLE])
    dc.add_member(GUILD, ALICE, roles=[MOD_ROLE], nick="Ally")
    dc.add_member(GUILD, BOB)


@pytest.fixture
async def dc():
    async with FakeDiscordServer() as server:
        seed(server)
        yield server


@pytest.fixture
async def client(dc: FakeDiscordServer):
    async with discord_client(dc) as running:
        yield running


def not_bot(message: discord.Message) -> bool:
    return not message.author.bot


async def test_login_ready_and_guild_cache(dc: FakeDiscordServer, client: discord.Client):
    assert client.user is not None and client.user.id == 900
    assert client.application_id == 900
    guild = client.get_guild(int(GUILD))
    assert guild is not None and guild.name == "Test Guild"
    assert guild.owner_id == int(OWNER)
    assert guild.default_role.id == int(GUILD)
    assert {m.id for m in guild.members} == {int(OWNER), int(ALICE), int(BOB), 900}
    alice = guild.get_member(int(ALICE))
    assert alice is not None and alice.nick == "Ally" and alice.display_name == "Ally"
    assert [r.name for r in alice.roles] == ["@everyone", "mod"]
    assert guild.me.guild_permissions.administrator
    assert guild.get_channel(int(CHANNEL)).name == f"channel-{CHANNEL}"
    assert dc.identified_intents == client.intents.value
    assert dc.identified_intents & (1 << 1) and dc.identified_intents & (1 << 15)
    assert dc.calls("GET", "/users/@me") == 1
    assert dc.calls("GET", "/oauth2/applications/@me") == 1


async def test_message_reaches_on_message_with_content(
    dc: FakeDiscordServer, client: discord.Client
):
    message = await expect(
        client, "message", dc.user_says(CHANNEL, ALICE, "hello <@102>"), check=not_bot
    )
    assert message.content == "hello <@102>"
    assert message.author.id == int(ALICE)
    assert isinstance(message.author, discord.Member)
    assert [m.id for m in message.mentions] == [int(BOB)]
    assert message.channel.id == int(CHANNEL)


async def test_message_created_at_follows_at(dc: FakeDiscordServer, client: discord.Client):
    at = discord.utils.utcnow() - timedelta(hours=3)
    message = await expect(client, "message", dc.user_says(CHANNEL, ALICE, "x", at=at))
    assert abs(message.created_at - at) < timedelta(milliseconds=2)


async def test_content_empty_without_message_content_intent(dc: FakeDiscordServer):
    intents = discord.Intents.default()  # no message_content
    async with discord_client(dc, make_client(intents=intents)) as client:
        assert not dc.identified_intents & (1 << 15)
        plain = await expect(client, "message", dc.user_says(CHANNEL, ALICE, "secret"))
        assert plain.content == ""
        mentioned = await expect(client, "message", dc.user_says(CHANNEL, ALICE, "hi <@900>"))
        assert mentioned.content == "hi <@900>"  # mentioning the bot is exempt, like Discord


async def test_strip_content_switch(dc: FakeDiscordServer, client: discord.Client):
    dc.strip_content = True
    message = await expect(client, "message", dc.user_says(CHANNEL, ALICE, "secret"))
    assert message.content == ""


async def test_send_records_allowed_mentions_and_reference(
    dc: FakeDiscordServer, client: discord.Client
):
    channel = client.get_channel(int(CHANNEL))
    original = await dc.user_says(CHANNEL, ALICE, "question")
    sent = await channel.send(
        "hi <@101>",
        allowed_mentions=discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(int(ALICE))], replied_user=False
        ),
        reference=discord.MessageReference(message_id=int(original), channel_id=int(CHANNEL)),
    )
    [record] = dc.sent(CHANNEL)
    assert record.id == str(sent.id)
    assert record.content == "hi <@101>"
    assert record.allowed_mentions == {"parse": [], "users": [int(ALICE)]}
    assert record.message_reference["message_id"] == int(original)
    assert sent.author.id == 900 and sent.content == "hi <@101>"


async def test_own_messages_are_echoed_on_the_gateway(
    dc: FakeDiscordServer, client: discord.Client
):
    channel = client.get_channel(int(CHANNEL))
    echo = await expect(client, "message", channel.send("ping"))
    assert echo.author.id == 900 and echo.content == "ping"


async def test_files_upload_as_multipart(dc: FakeDiscordServer, client: discord.Client):
    channel = client.get_channel(int(CHANNEL))
    import io

    file = discord.File(io.BytesIO(b"\x89PNG data"), "chart.png", description="a chart")
    sent = await channel.send("see chart", file=file)
    [record] = dc.sent(CHANNEL)
    assert record.content == "see chart"
    assert [(f.filename, f.data) for f in record.files] == [("chart.png", b"\x89PNG data")]
    assert sent.attachments[0].filename == "chart.png"
    assert sent.attachments[0].size == len(b"\x89PNG data")


async def test_edit_and_delete_are_recorded(dc: FakeDiscordServer, client: discord.Client):
    sent = await client.get_channel(int(CHANNEL)).send("v1")
    edited = await sent.edit(content="v2")
    assert edited.content == "v2"
    await sent.delete()
    [record] = dc.sent(CHANNEL)
    assert record.content == "v2" and [e["content"] for e in record.edits] == ["v2"]
    assert record.deleted
    with pytest.raises(discord.NotFound) as info:
        await sent.edit(content="v3")
    assert info.value.code == 10008


async def test_slash_ephemeral_response_and_double_ack(
    dc: FakeDiscordServer, client: discord.Client
):
    iid = dc.slash(GUILD, CHANNEL, ALICE, "points", options=[option("amount", 5)])
    interaction = await expect(client, "interaction", iid)
    interaction_id = str(interaction.id)
    assert interaction.data["name"] == "points"
    assert interaction.data["options"] == [{"name": "amount", "type": 4, "value": 5}]
    assert isinstance(interaction.user, discord.Member) and interaction.user.id == int(ALICE)
    assert interaction.permissions.kick_members  # the mod role's permission
    assert interaction.app_permissions.administrator

    await interaction.response.send_message("done", ephemeral=True)
    [callback] = dc.callbacks(interaction_id)
    assert callback.type == 4 and callback.data["content"] == "done"
    assert callback.data["flags"] == 64 and callback.ephemeral
    assert callback.authorization is None  # callbacks carry no bot token
    assert dc.original(interaction_id).ephemeral

    with pytest.raises(discord.InteractionResponded):
        await interaction.response.send_message("again")
    # A second responder (another process, a retry) that does not share discord.py's state:
    with pytest.raises(discord.HTTPException) as info:
        await discord.InteractionResponse(interaction).send_message("again")
    assert info.value.status == 400 and info.value.code == 40060
    assert len(dc.callbacks(interaction_id)) == 1


async def test_defer_followup_and_edit_original(dc: FakeDiscordServer, client: discord.Client):
    interaction = await expect(client, "interaction", dc.slash(GUILD, CHANNEL, ALICE, "top"))
    await interaction.response.defer(thinking=True)
    assert dc.callbacks(str(interaction.id))[0].type == 5
    await interaction.edit_original_response(content="the list")
    followup = await interaction.followup.send("page 2", wait=True)
    assert followup.content == "page 2"
    assert dc.original(str(interaction.id)).content == "the list"
    assert [m.content for m in dc.followups(interaction.token)] == ["page 2"]


async def test_followup_before_ack_is_unknown_webhook(
    dc: FakeDiscordServer, client: discord.Client
):
    interaction = await expect(client, "interaction", dc.slash(GUILD, CHANNEL, ALICE, "x"))
    with pytest.raises(discord.NotFound) as info:
        await interaction.followup.send("too early")
    assert info.value.code == 10015


async def test_click_and_modal_reach_on_interaction(dc: FakeDiscordServer, client: discord.Client):
    sent = await client.get_channel(int(CHANNEL)).send("press")
    click = await expect(
        client, "interaction", dc.click(GUILD, CHANNEL, BOB, str(sent.id), "btn:1")
    )
    assert click.type is discord.InteractionType.component
    assert click.data["custom_id"] == "btn:1" and click.message.id == sent.id
    await click.response.send_modal(
        discord.ui.Modal(title="Form", custom_id="form:1").add_item(
            discord.ui.TextInput(label="Name", custom_id="name")
        )
    )
    assert dc.callbacks(str(click.id))[0].type == 9
    submit = await expect(
        client, "interaction", dc.submit_modal(GUILD, CHANNEL, BOB, "form:1", {"name": "Bob"})
    )
    assert submit.type is discord.InteractionType.modal_submit
    assert submit.data["custom_id"] == "form:1"


async def test_refused_privileged_intents(dc: FakeDiscordServer):
    dc.refuse_intents = True
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with discord_client(dc):
            pass
    assert dc.identified_intents is not None and dc.identified_intents & (1 << 15)


async def test_bad_token_is_a_login_failure(dc: FakeDiscordServer):
    with pytest.raises(discord.LoginFailure):
        async with discord_client(dc, token="WRONG"):
            pass
    assert dc.requests[-1].status == 401


async def test_rate_limit_is_retried_and_sent_once(dc: FakeDiscordServer, client: discord.Client):
    dc.fail_next("POST", r"/channels/\d+/messages", status=429, retry_after=0.05)
    await client.get_channel(int(CHANNEL)).send("after the limit")
    assert dc.calls("POST", rf"/channels/{CHANNEL}/messages") == 2
    assert [m.content for m in dc.sent(CHANNEL)] == ["after the limit"]


async def test_injected_403_surfaces_as_forbidden(dc: FakeDiscordServer, client: discord.Client):
    dc.fail_next("POST", rf"/channels/{CHANNEL}/messages", status=403)
    with pytest.raises(discord.Forbidden) as info:
        await client.get_channel(int(CHANNEL)).send("nope")
    assert info.value.code == 50013
    assert dc.sent(CHANNEL) == []


async def test_closed_dms_are_forbidden_50007(dc: FakeDiscordServer, client: discord.Client):
    dc.dm_closed.add(BOB)
    bob = client.get_user(int(BOB))
    with pytest.raises(discord.Forbidden) as info:
        await bob.send("hi")
    assert info.value.code == 50007
    assert dc.calls("POST", "/users/@me/channels") == 1
    alice = client.get_user(int(ALICE))
    await alice.send("welcome")
    assert [m.content for m in dc.dms(ALICE)] == ["welcome"]


async def test_dm_message_reaches_client(dc: FakeDiscordServer, client: discord.Client):
    channel_id = dc.dm_channel(ALICE)
    message = await expect(client, "message", dc.user_says(channel_id, ALICE, "private"))
    assert message.guild is None and message.content == "private"
    assert isinstance(message.channel, discord.DMChannel)


async def test_bulk_command_overwrite_is_recorded(dc: FakeDiscordServer, client: discord.Client):
    tree = discord.app_commands.CommandTree(client)

    @tree.command(name="checkin", description="Daily check-in")
    async def checkin(interaction: discord.Interaction) -> None:  # pragma: no cover
        pass

    synced = await tree.sync()
    assert [c.name for c in synced] == ["checkin"] and synced[0].id > 0
    [(scope, payload)] = dc.command_syncs
    assert scope is None and payload[0]["name"] == "checkin"
    assert dc.calls("PUT", "/applications/900/commands") == 1
    again = await tree.sync()
    assert again[0].id == synced[0].id  # ids stay stable across overwrites
    guild_synced = await tree.sync(guild=discord.Object(int(GUILD)))
    assert guild_synced == [] and dc.command_syncs[-1] == (GUILD, [])
    fetched = await tree.fetch_commands()
    assert [c.name for c in fetched] == ["checkin"]


async def test_kick_timeout_and_roles(dc: FakeDiscordServer, client: discord.Client):
    guild = client.get_guild(int(GUILD))
    bob = guild.get_member(int(BOB))
    await bob.timeout(timedelta(minutes=10), reason="spam")
    assert dc.member_patches[-1].changes["communication_disabled_until"] is not None
    assert dc.member_patches[-1].reason == "spam"
    await bob.add_roles(discord.Object(int(MOD_ROLE)))
    assert dc.role_changes[-1].added and dc.role_changes[-1].role_id == MOD_ROLE
    assert MOD_ROLE in dc.member(GUILD, BOB)["roles"]
    left = await expect(client, "member_remove", bob.kick(reason="inactive"))
    assert left.id == int(BOB)
    assert [(k.user_id, k.reason) for k in dc.kicks] == [(BOB, "inactive")]


async def test_hierarchy_is_enforced(dc: FakeDiscordServer, client: discord.Client):
    guild = client.get_guild(int(GUILD))
    with pytest.raises(discord.Forbidden) as info:
        await guild.get_member(int(OWNER)).kick()
    assert info.value.code == 50013
    dc.add_member(GUILD, "103", roles=[HIGH_ROLE])
    with pytest.raises(discord.Forbidden):
        await guild.kick(discord.Object(103))
    with pytest.raises(discord.Forbidden):
        await guild.get_member(int(BOB)).add_roles(discord.Object(int(HIGH_ROLE)))
    assert dc.kicks == [] and dc.role_changes == []


async def test_timeout_over_28_days_is_invalid(dc: FakeDiscordServer, client: discord.Client):
    bob = client.get_guild(int(GUILD)).get_member(int(BOB))
    with pytest.raises(discord.HTTPException) as info:
        await bob.edit(timed_out_until=discord.utils.utcnow() + timedelta(days=30))
    assert info.value.code == 50035


async def test_member_join_and_leave_events(dc: FakeDiscordServer, client: discord.Client):
    joined = await expect(client, "member_join", dc.member_joins(GUILD, "104", "carol"))
    assert joined.id == 104 and joined.guild.id == int(GUILD) and joined.joined_at is not None
    left = await expect(client, "member_remove", dc.member_leaves(GUILD, "104"))
    assert left.id == 104


async def test_bot_added_and_removed(dc: FakeDiscordServer, client: discord.Client):
    dc.add_guild("2", "New Guild", owner_id=OWNER, channels=["20"], present=False)
    assert client.get_guild(2) is None
    guild = await expect(client, "guild_join", dc.bot_added("2"))
    assert guild.id == 2 and guild.get_channel(20) is not None
    removed = await expect(client, "guild_remove", dc.bot_removed("2"))
    assert removed.id == 2 and client.get_guild(2) is None


async def test_resume_after_reconnect(dc: FakeDiscordServer, client: discord.Client):
    await expect(client, "resumed", dc.reconnect())
    assert dc.resume_count == 1 and dc.identify_count == 1
    message = await expect(client, "message", dc.user_says(CHANNEL, ALICE, "still here"))
    assert message.content == "still here"


class QuickReidentifyClient(discord.Client):
    """discord.py sleeps 5 s before every IDENTIFY but the first (``before_identify_hook``)."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


async def test_invalid_session_gives_a_second_ready(dc: FakeDiscordServer):
    quick = QuickReidentifyClient(intents=make_client().intents, guild_ready_timeout=0.1)
    async with discord_client(dc, quick):
        await expect(quick, "ready", dc.reconnect(resumable=False))
        assert dc.identify_count == 2 and dc.resume_count == 1
        assert quick.get_guild(int(GUILD)).get_member(int(ALICE)) is not None


async def test_rest_shapes_and_unknown_routes(dc: FakeDiscordServer):
    headers = {"Authorization": f"Bot {dc.token}"}
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{dc.api_base}/guilds/{GUILD}", headers=headers) as response:
            assert response.headers["Content-Type"] == "application/json"
            body = await response.json()
            assert body["owner_id"] == OWNER and body["roles"][0]["id"] == GUILD
        async with session.get(f"{dc.api_base}/nope", headers=headers) as response:
            assert response.status == 404
            assert await response.json() == {"message": "404: Not Found", "code": 0}
        async with session.get(f"{dc.api_base}/users/@me") as response:
            assert response.status == 401


async def test_the_client_reaches_the_fake_only_through_the_adapters_config(dc: FakeDiscordServer):
    before = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    async with discord_bot([], server=dc) as (app, _):
        assert discord.http.Route.BASE == dc.api_base
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == dc.gateway_url
        assert app.adapter("discord").client.get_guild(int(GUILD)) is not None
    assert (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == before


def test_the_fake_does_not_import_discord_py():
    code = "import sys, bot.testing.fake_discord; sys.exit('discord' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


async def test_sync_returns_once_the_client_read_every_event(dc: FakeDiscordServer, client: discord.Client):
    seen: list[str] = []

    async def on_message(message: discord.Message) -> None:
        seen.append(message.content)

    client.on_message = on_message
    for n in range(20):
        await dc.user_says(CHANNEL, ALICE, f"m{n}")
    await dc.sync()
    await asyncio.sleep(0)  # the handler tasks discord.py started run on the next turn
    assert seen == [f"m{n}" for n in range(20)]


async def test_a_dropped_connection_resumes(dc: FakeDiscordServer, client: discord.Client):
    dc.refuse_connections = 1
    await expect(client, "resumed", dc.drop_connection(), within=10)
    assert dc.resume_count == 1 and dc.identify_count == 1 and dc.refuse_connections == 0
    message = await expect(client, "message", dc.user_says(CHANNEL, ALICE, "back"))
    assert message.content == "back"


async def test_events_need_a_connected_client(dc: FakeDiscordServer):
    with pytest.raises(RuntimeError):
        await asyncio.wait_for(dc.user_says(CHANNEL, ALICE, "nobody listens"), 5)
