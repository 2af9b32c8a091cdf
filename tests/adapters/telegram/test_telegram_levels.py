"""A sender's level costs no Bot API call per message: a group's administrators are listed once,
and only an administrator's level is read from their own member record, so a stale list never
grants a right. Against the fake Bot API with the real PTB client."""

from __future__ import annotations

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
