"""Invite links on Telegram (Adapter.create_invite): createChatInviteLink for one person, with
an expiry, through the real python-telegram-bot client against the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import CannotAct, Capability
from bot.testing.telegram import GROUP, telegram_bot


async def test_an_invite_link_admits_one_person_and_expires():
    async with telegram_bot(config={"bot": {"locale": "en"}}) as bot:
        assert bot.adapter.supports(Capability.INVITE)
        link = await bot.adapter.create_invite(str(GROUP), expires=timedelta(days=2))
        [made] = bot.tg.invite_links
        assert link == made["invite_link"] and link.startswith("https://t.me/+")
        assert made["chat_id"] == GROUP and made["member_limit"] == 1
        assert made["expire_date"] == int((bot.clock.now() + timedelta(days=2)).timestamp())


async def test_without_the_right_to_invite_the_bot_is_told_it_cannot():
    async with telegram_bot(config={"bot": {"locale": "en"}}) as bot:
        bot.tg.set_bot_rights(GROUP, can_invite_users=False)
        with pytest.raises(CannotAct):
            await bot.adapter.create_invite(str(GROUP))
        assert bot.tg.invite_links == []
