"""The real Telegram adapter (python-telegram-bot over HTTP) against the fake Bot API: what a
group would see, message by message."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot import (
    Button,
    Context,
    Image,
    JoinRequest,
    MemberJoined,
    Outgoing,
    PermissionLevel,
    Plugin,
    Text,
    User,
)
from bot.adapters.telegram.limits import OutboundLimiter
from bot.message import as_outgoing
from bot.refs import GroupRef
from bot.testing.telegram import GROUP, OWNER, TelegramBot, telegram_bot

ANN, BOB, CAROL = 42, 43, 44
HOSTILE = '</b><a href="x">y</a>_*['
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") * 2 + b"rest"

demo = Plugin("tgdemo")
seen: dict[str, list] = {"votes": [], "joins": [], "requests": []}


@demo.command("greet")
async def greet(ctx: Context) -> None:
    await ctx.reply(f"hello {ctx.event.user.display_name}")


@demo.command("give")
async def give(ctx: Context, amount: int) -> None:
    await ctx.reply(f"gave {amount}")


@demo.command("vote")
async def vote(ctx: Context) -> None:
    button = Button("Yes", action="yes", payload={"choice": "yes"})
    await ctx.reply(Outgoing((Text("Vote?"),)).with_buttons([button]))


@demo.button("yes")
async def voted(ctx: Context, payload: dict) -> None:
    seen["votes"].append((ctx.event.user.id, payload["choice"]))
    await ctx.answer("counted")


@demo.command("kick", level=PermissionLevel.ADMIN, right="restrict", guild_only=True)
async def kick(ctx: Context, member: User) -> None:
    await ctx.bot.kick(ctx.group.id, member.id)
    await ctx.reply(f"removed {member.display_name}")


@demo.command("dm")
async def dm(ctx: Context) -> None:
    await ctx.reply("a secret", private=True)


@demo.command("chart")
async def chart(ctx: Context) -> None:
    await ctx.reply(Outgoing((Image(PNG, "chart.png", caption="weekly <top>"),)))


@demo.command("long")
async def long(ctx: Context) -> None:
    await ctx.reply("<b>" + "word " * 1500)


@demo.on(MemberJoined)
async def joined(ctx: Context, event: MemberJoined) -> None:
    seen["joins"].append(event.user.id)


@demo.on(JoinRequest)
async def requested(ctx: Context, event: JoinRequest) -> None:
    seen["requests"].append(event.user.id)
    await ctx.bot.answer_join_request(ctx.group.id, event.user.id, "ok" in event.bio)


@pytest.fixture
async def bot():
    for values in seen.values():
        values.clear()
    async with telegram_bot(plugins=[demo], config={"bot": {"locale": "en"}}) as running:
        tg = running.tg
        tg.add_user(ANN, HOSTILE, "ann")
        tg.add_user(BOB, "Bob", "bob")
        tg.add_user(CAROL, "Carol", "carol")
        yield running


def texts(sent: list[dict]) -> list[str]:
    return [s["visible_text"] for s in sent]


async def group(bot: TelegramBot, chat_id: int = GROUP) -> GroupRef:
    """The group as plugins see it (its key and current id), from the roster."""
    groups = await bot.app.scope("tgdemo").roster.groups("telegram")
    [found] = [g.ref for g in groups if g.ref.id == str(chat_id)]
    return found


async def members(bot: TelegramBot, chat_id: int = GROUP) -> list[str]:
    roster = bot.app.scope("tgdemo").roster
    return [entry.user_id for entry in await roster.members(await group(bot, chat_id))]


# -- messages and commands ---------------------------------------------------------------------


async def test_reply_quotes_the_command_and_shows_a_hostile_name_literally(bot):
    update = bot.tg.user_says(GROUP, ANN, "/greet")
    await bot.settle()
    [reply] = bot.tg.sent(GROUP)
    assert reply["visible_text"] == f"hello {HOSTILE}"
    assert reply["parse_mode"] == "HTML" and reply["entities"] == []
    assert reply["reply_to_message_id"] == update["message"]["message_id"]


async def test_bad_arguments_get_the_usage_and_do_nothing(bot):
    [reply] = await bot.say(BOB, "/give lots")
    assert "/give <amount>" in reply["visible_text"]
    assert "gave" not in reply["visible_text"]
    assert texts(await bot.say(BOB, "/give 5")) == ["gave 5"]


async def test_help_addressed_to_this_bot_and_not_to_another(bot):
    [reply] = await bot.say(BOB, "/help@qunbot_test")
    assert "/greet" in reply["visible_text"]
    assert await bot.say(BOB, "/help@other_bot") == []


async def test_long_reply_is_split_into_valid_messages(bot):
    replies = await bot.say(BOB, "/long")
    assert len(replies) == 2
    assert all(len(r["visible_text"]) <= 4096 for r in replies)
    assert "".join(texts(replies)).startswith("<b>word word")


async def test_image_is_uploaded_as_a_photo_with_an_escaped_caption(bot):
    [photo] = await bot.say(BOB, "/chart")
    assert photo["method"] == "sendPhoto" and photo["photo"] == PNG
    assert photo["visible_text"] == "weekly <top>"


async def test_private_reply_falls_back_to_a_note_until_the_member_starts_the_bot(bot):
    [note] = await bot.say(BOB, "/dm")
    assert note["chat_id"] == GROUP and "Bob, I cannot write to you in private" in note["visible_text"]
    bot.tg.user_starts(BOB)
    await bot.settle()
    await bot.say(BOB, "/dm")
    assert texts(bot.tg.sent(BOB))[-1] == "a secret"


# -- buttons -----------------------------------------------------------------------------------


async def test_button_press_runs_the_action_and_answers_with_a_toast(bot):
    [menu] = await bot.say(BOB, "/vote")
    answer = await bot.click(CAROL, menu, "Yes")
    assert answer["text"] == "counted"
    assert seen["votes"] == [(str(CAROL), "yes")]
    data = menu["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert len(data.encode()) <= 64 and "yes" not in data  # the payload stays on the server


@pytest.mark.parametrize("forged", ["forged-token", "anon:forged", "x" * 64])
async def test_forged_callback_data_changes_nothing(bot, forged):
    [menu] = await bot.say(BOB, "/vote")
    update = bot.tg.user_clicks(GROUP, CAROL, menu["message_id"], forged)
    await bot.settle()
    answer = bot.tg.callback_answer(update["callback_query"]["id"])
    assert answer["text"] == "This button has expired." and answer["show_alert"] is True
    assert seen["votes"] == []


# -- members -----------------------------------------------------------------------------------


async def test_a_join_reported_twice_is_one_member_joined(bot):
    bot.tg.user_joins(GROUP, 60, via="both")
    await bot.settle()
    assert seen["joins"] == ["60"]


async def test_several_users_added_at_once_each_join(bot):
    # One service message (one update_id) carries every added user: none may be skipped as
    # a "redelivery" of the first.
    bot.tg.users_added(GROUP, [61, 62, 63], by=OWNER)
    await bot.settle()
    assert seen["joins"] == ["61", "62", "63"]
    assert {"61", "62", "63"} <= set(await members(bot))


async def test_join_requests_are_approved_or_declined(bot):
    bot.tg.join_request(GROUP, 50, bio="ok, I read the rules")
    bot.tg.join_request(GROUP, 51, bio="cheap followers")
    await bot.settle()
    assert sorted(seen["requests"]) == ["50", "51"]
    assert bot.tg.member(GROUP, 50)["status"] == "member"
    assert bot.tg.member(GROUP, 51)["status"] == "left"
    assert seen["joins"] == ["50"]  # approval reported twice by Telegram, seen once


async def test_kick_is_a_one_minute_ban_and_the_member_may_rejoin(bot):
    await bot.say(BOB, "hi")  # the bot learns @bob
    [reply] = await bot.say(OWNER, "/kick @bob")
    assert reply["visible_text"] == "removed Bob"
    [ban] = bot.tg.calls("banChatMember")
    now = int(bot.clock.now().timestamp())
    assert ban["user_id"] == BOB and ban["until_date"] == now + 60
    member = bot.tg.member(GROUP, BOB)
    assert member["status"] == "kicked" and member["until_date"] == now + 60  # not forever
    await bot.clock.advance(timedelta(seconds=61))
    bot.tg.user_joins(GROUP, BOB)
    await bot.settle()
    assert seen["joins"][-1] == str(BOB)


async def test_kick_needs_an_admin_with_the_restrict_right(bot):
    await bot.say(BOB, "hi")
    bot.tg.set_member(GROUP, ANN, "administrator", can_restrict_members=False)
    [refusal] = await bot.say(ANN, "/kick @bob")
    # The refusal goes to private chat; Ann never started the bot, so the group gets a short
    # note naming her.
    assert "only an admin may use /kick" in refusal["visible_text"]
    assert bot.tg.calls("banChatMember") == []
    assert bot.tg.member(GROUP, BOB)["status"] == "member"


async def test_channel_identities_are_never_kicked(bot):
    with pytest.raises(Exception, match="channel identity"):
        await bot.adapter.kick(str(GROUP), str(GROUP))
    with pytest.raises(Exception, match="channel identity"):
        await bot.adapter.kick(str(GROUP), "777000")
    assert bot.tg.calls("banChatMember") == []


async def test_anonymous_admin_command_waits_for_a_real_admin(bot):
    await bot.say(BOB, "hi")
    bot.tg.anonymous_admin_says(GROUP, "/kick @bob")
    await bot.settle()
    [prompt] = bot.tg.sent(GROUP)[-1:]
    assert "anonymous admin" in prompt["visible_text"]
    assert bot.tg.calls("banChatMember") == []
    refused = await bot.click(CAROL, prompt, "Confirm (admins only)")
    assert refused["show_alert"] is True and "Only a group admin" in refused["text"]
    assert bot.tg.member(GROUP, BOB)["status"] == "member"
    confirmed = await bot.click(OWNER, prompt, "Confirm (admins only)")
    assert "confirmed by Olga" in confirmed["text"]
    assert bot.tg.member(GROUP, BOB)["status"] == "kicked"
    assert texts(bot.tg.sent(GROUP))[-1] == "removed Bob"
    assert bot.tg.sent(GROUP)[-2]["reply_markup"] is None  # the prompt now says who confirmed
    data = bot.tg.calls("sendMessage")[-2]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    update = bot.tg.user_clicks(GROUP, OWNER, prompt["message_id"], data)
    await bot.settle()
    assert bot.tg.callback_answer(update["callback_query"]["id"])["text"] == "This button has expired."
    assert len(bot.tg.calls("banChatMember")) == 1


async def test_anonymous_admin_gets_member_commands_without_confirmation(bot):
    bot.tg.anonymous_admin_says(GROUP, "/give 3")
    await bot.settle()
    assert texts(bot.tg.sent(GROUP)) == ["gave 3"]


async def test_channel_posts_and_linked_forwards_are_not_members(bot):
    bot.tg.channel_post_in_group(GROUP, -100777, "buy now")
    bot.tg.linked_forward(GROUP, -100888, "news")
    bot.tg.anonymous_admin_says(GROUP, "hello")
    await bot.settle()
    assert await members(bot) == []


# -- delivery ----------------------------------------------------------------------------------


async def test_429_is_retried_after_retry_after_and_sent_exactly_once(bot):
    bot.tg.fail_next("sendMessage", 429, retry_after=1)
    replies = await bot.say(BOB, "/give 1")
    assert texts(replies) == ["gave 1"]
    assert len(bot.tg.calls("sendMessage")) == 2


async def test_a_throttled_group_never_delays_another(bot):
    other = -1002000000002
    bot.tg.add_chat(other, "Other Group")
    bot.adapter.limiter = OutboundLimiter(per_group=2, group_seconds=3600)
    for n in range(2):
        await bot.adapter.send(str(GROUP), as_outgoing(f"m{n}"))
    throttled = asyncio.create_task(bot.adapter.send(str(GROUP), as_outgoing("m2")))
    await asyncio.sleep(0.05)
    await bot.adapter.send(str(other), as_outgoing("elsewhere"))
    assert texts(bot.tg.sent(other)) == ["elsewhere"]
    assert not throttled.done() and texts(bot.tg.sent(GROUP)) == ["m0", "m1"]
    throttled.cancel()


async def test_a_redelivered_update_is_not_applied_twice(bot):
    update = bot.tg.user_says(GROUP, BOB, "/give 2")
    await bot.settle()
    handed_out = bot.tg.handed_out
    bot.tg.redeliver(update)
    await bot.settle()
    assert texts(bot.tg.sent(GROUP)) == ["gave 2"]
    assert bot.tg.handed_out == handed_out + 1  # it did reach the bot a second time


# -- migration ---------------------------------------------------------------------------------

@demo.command("where")
async def where(ctx: Context) -> None:
    await ctx.reply(f"key {ctx.group.key} id {ctx.group.id}")


@pytest.mark.parametrize("order", ["from_first", "to_first"])
async def test_group_to_supergroup_migration_keeps_the_group_key(order, caplog):
    old, new = -4000000001, -1004000000001
    async with telegram_bot(plugins=[demo], config={"bot": {"locale": "en"}}) as bot:
        bot.tg.add_chat(old, "Small group", type="group")
        bot.tg.add_user(BOB, "Bob", "bob")
        await bot.say(BOB, "hi", chat_id=old)
        bot.tg.set_member(old, OWNER, "creator")
        with caplog.at_level("INFO", logger="bot.adapters.telegram"):
            first = bot.tg.migrate(old, new, order)
            await bot.settle()
            for update in first:  # both reports again, as after a crash
                bot.tg.redeliver(update)
            bot.tg.migrate(old, new, order)  # and Telegram reporting the upgrade twice
            await bot.settle()
        upgrades = [r for r in caplog.records if "is now supergroup" in r.getMessage()]
        assert len(upgrades) == 1  # re-keyed once
        # One group, under its first id as key, now answering at the new id; Bob still in it.
        ref = await group(bot, new)
        assert (ref.key, ref.id) == (str(old), str(new))
        groups = await bot.app.scope("tgdemo").roster.groups("telegram")
        assert [g.ref.id for g in groups if g.ref.key == str(old)] == [str(new)]
        assert str(old) not in [g.ref.id for g in groups]
        assert str(BOB) in await members(bot, new)
        # The bot keeps working in the new supergroup with the same key, and a send to the old
        # id follows it.
        assert texts(await bot.say(BOB, "/where", chat_id=new)) == [f"key {old} id {new}"]
        await bot.adapter.send(str(old), as_outgoing("follows"))
        assert texts(bot.tg.sent(new))[-1] == "follows"


async def test_cached_levels_do_not_grow_without_bound(bot, monkeypatch):
    # One cached level per member who ever ran a command: a busy bot must drop stale ones.
    import bot.adapters.telegram.members as telegram_adapter

    monkeypatch.setattr(telegram_adapter, "LEVELS_KEPT", 3)
    for user in (ANN, BOB, CAROL):
        bot.tg.set_member(GROUP, user, "member")
        assert await bot.adapter.get_level(str(GROUP), str(user)) == PermissionLevel.MEMBER
    await bot.clock.advance(timedelta(seconds=61))
    assert await bot.adapter.get_level(str(GROUP), str(OWNER)) == PermissionLevel.ADMIN
    assert len(bot.adapter._levels) == 1
