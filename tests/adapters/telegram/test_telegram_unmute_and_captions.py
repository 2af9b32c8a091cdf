"""Unmute gives back the group's own defaults; edits of photos change their caption."""

from __future__ import annotations

import pytest
from telegram.error import BadRequest

from bot import Button, Image, Outgoing, Text
from bot.testing.telegram import GROUP, telegram_bot

ANN = 42
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") * 2 + b"rest"


@pytest.fixture
async def bot():
    async with telegram_bot() as running:
        running.tg.add_user(ANN, "Ann", "ann")
        running.tg.set_member(GROUP, ANN, "member")
        yield running


async def test_unmute_restores_the_groups_own_defaults_not_every_permission(bot):
    tg, adapter = bot.tg, bot.adapter
    tg.set_chat_permissions(GROUP, can_send_photos=False, can_invite_users=False)
    await adapter.mute(str(GROUP), str(ANN), None)
    assert tg.member(GROUP, ANN)["status"] == "restricted"
    await adapter.unmute(str(GROUP), str(ANN))
    restored = tg.calls("restrictChatMember")[-1]["permissions"]
    assert restored["can_send_messages"] is True
    assert restored["can_send_photos"] is False and restored["can_invite_users"] is False
    assert restored["can_pin_messages"] is False and restored["can_change_info"] is False
    assert tg.member(GROUP, ANN)["status"] == "member"  # no exception left behind


async def test_the_defaults_are_read_once_a_minute(bot):
    tg, adapter = bot.tg, bot.adapter
    await adapter.unmute(str(GROUP), str(ANN))
    await adapter.unmute(str(GROUP), str(ANN))
    assert len(tg.calls("getChat")) == 1
    tg.set_chat_permissions(GROUP, can_send_polls=False)  # an admin changes the defaults
    await bot.clock.advance(61)
    await adapter.unmute(str(GROUP), str(ANN))
    assert len(tg.calls("getChat")) == 2
    assert tg.calls("restrictChatMember")[-1]["permissions"]["can_send_polls"] is False


async def test_the_fake_refuses_to_edit_a_photo_as_text_like_telegram(bot):
    sent = await bot.adapter.send(str(GROUP), Outgoing((Image(PNG, "a.png", caption="v1"),)))
    with pytest.raises(BadRequest, match="(?i)there is no text in the message to edit"):
        await bot.adapter.bot.edit_message_text("v2", GROUP, int(sent.message_id))


async def test_editing_a_photo_changes_its_caption_and_buttons(bot):
    adapter, tg = bot.adapter, bot.tg
    sent = await adapter.send(str(GROUP), Outgoing((Image(PNG, "a.png", caption="week 1"),)))
    update = Outgoing((Text("week <2>"),)).with_buttons([Button("More", "", url="https://example.org")])
    await adapter.edit(str(GROUP), sent.message_id, update)
    message = tg.message(GROUP, sent.message_id)
    assert message["caption"] == "week <2>" and message["photo"]
    assert message["reply_markup"]["inline_keyboard"][0][0]["text"] == "More"
    [record] = tg.sent(GROUP)
    assert record["visible_text"] == "week <2>" and record["edits"] == ["week 1"]


async def test_editing_a_text_message_still_edits_its_text(bot):
    adapter, tg = bot.adapter, bot.tg
    sent = await adapter.send(str(GROUP), Outgoing((Text("draft"),)))
    await adapter.edit(str(GROUP), sent.message_id, Outgoing((Text("final"),)))
    assert tg.message(GROUP, sent.message_id)["text"] == "final"
    assert tg.calls("editMessageCaption") == []
