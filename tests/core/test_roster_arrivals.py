"""A member's first message in a group writes their roster row at once (plugins read it while
the update is handled) and again, if it is missing, in the batch that confirms the update: on
PostgreSQL the first write does not wait for the disk, and the batch's commit is what makes the
row durable. Real PTB client against the fake Bot API, SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot import Context, MessageCreated, Plugin
from bot.storage.models import RosterMember

telegram = pytest.importorskip("bot.testing.telegram")
GROUP, telegram_bot = telegram.GROUP, telegram.telegram_bot

pytestmark = pytest.mark.both_databases
ANN = 41

# Stands for a first-sighting write the database lost (a crash of the server before it reached
# the disk): the row is gone again while the update is still being handled.
loser = Plugin("loserow")
seen_while_handled: list[bool] = []


@loser.on(MessageCreated)
async def lose_the_row(ctx: Context, event: MessageCreated) -> None:
    row = RosterMember.filter(platform="telegram", user_id=str(ANN))
    seen_while_handled.append(await row.exists())
    await row.delete()


async def test_a_first_sighting_lost_before_its_batch_is_written_by_the_batch(bot_database_url):
    seen_while_handled.clear()
    async with telegram_bot([loser], {"bot": {"locale": "en"}}, database_url=bot_database_url) as bot:
        bot.tg.add_user(ANN, "Ann", "ann")
        await bot.say(ANN, "hello everyone")
        assert seen_while_handled == [True]  # written at once, for the handlers to read
        rows = await RosterMember.filter(user_id=str(ANN)).values_list("name", "message_count", "is_member")
        assert rows == [("Ann", 1, True)]  # the batch made sure of it, with the message counted
