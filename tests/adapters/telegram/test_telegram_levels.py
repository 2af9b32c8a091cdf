"""A sender's level costs no Bot API call per message: a group's administrators are listed once,
and only an administrator's level is read from their own member record, so a stale list never
grants a right. Against the fake Bot API with the real PTB client."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.adapters.telegram.members import ADMINS_TTL, LEVEL_TTL
from bot.permissions import PermissionLevel
from bot.testing.telegram import GROUP, OWNER, telegram_bot

ADMIN, DEMOTED = 50, 51
MEMBERS = range(60, 70)


async def test_members_levels_cost_one_listing_and_an_administrators_own_record_decides():
    async with telegram_bot(config={"bot": {"locale": "en"}}) as bot:
        await check_levels(bot)


async def check_levels(bot) -> None:
    tg, adapter = bot.tg, bot.adapter
    tg.add_user(ADMIN, "Ada", "ada")
    tg.add_user(DEMOTED, "Dan", "dan")
    tg.set_member(GROUP, ADMIN, "administrator", can_restrict_members=True)
    tg.set_member(GROUP, DEMOTED, "administrator", can_restrict_members=True)
    for user in MEMBERS:
        tg.add_user(user, f"M{user}", None)
        tg.set_member(GROUP, user, "member")
    before = len(tg.calls("getChatMember"))

    levels = [await adapter.get_level(str(GROUP), str(user)) for user in MEMBERS]
    assert levels == [PermissionLevel.MEMBER] * len(MEMBERS)
    assert len(tg.calls("getChatAdministrators")) == 1
    assert len(tg.calls("getChatMember")) == before  # no member asked about one by one

    # Dan loses his rights without the bot hearing of it: the list still names him, but his
    # own record is read, so he gets no right.
    tg.set_member(GROUP, DEMOTED, "member")
    assert await adapter.get_level(str(GROUP), str(DEMOTED), "kick") == PermissionLevel.MEMBER
    assert await adapter.get_level(str(GROUP), str(ADMIN), "kick") == PermissionLevel.ADMIN
    assert await adapter.get_level(str(GROUP), str(OWNER)) >= PermissionLevel.ADMIN
    assert len(tg.calls("getChatAdministrators")) == 1


async def test_an_old_list_answers_at_once_and_is_listed_again_behind_the_message():
    # Past ADMINS_TTL the message that finds the list old is not held up by getChatAdministrators
    # (a Bot API round trip, up to hundreds of milliseconds): it is answered from the old list
    # while the list is read again, and the next one sees the new list.
    async with telegram_bot(config={"bot": {"locale": "en"}}) as bot:
        tg, adapter = bot.tg, bot.adapter
        tg.add_user(ADMIN, "Ada", "ada")
        tg.set_member(GROUP, ADMIN, "member")
        assert await adapter.get_level(str(GROUP), str(ADMIN), "kick") == PermissionLevel.MEMBER
        assert len(tg.calls("getChatAdministrators")) == 1
        # Promoted without the bot hearing of it (no chat_member update), ten minutes later.
        tg.set_member(GROUP, ADMIN, "administrator", can_restrict_members=True)
        await bot.clock.advance(timedelta(seconds=ADMINS_TTL + LEVEL_TTL))
        assert await adapter.get_level(str(GROUP), str(ADMIN), "kick") == PermissionLevel.MEMBER
        level = PermissionLevel.MEMBER
        for _ in range(5):  # the list read again behind that answer: a moment later, the right
            await asyncio.sleep(0.2)
            await bot.clock.advance(timedelta(seconds=LEVEL_TTL))
            if (level := await adapter.get_level(str(GROUP), str(ADMIN), "kick")) == PermissionLevel.ADMIN:
                break
        assert level == PermissionLevel.ADMIN
        assert len(tg.calls("getChatAdministrators")) == 2


async def test_a_list_that_cannot_be_read_again_is_kept_and_tried_later():
    async with telegram_bot(config={"bot": {"locale": "en"}}) as bot:
        tg, adapter = bot.tg, bot.adapter
        for user in MEMBERS:
            tg.add_user(user, f"M{user}", None)
            tg.set_member(GROUP, user, "member")
        assert await adapter.get_level(str(GROUP), str(MEMBERS[0])) == PermissionLevel.MEMBER
        tg.fail_next("getChatAdministrators", 500, times=10)
        await bot.clock.advance(timedelta(seconds=ADMINS_TTL + LEVEL_TTL))
        members_asked = len(tg.calls("getChatMember"))
        levels = []
        for user in MEMBERS:
            levels.append(await adapter.get_level(str(GROUP), str(user)))
            await asyncio.sleep(0.05)
        # Every member still answered from the kept list (no getChatMember one by one), and the
        # failing listing tried once, not once a message.
        assert levels == [PermissionLevel.MEMBER] * len(MEMBERS)
        assert len(tg.calls("getChatMember")) == members_asked
        assert len(tg.calls("getChatAdministrators")) == 2
