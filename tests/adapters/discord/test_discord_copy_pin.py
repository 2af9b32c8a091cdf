"""Copying a message, pinning, idempotent sends and what a failed call says (retryable,
maybe sent), on the real discord.py client against the fake Discord."""

from __future__ import annotations

import pytest

from bot.adapters.base import Capability, PlatformError
from bot.message import Button, CopyOf, Link, Outgoing, Text
from bot.testing.discord import ALICE, BOT_ROLE, CHANNEL, GUILD, OTHER_CHANNEL, discord_bot, seed_guild
from bot.testing.fake_discord import MANAGE_MESSAGES, FakeDiscordServer

PNG = b"\x89PNG\r\n\x1a\n a small picture"


def pin_right(dc: FakeDiscordServer) -> None:
    seed_guild(dc)
    dc.add_role(GUILD, BOT_ROLE, "qunbot", position=5, permissions=MANAGE_MESSAGES)


@pytest.fixture
async def bot():
    async with discord_bot(seed=pin_right) as running:
        yield running


async def test_a_copy_carries_text_embeds_attachments_and_the_buttons_given(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    assert adapter.supports(Capability.COPY)
    embed = {"type": "rich", "title": "Timetable", "description": "Mon 9:00"}
    original = await dc.user_says(
        CHANNEL, ALICE, "**Exam** on _Monday_: <https://example.org/exam>",
        attachments=[{"filename": "plan.png", "data": PNG, "content_type": "image/png"}],
        embeds=[embed],
    )
    button = Button("Form", "", url="https://example.org/form")
    copy = CopyOf("discord", CHANNEL, original, (Text("Exam on Monday"),))
    sent = await adapter.send(OTHER_CHANNEL, Outgoing((copy,)).with_buttons([button]))
    [record] = dc.sent(OTHER_CHANNEL)
    assert record.id == sent.message_id
    assert record.content == "**Exam** on _Monday_: <https://example.org/exam>"  # markdown kept
    assert [(f.filename, f.data) for f in record.files] == [("plan.png", PNG)]
    assert [e["title"] for e in record.embeds] == ["Timetable"]
    assert record.components[0]["components"][0]["url"] == "https://example.org/form"
    assert record.allowed_mentions == {"parse": []}


async def test_a_copy_of_a_gone_or_foreign_message_sends_its_fallback(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    fallback = (Text("Read "), Link("https://example.org", "the notice"), Text(" [photo]"))
    await adapter.send(OTHER_CHANNEL, Outgoing((CopyOf("discord", CHANNEL, "424242", fallback),)))
    await adapter.send(OTHER_CHANNEL, Outgoing((CopyOf("telegram", "-100", "7", fallback),)))
    assert [m.content for m in dc.sent(OTHER_CHANNEL)] == [
        "Read [the notice](<https://example.org>) [photo]"
    ] * 2


async def test_a_send_with_a_key_is_not_doubled_when_made_again(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    assert adapter.supports(Capability.IDEMPOTENT)
    message = Outgoing((Text("once " * 500),), key="broadcast-7-copy-12")  # two parts
    first = await adapter.send(CHANNEL, message)
    again = await adapter.send(CHANNEL, message)
    assert again == first
    assert len(dc.sent(CHANNEL)) == 2
    await adapter.send(CHANNEL, message.replace(key="broadcast-7-copy-13"))
    assert len(dc.sent(CHANNEL)) == 4


async def test_pin_needs_the_right_and_says_it_will_not_pass(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    sent = await adapter.send(CHANNEL, Outgoing((Text("pin me"),)))
    await adapter.pin(CHANNEL, sent.message_id)
    assert dc.pinned(CHANNEL) == [sent.message_id]
    dc.add_role(GUILD, BOT_ROLE, "qunbot", position=5, permissions=0)
    with pytest.raises(PlatformError) as refused:
        await adapter.pin(CHANNEL, sent.message_id)
    assert not refused.value.retryable and not refused.value.maybe_sent
    await adapter.delete(CHANNEL, sent.message_id)
    assert dc.pinned(CHANNEL) == []


async def test_failures_say_whether_to_retry_and_whether_it_may_be_there(bot) -> None:
    app, dc = bot
    adapter = app.adapter("discord")
    dc.fail_next("POST", r"/channels/\d+/messages", status=503)
    with pytest.raises(PlatformError) as server:
        await adapter.send(CHANNEL, Outgoing((Text("hello"),)))
    assert server.value.retryable and server.value.maybe_sent
    dc.fail_next("POST", r"/channels/\d+/messages", status=403)
    with pytest.raises(PlatformError) as refused:
        await adapter.send(CHANNEL, Outgoing((Text("hello"),)))
    assert not refused.value.retryable and not refused.value.maybe_sent
