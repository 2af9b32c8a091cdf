"""Who the points commands act on and show: current members of the group only (who left is off
the boards and out of reach, another group's members are never looked up), a name several
members share is asked about, never guessed; amounts read as typed; counts in plural forms."""

from __future__ import annotations

import pytest

from bot import GroupRef, MemberRef
from plugins.points import Points

EN = {"bot": {"owners": ["console:root"]}, "plugins": {"points": {"xp_min": 20, "xp_max": 20}}}
GLOBAL = {"bot": {"owners": ["console:root"]},
          "plugins": {"points": {"scope": "global", "xp_min": 20, "xp_max": 20}}}
pytestmark = [pytest.mark.plugins("points"), pytest.mark.bot_config(EN)]


async def balance(fake, user: str, group: str = "lobby") -> int:
    member = MemberRef("console", user, GroupRef("console", group, group))
    return await fake.app.scope("points").service(Points).balance(member)


@pytest.fixture
async def chat(fake):
    """alice (admin), bob and dan have spoken once in the lobby (20 points each); dan left."""
    fake.admin("alice")
    await fake.say(":locale en", "alice: hello everyone", "bob: hi alice, nice to meet you")
    await fake.clock.advance(60)
    await fake.say("dan: I talk the most here", "dan: and again, twice")
    await fake.clock.advance(60)
    await fake.say("dan: three times even", "-dan")
    return fake


# -- 17.5: one notion of a current member --------------------------------------------------------
async def test_who_left_is_on_no_board_and_not_ranked(chat):
    for period in ("all", "day", "week", "month"):
        (board,) = await chat.say(f"bob: /top {period}")
        assert "dan" not in board, period
        assert board.splitlines()[1].startswith("1. alice"), period
    (card,) = await chat.say("bob: /me")
    assert card.splitlines()[-1] == "Rank #1 in this group"  # dan's 40 XP no longer counts
    await chat.say("+dan")  # back: on the boards again
    (board,) = await chat.say("bob: /top")
    assert board.splitlines()[1].startswith("1. dan")


# -- 18.9: a command acts on members of the group it is run in ----------------------------------
async def test_who_left_cannot_be_given_taken_from_paid_or_ranked(chat):
    refused = "dan is not a member of this group: commands here act only on its members."
    for line in ("alice: /points give @dan 5", "alice: /points take @dan 5", "bob: /points pay @dan 5"):
        (out,) = await chat.say(line)
        assert out.startswith(refused), line
    assert await chat.say("bob: /rank @dan") == ["dan is not a member of this group."]
    assert await balance(chat, "dan") == 40 and await balance(chat, "bob") == 20
    # The group's own ledger stays readable to its admins.
    (history,) = await chat.say("alice: /points history @dan")
    assert history.startswith("Recent points of dan:")


@pytest.mark.bot_config(GLOBAL)
async def test_with_one_balance_everywhere_another_groups_member_is_out_of_reach(fake):
    fake.admin("alice")
    await fake.say(":group other", ":locale en", "eve: hello from the other group")
    await fake.say(":group lobby", ":locale en", "alice: hello everyone", "bob: hi alice, hello")
    for line in ("alice: /points take @eve 5", "alice: /points history @eve", "bob: /points pay @eve 1",
                 "bob: /rank @eve"):
        (out,) = await fake.say(line)
        assert out.startswith("I don't know @eve yet"), line
    member = MemberRef("console", "eve", GroupRef("console", "other", "other"))
    assert await fake.app.scope("points").service(Points).balance(member) == 20


# -- 17.11 / 18.13: amounts as typed -------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "answer"),
    [
        ("1,0,0", "<amount> must be a whole number, not “1,0,0”."),
        ("1_000", "<amount> must be a whole number, not “1_000”."),
        ("٥", "<amount> must be a whole number, not “٥”."),
        ("12345678901234567890",
         "<amount> is too large: at most 1,000,000,000,000 (got “12345678901234567890”)."),
    ],
)
async def test_amounts_that_are_refused_say_why_and_change_nothing(chat, amount, answer):
    (out,) = await chat.say(f"alice: /points give @bob {amount}")
    assert out.splitlines() == [answer, "Usage: /points give <member> <amount> [reason...]"]
    assert await balance(chat, "bob") == 20


@pytest.mark.parametrize(("amount", "given"), [("1,000", 1000), ("１００", 100), ("１，０００", 1000)])
async def test_thousands_separators_and_full_width_digits_are_read(chat, amount, given):
    (out,) = await chat.say(f"alice: /points give @bob {amount}")
    assert out == f"Gave {given} points to bob. New balance: {20 + given}."


async def test_a_member_the_bot_never_saw_is_named_as_such(chat):
    (out,) = await chat.say("alice: /points give @nobody 5")
    assert out.startswith("I don't know @nobody yet: they need to speak in this group first")


# -- 17.12: plural forms -------------------------------------------------------------------------
async def test_one_point_is_singular(chat):
    assert await chat.say("alice: /points give @bob 1") == ["Gave 1 point to bob. New balance: 21."]
    assert await chat.say("bob: /points pay @alice 1") == ["Paid 1 point to alice. Your balance: 20."]
    assert await chat.say("alice: /points take @bob 1 oops") == ["Took 1 point from bob. New balance: 19."]
    (zh,) = await chat.say(":locale zh", "alice: /积分 发放 @bob 1")
    assert zh == "已给 bob 发放 1 积分，当前余额 20。"


async def test_help_shows_the_plugins_heading_and_examples(chat):
    (menu,) = await chat.say(":locale zh", "bob@dm: /help")
    assert "【积分与等级】" in menu
    (one,) = await chat.say("bob@dm: /help 积分 转账")
    assert "/积分 转账 @bob 10" in one
