"""The points commands in a group of tens of thousands, on SQLite and PostgreSQL: a member's card
ranks them among everyone above them however many that is (PostgreSQL takes at most 32,767
values in one statement)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tortoise.connection import connections

from bot.storage import PlainSQL

EN = {"plugins": {"points": {"xp_min": 20, "xp_max": 20}}}
pytestmark = [pytest.mark.plugins("points"), pytest.mark.bot_config(EN), pytest.mark.both_databases]

ABOVE = 40_000
ADD_MEMBER = PlainSQL(
    'INSERT INTO "core_member" ("platform","guild_id","user_id","name","message_count","is_member","is_bot")'
    " VALUES ({},{},{},{},{},{},{})"
)
ADD_BALANCE = PlainSQL(
    'INSERT INTO "points_balance" ("platform","scope","user_id","balance","lifetime_xp","level","updated_at")'
    " VALUES ({},{},{},{},{},{},{})"
)


async def test_the_card_ranks_a_member_below_forty_thousand_others(fake):
    await fake.say(":locale en", "bob: hello everyone")
    client = connections.get("default")
    at = datetime(2026, 3, 1, tzinfo=UTC)
    ids = [f"m{n}" for n in range(ABOVE + 10)]
    # Ten of those above left the group: who left is not ranked.
    await client.execute_many(ADD_MEMBER.on(client), [
        ["console", "lobby", user, user, 1, n >= 10, False] for n, user in enumerate(ids)
    ])
    await client.execute_many(ADD_BALANCE.on(client), [
        ["console", "lobby", user, 1000, 1000, 5, at] for user in ids
    ])
    (card,) = await fake.say("bob: /me")
    assert card.splitlines()[-1] == f"Rank #{ABOVE + 1} in this group"
