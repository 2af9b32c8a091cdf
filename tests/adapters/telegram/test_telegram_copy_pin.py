"""Copying a message (copyMessage), pinning, and what a failed call says (retryable, maybe
sent), on the real python-telegram-bot client against the fake Bot API."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import TimedOut

from bot.adapters.base import CannotAct, Capability, PlatformError
from bot.adapters.telegram import calls
from bot.adapters.telegram.calls import BotCalls
from bot.adapters.telegram.limits import OutboundLimiter
from bot.message import Button, CopyOf, File, Link, Outgoing, Text, as_outgoing
from bot.testing.telegram import GROUP, OWNER, telegram_bot

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") * 2 + b"rest"
OTHER = -1002000000001
BOLD = [{"type": "bold", "offset": 0, "length": 4}]


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    monkeypatch.setattr(calls, "NETWORK_DELAYS", (0.01, 0.02, 0.04))
    monkeypatch.setattr(calls, "retry_seconds", lambda error: 0.01)


@pytest.fixture
async def bot():
    async with telegram_bot(config={"bot": {"locale": "en"}}) as running:
        running.tg.add_chat(OTHER, "Branch")
        yield running


async def test_a_photo_is_copied_with_its_caption_formatting_and_the_buttons_given(bot):
    assert bot.adapter.supports(Capability.COPY) and bot.adapter.supports(Capability.PIN)
    original = bot.tg.user_says(GROUP, OWNER, "Exam on Monday", entities=BOLD, photo=PNG)
    button = Button("Form", "", url="https://example.org/form")
    copy = CopyOf("telegram", str(GROUP), str(original["message"]["message_id"]), (Text("Exam"),))
    sent = await bot.adapter.send(str(OTHER), Outgoing((copy,)).with_buttons([button]))
    [record] = bot.tg.sent(OTHER)
    assert record["method"] == "copyMessage" and str(record["message_id"]) == sent.message_id
    assert record["photo"] == PNG and record["visible_text"] == "Exam on Monday"
    assert record["entities"] == BOLD
    assert record["reply_markup"]["inline_keyboard"][0][0]["url"] == "https://example.org/form"


async def test_a_gone_original_or_one_from_another_platform_sends_the_fallback(bot):
    fallback = (Text("Read "), Link("https://example.org", "the notice"), Text(" [photo]"))
    original = bot.tg.user_says(GROUP, OWNER, "soon deleted")
    message_id = original["message"]["message_id"]
    await bot.adapter.delete(str(GROUP), str(message_id))
    gone = CopyOf("telegram", str(GROUP), str(message_id), fallback)
    await bot.adapter.send(str(OTHER), as_outgoing([gone]))
    foreign = CopyOf("discord", "10", "11", fallback)
    await bot.adapter.send(str(OTHER), as_outgoing([Text("From HQ:\n"), foreign]))
    texts = [(r["method"], r["visible_text"]) for r in bot.tg.sent(OTHER)]
    assert texts == [
        ("sendMessage", "Read the notice [photo]"),
        ("sendMessage", "From HQ:\n"),
        ("sendMessage", "Read the notice [photo]"),
    ]
    assert 'href="https://example.org"' in bot.tg.sent(OTHER)[0]["text"]


async def test_pin_quietly_and_a_missing_right_is_a_refusal(bot):
    sent = await bot.adapter.send(str(GROUP), as_outgoing("pin me"))
    await bot.adapter.pin(str(GROUP), sent.message_id)
    assert bot.tg.pinned(GROUP) == [int(sent.message_id)]
    assert bot.tg.calls("pinChatMessage")[-1]["disable_notification"] is True
    bot.tg.set_bot_rights(OTHER, can_pin_messages=False)
    other = await bot.adapter.send(str(OTHER), as_outgoing("pin me too"))
    with pytest.raises(CannotAct) as refused:
        await bot.adapter.pin(str(OTHER), other.message_id)
    assert not refused.value.retryable and not refused.value.maybe_sent
    await bot.adapter.delete(str(GROUP), sent.message_id)
    assert bot.tg.pinned(GROUP) == []


async def test_failures_say_whether_to_retry_and_whether_it_may_be_there(bot):
    attempts = calls.MAX_RETRIES + 1
    bot.tg.fail_next("sendMessage", 502, times=attempts)
    with pytest.raises(PlatformError) as server:
        await bot.adapter.send(str(GROUP), as_outgoing("hello"))
    assert server.value.retryable and not server.value.maybe_sent  # Telegram answered: not sent
    bot.tg.fail_next("sendMessage", 429, times=attempts)
    with pytest.raises(PlatformError) as flood:
        await bot.adapter.send(str(GROUP), as_outgoing("hello"))
    assert flood.value.retryable and not flood.value.maybe_sent
    bot.tg.set_member(OTHER, bot.tg.bot_id, "kicked")
    with pytest.raises(PlatformError) as removed:
        await bot.adapter.send(str(OTHER), as_outgoing("hello"))
    assert not removed.value.retryable and not removed.value.maybe_sent
    bot.tg.fail_next("sendDocument", 403, "Forbidden: not now")
    with pytest.raises(PlatformError) as partly:  # the text went, its file was refused
        await bot.adapter.send(str(GROUP), as_outgoing([Text("the plan:"), File(b"plan", "plan.txt")]))
    assert partly.value.maybe_sent and not partly.value.retryable


async def test_a_send_without_an_answer_may_be_there():
    async def slow(**kwargs):
        raise TimedOut() from httpx.ReadTimeout("slow")

    slow.__name__ = "send_message"
    with pytest.raises(PlatformError) as timed:
        await Stub()._call(GROUP, slow, text="x")
    assert timed.value.maybe_sent


class Stub(BotCalls):
    def __init__(self) -> None:
        self.limiter = OutboundLimiter()
