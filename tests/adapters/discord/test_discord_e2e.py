"""The Discord adapter end to end: the real discord.py client, driven by the adapter inside a
running App, against the local fake Discord server. Each test reads like what a member does on
Discord and checks what they would see (and what reached Discord's API)."""

from __future__ import annotations

import asyncio

from bot import Context, Plugin
from bot.adapters.base import FormField
from bot.events import ButtonClicked, FormSubmitted, MessageCreated, MessageUpdated, User
from bot.message import Button, Outgoing, Text
from bot.permissions import PermissionLevel
from bot.testing.discord import (
    ALICE,
    BOB,
    CAROL,
    CHANNEL,
    GUILD,
    discord_bot,
    eventually,
    settle,
)
from bot.testing.fake_discord import OPTION_USER, option, subcommand

probe = Plugin("probe")
seen: list[tuple[str, object]] = []


@probe.on(MessageCreated)
async def on_message(ctx: Context, event: MessageCreated) -> None:
    text = event.message.text
    if text.startswith("echo "):
        await ctx.reply(text[5:])
    elif text == "dm me":
        await ctx.reply("a secret", private=True)


@probe.command("give", description="probe.cmd.give")
async def give(ctx: Context, user: User, amount: int) -> None:
    seen.append(("give", (user.id, user.name, amount)))
    await ctx.reply(f"{amount} points for {user.display_name}")


@probe.command("score", description="probe.cmd.score")
async def score(ctx: Context) -> None:
    seen.append(("score", None))
    await ctx.reply("your score: 7")


@probe.command("score add", description="probe.cmd.score_add", level=PermissionLevel.MODERATOR)
async def score_add(ctx: Context, user: User, amount: int) -> None:
    seen.append(("score add", (user.id, amount)))
    await ctx.reply(f"added {amount}")


@probe.command("slow", description="probe.cmd.slow")
async def slow(ctx: Context) -> None:
    await asyncio.sleep(3.5)
    await ctx.reply("thought it over", private=True)


@probe.command("menu", description="probe.cmd.menu")
async def menu(ctx: Context) -> None:
    buttons = [Button("Yes", "yes", {"n": 1})]
    await ctx.reply(Outgoing((Text("Pick one"),)).with_buttons(buttons))


@probe.button("yes")
async def pressed_yes(ctx: Context, payload: dict) -> None:
    seen.append(("yes", payload))
    await ctx.answer("noted")


@probe.command("form", description="probe.cmd.form")
async def form(ctx: Context) -> None:
    fields = [FormField("name", "Your name"), FormField("why", "Why join?", long=True)]
    await ctx.bot.ask_form(ctx.event, "probe:signup", "Sign up", fields)


@probe.on(FormSubmitted)
async def on_form(ctx: Context, event: FormSubmitted) -> None:
    seen.append(("form", (event.form_id, event.values)))
    await ctx.reply(f"welcome, {event.values['name']}", private=True)


@probe.on(ButtonClicked)
async def on_click(ctx: Context, event: ButtonClicked) -> None:
    seen.append(("click", event.button_id))


@probe.command(
    "kick", description="probe.cmd.kick", level=PermissionLevel.MODERATOR, right="restrict"
)
async def kick(ctx: Context, user: User) -> None:
    assert ctx.group is not None
    await ctx.bot.kick(ctx.group.id, user.id)
    await ctx.reply(f"{user.display_name} was removed")


@probe.on(MessageUpdated)
async def on_edit(ctx: Context, event: MessageUpdated) -> None:
    seen.append(("edit", event.message.text))


def setup_function() -> None:
    seen.clear()


async def test_message_in_reply_out_never_pings() -> None:
    async with discord_bot([probe]) as (_app, dc):
        asked = await dc.user_says(CHANNEL, ALICE, "echo hello @everyone and @here <@&6>")
        sent = await eventually(lambda: dc.sent(CHANNEL))
        assert len(sent) == 1
        reply = sent[0]
        assert "hello" in reply.content and "@everyone" in reply.content
        assert reply.allowed_mentions == {"parse": []}  # no users, roles, everyone, reply ping
        assert str(reply.message_reference["message_id"]) == asked


