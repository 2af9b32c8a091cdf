"""Commands as a member types them: typed arguments, usage on mistakes, levels, rate limits."""

from datetime import timedelta
from typing import Literal

import pytest

from bot import Context, PermissionLevel, Plugin, Rest, User
from bot.commands import ArgError, parse_duration, split_command

tools = Plugin("tools", description="test commands")


@tools.command("echo", description="tools.echo")
async def echo(ctx: Context, word: str, times: int = 1) -> None:
    await ctx.reply(" ".join([word] * times))


@tools.command("note", description="tools.note")
async def note(ctx: Context, who: User, text: Rest) -> None:
    await ctx.reply(f"note for {who.id}: {text}")


@tools.command("snooze")
async def snooze(ctx: Context, length: timedelta, mode: Literal["soft", "hard"] = "soft") -> None:
    await ctx.reply(f"{int(length.total_seconds())}s {mode}")


@tools.command("ban", level=PermissionLevel.ADMIN, description="tools.ban")
async def ban(ctx: Context, who: User) -> None:
    await ctx.reply(f"banned {who.id}")


@tools.command("tools give", level=PermissionLevel.MODERATOR)
async def give(ctx: Context, who: User, amount: int) -> None:
    await ctx.reply(f"gave {who.id} {amount}")


@tools.command("secret", level=PermissionLevel.OWNER)
async def secret(ctx: Context) -> None:
    await ctx.reply("owner only")


pytestmark = pytest.mark.plugins(tools)


async def test_typed_args_and_quotes(fake):
    assert await fake.say('alice: /echo "hello world" 2') == ["hello world hello world"]
    assert await fake.say("alice: /echo “你好 世界”") == ["你好 世界"]


async def test_bot_username_suffix_and_other_bots(fake):
    assert await fake.say("alice: /echo@qunbot hi") == ["hi"]
    assert await fake.say("alice: /echo@otherbot hi") == []


async def test_missing_and_bad_args_answer_with_usage(fake):
    out = await fake.say("alice: /echo")
    assert out == ["缺少参数 <word>。\n用法：/echo <word> [times]"]
    out = await fake.say(":locale en", "alice: /echo hi lots")
    assert out == ["<times> must be a whole number, not “lots”.\nUsage: /echo <word> [times]"]
    out = await fake.say('bob: /echo "unclosed')
    assert "A quote is not closed." in out[0]


async def test_mentions_resolve_to_known_members(fake):
    await fake.say("bob: hello")  # bob is now known to the roster
    assert await fake.say("alice: /note @bob bring the projector tomorrow") == [
        "note for bob: bring the projector tomorrow"
    ]
    out = await fake.say(":locale en", "alice: /note @nobody hi")
    # Not "not a mention": a mention of someone the bot has not seen (issue 17, item 11).
    assert out[0].startswith("I don't know @nobody yet: they need to speak in this group first")
    out = await fake.say("alice: /note nobody hi")
    assert out[0].startswith("<who> must be an @mention of a member")


async def test_durations_and_choices(fake):
    assert await fake.say("alice: /snooze 1h30m hard") == ["5400s hard"]
    out = await fake.say(":locale en", "alice: /snooze 3x")
    assert "is not a duration" in out[0] and "Usage: /snooze <length> [soft|hard]" in out[0]
    out = await fake.say("alice: /snooze 1d medium")
    assert "must be one of: soft, hard" in out[0]


async def test_levels_are_checked_and_admins_may(fake):
    await fake.say("bob: hi")
    out = await fake.say(":locale en", "carol: /ban @bob")
    assert out == ["You need to be an admin to use /ban."]
    fake.admin("alice")
    assert await fake.say("alice: /ban @bob") == ["banned bob"]
    assert await fake.say("alice: /tools give @bob 5") == ["gave bob 5"]


@pytest.mark.bot_config({"bot": {"owners": ["console:olivia"]}})
async def test_owner_from_config(fake):
    assert await fake.say("olivia: /secret") == ["owner only"]
    fake.admin("alice")
    assert "/secret" in (await fake.say(":locale en", "alice: /secret"))[0]


async def test_help_lists_only_what_the_caller_may_run(fake):
    member_help = (await fake.say(":locale en", "bob: /help"))[0]
    assert "/echo" in member_help and "/ban" not in member_help and "/secret" not in member_help
    fake.admin("alice")
    admin_help = (await fake.say("alice: /help"))[0]
    assert "/ban <who>" in admin_help and "/tools give" in admin_help and "/secret" not in admin_help


