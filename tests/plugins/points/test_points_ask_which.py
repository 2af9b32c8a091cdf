"""Who a points command acts on, on the real python-telegram-bot client against the fake Bot API.

Two members called Zed without usernames: `/points give @Zed 5` never guesses; it asks which
Zed, with a button each, and only the admin who asked can answer; the pick gives once, however
often it is pressed. A Telegram mention acts on members only; a bot owner is told otherwise."""

from __future__ import annotations

import pytest

from bot import GroupRef, MemberRef
from plugins.points import Points

telegram = pytest.importorskip("bot.testing.telegram")
GROUP, telegram_bot = telegram.GROUP, telegram.telegram_bot

ADA, ZED1, ZED2 = 41, 51, 52
CONFIG = {"bot": {"locale": "en"}, "plugins": {"points": {"xp_min": 20, "xp_max": 20}}}


async def test_a_shared_name_is_asked_about_with_buttons(caplog):
    async with telegram_bot(["points"], CONFIG) as bot:
        tg = bot.tg
        tg.add_user(ADA, "Ada", "ada")
        tg.set_member(GROUP, ADA, "administrator", can_delete_messages=True)
        for user in (ZED1, ZED2):
            tg.add_user(user, "Zed")
            tg.set_member(GROUP, user, "member")
            await bot.say(user, "hello, I am a Zed")

        [question] = await bot.say(ADA, "/points give @Zed 5 thanks")
        assert question["visible_text"] == "2 members are called @Zed: which one do you mean?"
        labels = [b["text"] for row in question["reply_markup"]["inline_keyboard"] for b in row]
        assert labels == [f"Zed · id {ZED1}", f"Zed · id {ZED2}"]

        answer = await bot.click(ZED1, question, f"Zed · id {ZED2}")
        assert answer.get("text") == "This button is not for you."
        before = len(tg.sent())
        await bot.click(ADA, question, f"Zed · id {ZED2}")
        await bot.click(ADA, question, f"Zed · id {ZED2}")  # a double tap gives once
        done = [m["visible_text"] for m in tg.sent()[before:]]
        assert done[0] == "Gave 5 points to Zed. New balance: 25."

        points = bot.app.scope("points").service(Points)
        group = GroupRef("telegram", str(GROUP), str(GROUP))
        assert await points.balance(MemberRef("telegram", str(ZED2), group)) == 25
        assert await points.balance(MemberRef("telegram", str(ZED1), group)) == 20
        # A command that cannot ask says the name is shared, and guesses nothing either.
        [rank] = await bot.say(ADA, "/rank @Zed")
        assert rank["visible_text"].startswith(
            "2 members here are called @Zed: mention the one you mean from the member list."
        )


async def test_a_member_asking_to_pay_a_shared_name_is_asked_too():
    async with telegram_bot(["points"], CONFIG) as bot:
        tg = bot.tg
        tg.add_user(ADA, "Ada", "ada")
        tg.set_member(GROUP, ADA, "member")
        for user in (ZED1, ZED2):
            tg.add_user(user, "Zed")
            tg.set_member(GROUP, user, "member")
            await bot.say(user, "hello, I am a Zed")
        await bot.say(ADA, "hello from ada here")
        [question] = await bot.say(ADA, "/points pay @Zed 5")
        assert question["visible_text"].endswith("which one do you mean?")
        await bot.click(ADA, question, f"Zed · id {ZED1}")
        points = bot.app.scope("points").service(Points)
        group = GroupRef("telegram", str(GROUP), str(GROUP))
        assert await points.balance(MemberRef("telegram", str(ZED1), group)) == 25
        assert await points.balance(MemberRef("telegram", str(ADA), group)) == 15


def mention(text: str, name: str, user_id: int) -> list[dict]:
    """A Telegram text_mention of ``name`` in ``text`` (someone without a username)."""
    offset = len(text[: text.index(name)].encode("utf-16-le")) // 2
    length = len(name.encode("utf-16-le")) // 2
    return [{"type": "text_mention", "offset": offset, "length": length,
             "user": {"id": user_id, "is_bot": False, "first_name": name}}]


async def test_a_platform_mention_acts_on_members_only_and_a_bot_owner_is_told_otherwise():
    owner = telegram.OWNER
    config = {"bot": {"locale": "en", "owners": [f"telegram:{owner}"]},
              "plugins": {"points": {"xp_min": 20, "xp_max": 20, "scope": "global"}}}
    async with telegram_bot(["points"], config) as bot:
        tg = bot.tg
        tg.add_user(ADA, "Ada", "ada")
        tg.set_member(GROUP, ADA, "administrator", can_delete_messages=True)
        tg.add_user(ZED1, "Quiet")  # in the group, never spoke: Telegram vouches for them
        tg.set_member(GROUP, ZED1, "member")
        tg.add_user(ZED2, "Gone")  # never in this group
        text = "/points give Quiet 5"
        [done] = await bot.say(ADA, text, entities=mention(text, "Quiet", ZED1))
        assert done["visible_text"] == "Gave 5 points to Quiet. New balance: 5."
        text = "/points give Gone 5"
        [refused] = await bot.say(ADA, text, entities=mention(text, "Gone", ZED2))
        assert refused["visible_text"].startswith("Gone is not a member of this group")
        [owned] = await bot.say(owner, text, entities=mention(text, "Gone", ZED2))
        assert owned["visible_text"].splitlines() == [
            "Gave 5 points to Gone. New balance: 5.",
            "Note: Gone is not a member of this group; as a bot owner you acted on their balance "
            "across all groups.",
        ]