async def test_slash_command_with_user_and_int_options() -> None:
    async with discord_bot([probe]) as (_app, dc):
        options = [option("user", BOB, type=OPTION_USER), option("amount", 5)]
        interaction = await dc.slash(GUILD, CHANNEL, ALICE, "give", options)
        await eventually(lambda: dc.callbacks(interaction))
        assert seen == [("give", (BOB, "Bob", 5))]
        callback = dc.callbacks(interaction)[0]
        assert callback.type == 4 and not callback.ephemeral
        assert callback.data["content"] == "5 points for Bob"
        assert callback.data["allowed_mentions"]["parse"] == []


async def test_bad_option_gets_the_usage_privately_and_runs_nothing() -> None:
    async with discord_bot([probe]) as (_app, dc):
        options = [option("user", BOB, type=OPTION_USER), option("amount", "lots")]
        interaction = await dc.slash(GUILD, CHANNEL, ALICE, "give", options)
        callbacks = await eventually(lambda: dc.callbacks(interaction))
        assert callbacks[0].ephemeral
        assert "/give <user> <amount>" in callbacks[0].data["content"]
        assert seen == []


async def test_slash_commands_published_with_subcommands_options_and_permissions() -> None:
    async with discord_bot([probe]) as (_app, dc):
        commands = {c["name"]: c for c in dc.commands()}
        give_ = commands["give"]
        assert [(o["name"], o["type"], o["required"]) for o in give_["options"]] == [
            ("user", 6, True),
            ("amount", 4, True),
        ]
        assert give_["description_localizations"] == {
            "zh-CN": "给成员积分",
            "en-US": "Give points to a member",
        }
        assert give_["description"] == "给成员积分"  # the bot's default locale is zh
        subs = {o["name"]: o for o in commands["score"]["options"]}
        assert set(subs) == {"me", "add"}  # /score itself is offered as /score me
        assert commands["kick"]["default_member_permissions"] == str(1 << 1)
        assert commands["lang"]["options"][0]["name"] == "me"  # built-in /lang beside /lang group


async def test_subcommand_and_the_base_command_standing_in_as_a_subcommand() -> None:
    async with discord_bot([probe]) as (_app, dc):
        add = subcommand("add", option("user", BOB, type=OPTION_USER), option("amount", 3))
        first = await dc.slash(GUILD, CHANNEL, ALICE, "score", [add])
        second = await dc.slash(GUILD, CHANNEL, BOB, "score", [subcommand("me")])
        await eventually(lambda: dc.callbacks(first) and dc.callbacks(second))
        assert set(seen) == {("score", None), ("score add", (BOB, 3))}


async def test_slow_handler_is_deferred_then_followed_up() -> None:
    async with discord_bot([probe]) as (_app, dc):
        interaction = await dc.slash(GUILD, CHANNEL, ALICE, "slow")
        callbacks = await eventually(lambda: dc.callbacks(interaction), within=3.0)
        assert callbacks[0].type == 5  # "thinking…", well inside Discord's 3 s
        assert callbacks[0].ephemeral
        original = await eventually(
            lambda: (o := dc.original(interaction)) and o.content and o, within=5.0
        )
        assert original.content == "thought it over"
        assert original.ephemeral
        assert len(dc.callbacks(interaction)) == 1


async def test_button_press_and_a_forged_button() -> None:
    async with discord_bot([probe]) as (_app, dc):
        interaction = await dc.slash(GUILD, CHANNEL, ALICE, "menu")
        menu_message = await eventually(lambda: dc.original(interaction))
        [custom_id] = menu_message.custom_ids
        assert len(custom_id) <= 100
        press = await dc.click(GUILD, CHANNEL, BOB, menu_message.id, custom_id)
        toast = await eventually(lambda: dc.callbacks(press))
        assert toast[0].type == 4 and toast[0].ephemeral and toast[0].data["content"] == "noted"
        assert ("yes", {"n": 1}) in seen

        seen.clear()
        forged = await dc.click(GUILD, CHANNEL, BOB, menu_message.id, "yes:{'n': 1000}")
        refusal = await eventually(lambda: dc.callbacks(forged))
        assert refusal[0].ephemeral and "expired" in refusal[0].data["content"]
        await settle(_app)
        assert [s for s in seen if s[0] == "yes"] == []


