"""Level title rewards on the real python-telegram-bot client, through the Telegram adapter,
against the fake Bot API: Telegram lets a bot set a custom title on admins it promoted rights
for; a plain member's title is refused, logged, and the level-up stands."""

from __future__ import annotations

import logging

import pytest

from bot import GroupRef, MemberRef
from bot.testing.fake_telegram import DEFAULT_BOT_RIGHTS
from plugins.points import Points

# The Telegram adapter's test kit arrived after this plugin; without it there is nothing to run.
telegram = pytest.importorskip("bot.testing.telegram")
GROUP, telegram_bot = telegram.GROUP, telegram.telegram_bot

ADMIN, MEMBER = 41, 42
CONFIG = {
    "bot": {"locale": "en"},
    "plugins": {
        "points": {
            "xp_min": 100, "xp_max": 100, "cooldown_seconds": 0, "curve": "table", "table": [100, 200],
            "rewards": [{"level": 1, "title": "Regular"}, {"level": 2, "title": "Veteran"}],
        }
    },
}


async def test_custom_titles_follow_levels_for_admins_and_a_refusal_keeps_the_level(caplog):
    caplog.set_level(logging.WARNING, "plugins.points")
    async with telegram_bot(["points"], CONFIG) as bot:
        tg = bot.tg
        tg.set_bot_rights(GROUP, **DEFAULT_BOT_RIGHTS, can_promote_members=True)
        tg.add_user(ADMIN, "Ada", "ada")
        tg.set_member(GROUP, ADMIN, "administrator", can_delete_messages=True)
        tg.add_user(MEMBER, "Max", "max")
        tg.set_member(GROUP, MEMBER, "member")

        [announcement] = await bot.say(ADMIN, "hello everyone here")
        assert "reached level 1" in announcement["visible_text"]
        assert tg.member(GROUP, ADMIN)["custom_title"] == "Regular"
        await bot.say(ADMIN, "still talking here")
        assert tg.member(GROUP, ADMIN)["custom_title"] == "Veteran"

        # Telegram gives custom titles to administrators only: refused, logged, level kept.
        [announcement] = await bot.say(MEMBER, "hi from a member")
        assert "reached level 1" in announcement["visible_text"]
        assert "custom_title" not in tg.member(GROUP, MEMBER)
        assert any("not given" in r.getMessage() and str(MEMBER) in r.getMessage() for r in caplog.records)
        member = MemberRef("telegram", str(MEMBER), GroupRef("telegram", str(GROUP), str(GROUP)))
        assert (await bot.app.scope("points").service(Points).standing(member)).level == 1
        calls = [c["user_id"] for c in tg.calls("setChatAdministratorCustomTitle")]
        assert [str(user) for user in calls] == [str(ADMIN), str(ADMIN), str(MEMBER)]