@pytest.mark.bot_config({"bot": {"command_rate": 3, "command_window": 10}})
async def test_rate_limit_per_member(fake):
    for _ in range(3):
        assert await fake.say("alice: /echo x") == ["x"]
    out = await fake.say(":locale en", "alice: /echo x")
    assert len(out) == 1 and "too many commands" in out[0]
    assert out and fake.outputs[-1].channel == "dm:alice"  # the warning goes to alice alone
    assert await fake.say("alice: /echo x") == []  # silence after one warning
    assert await fake.say("bob: /echo y") == ["y"]  # others are not slowed down
    await fake.wait("11s")
    assert await fake.say("alice: /echo z") == ["z"]


async def test_unknown_command_is_silent_in_groups_and_explained_in_private(fake):
    assert await fake.say("alice: /nosuch") == []
    out = await fake.say(":locale en", "alice@dm: /nosuch")
    assert out == ["Unknown command /nosuch. Send /help to see what I can do."]


def test_split_command():
    assert split_command("/Checkin@QunBot  now ", "qunbot") == ("checkin", "now")
    assert split_command("/checkin@other", "qunbot") is None
    assert split_command("checkin", "qunbot") is None


def test_parse_duration_bounds():
    assert parse_duration("3d") == timedelta(days=3)
    assert parse_duration("1w2d") == timedelta(days=9)
    for bad in ("0s", "", "5", "400d", "1h foo"):
        with pytest.raises(ArgError):
            parse_duration(bad)


async def test_words_after_a_command_without_arguments_get_the_usage(fake):
    out = await fake.say(":locale en", "alice: /id me please")
    assert out == ["Unexpected extra text: me please\nUsage: /id"]


async def test_rest_text_starts_after_the_arguments_already_read(fake):
    await fake.say("bob: hello")
    # The first word of the note also appears inside the mention: it must not pull it back in.
    assert await fake.say("alice: /note @bob bob was great") == ["note for bob: bob was great"]
    assert await fake.say('alice: /note @bob "ob" is a "quote"') == ['note for bob: "ob" is a "quote"']


@pytest.mark.bot_config({"bot": {"command_rate": 2, "command_window": 10}})
async def test_the_rate_limit_forgets_idle_members_but_not_busy_ones(fake, monkeypatch):
    from bot import dispatch

    monkeypatch.setattr(dispatch, "RATE_SWEEP_SIZE", 4)
    for name in ("ann", "ben", "cat"):
        assert await fake.say(f"{name}: /echo x") == ["x"]
    await fake.wait("11s")
    assert await fake.say("dan: /echo x", "dan: /echo x") == ["x", "x"]
    assert await fake.say("eve: /echo x") == ["x"]  # the fifth member: a sweep
    # Memory, not behaviour: the idle members' windows are gone (a peek at the dispatcher).
    assert sorted(fake.app._dispatcher._command_times) == ["console:dan", "console:eve"]
    out = await fake.say(":locale en", "dan: /echo x")  # dan's window survived the sweep
    assert len(out) == 1 and "too many commands" in out[0]


@pytest.mark.bot_config({"bot": {"command_rate": 2, "command_window": 10}})
async def test_unknown_commands_in_private_count_against_the_rate_limit(fake):
    out = await fake.say(":locale en", *["alice@dm: /nosuch"] * 5)
    assert out[:2] == ["Unknown command /nosuch. Send /help to see what I can do."] * 2
    assert len(out) == 3 and "too many commands" in out[2]


async def test_many_resolved_mentions_keep_their_own_names(bot_app):
    """Eleven platform mentions: the tenth placeholder must not swallow the first."""
    from bot.commands import CommandRegistry
    from bot.message import Mention

    registry: CommandRegistry = bot_app.commands
    spec = registry.get("note")
    mentions = [Mention(str(100 + i), f"user{i}") for i in range(11)]
    text = "@user10 " + " ".join(f"@user{i}" for i in range(10))
    values = await registry.parse_text(spec, text, mentions)
    assert values["who"].id == "110"
    assert values["text"] == " ".join(f"@user{i}" for i in range(10))


def test_whole_numbers_are_read_as_typed_or_refused_never_guessed():
    from bot.commands import ArgError, parse_int

    for typed, value in (("42", 42), ("-7", -7), ("1,000", 1000), ("1,234,567", 1234567),
                         ("１００", 100), ("１，０００", 1000), ("+5", 5)):
        assert parse_int(typed) == value, typed
    for typed in ("1,0,0", "10,00", "1_000", "1.5", "٥", "५", "", "1 000", ",100"):
        with pytest.raises(ArgError) as refused:
            parse_int(typed)
        assert refused.value.key == "bot.args.not_int", typed
    with pytest.raises(ArgError) as huge:
        parse_int("1" * 20)
    assert huge.value.key == "bot.args.too_large"