async def test_modal_form_round_trip() -> None:
    async with discord_bot([probe]) as (_app, dc):
        interaction = await dc.slash(GUILD, CHANNEL, ALICE, "form")
        [opened] = await eventually(lambda: dc.callbacks(interaction))
        assert opened.type == 9
        assert opened.data["custom_id"] == "probe:signup"
        assert opened.data["title"] == "Sign up"
        submit = await dc.submit_modal(
            GUILD, CHANNEL, ALICE, "probe:signup", {"name": "Ann", "why": "friends"}
        )
        answer = await eventually(lambda: dc.callbacks(submit))
        assert seen == [("form", ("probe:signup", {"name": "Ann", "why": "friends"}))]
        assert answer[0].ephemeral and answer[0].data["content"] == "welcome, Ann"


async def test_kick_above_the_bots_role_is_refused_without_calling_discord() -> None:
    async with discord_bot([probe]) as (app, dc):
        interaction = await dc.slash(
            GUILD, CHANNEL, ALICE, "kick", [option("user", CAROL, type=OPTION_USER)]
        )
        answer = await eventually(lambda: dc.callbacks(interaction))
        assert "cannot act on this member" in answer[0].data["content"]
        assert dc.calls("DELETE", rf"/guilds/{GUILD}/members/{CAROL}") == 0
        assert dc.member(GUILD, CAROL) is not None

        interaction = await dc.slash(
            GUILD, CHANNEL, ALICE, "kick", [option("user", BOB, type=OPTION_USER)]
        )
        answer = await eventually(lambda: dc.callbacks(interaction))
        assert answer[0].data["content"] == "Bob was removed"
        assert [k.user_id for k in dc.kicks] == [BOB]


async def test_private_reply_falls_back_to_the_channel_when_dms_are_closed() -> None:
    async with discord_bot([probe], {"bot": {"locale": "en"}}) as (_app, dc):
        dc.dm_closed.add(BOB)
        await dc.user_says(CHANNEL, BOB, "dm me")
        note = await eventually(lambda: dc.sent(CHANNEL))
        assert "cannot write to you in private" in note[0].content
        assert dc.dms(BOB) == []

        await dc.user_says(CHANNEL, ALICE, "dm me")
        dm = await eventually(lambda: dc.dms(ALICE))
        assert dm[0].content == "a secret"


pensive = Plugin("pensive")


@pensive.command("ponder")
async def ponder(ctx: Context) -> None:
    await asyncio.sleep(0.3)
    await ctx.reply("a public answer")


@pensive.command("quiet")
async def quiet(ctx: Context) -> None:
    seen.append(("quiet", None))


async def test_public_answer_after_a_deferral_goes_to_the_channel() -> None:
    # defer_after shortened so the handler's 0.3 s counts as slow; the 3.5 s test above shows
    # the real timing.
    async with discord_bot([pensive], defer_after=0.1) as (_app, dc):
        interaction = await dc.slash(GUILD, CHANNEL, ALICE, "ponder")
        posted = await eventually(lambda: [m for m in dc.sent(CHANNEL) if m.content])
        assert [m.content for m in posted] == ["a public answer"]
        assert not posted[0].ephemeral
        [deferral] = dc.callbacks(interaction)
        assert deferral.type == 5
        await eventually(lambda: dc.original(interaction).deleted)  # no "thinking…" left over


async def test_a_command_that_answers_nothing_is_still_acknowledged() -> None:
    async with discord_bot([pensive]) as (app, dc):
        interaction = await dc.slash(GUILD, CHANNEL, ALICE, "quiet")
        await eventually(lambda: seen)
        await settle(app)
        [ack] = dc.callbacks(interaction)
        assert ack.type == 5 and ack.ephemeral
        assert dc.original(interaction).deleted


async def test_edits_of_a_handled_message_all_reach_plugins() -> None:
    # An ad edited into an innocent message must still be seen: an edit is not a redelivery
    # of the message it changes, nor of an earlier edit.
    async with discord_bot([probe]) as (_app, dc):
        asked = await dc.user_says(CHANNEL, ALICE, "hello")
        await settle(_app)
        await dc.user_edits(CHANNEL, asked, "buy followers at spam.example")
        await eventually(lambda: ("edit", "buy followers at spam.example") in seen)
        await dc.user_edits(CHANNEL, asked, "buy more at spam.example")
        await eventually(lambda: ("edit", "buy more at spam.example") in seen)
