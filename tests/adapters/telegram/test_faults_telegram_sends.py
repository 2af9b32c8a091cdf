"""Telegram 5xx and timeouts on a call: retried with backoff like 429, never sending twice
(issue 18, item 8)."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import NetworkError, TimedOut

from bot.adapters.base import PlatformError
from bot.adapters.telegram import calls
from bot.adapters.telegram.calls import BotCalls
from bot.adapters.telegram.limits import OutboundLimiter
from bot.message import as_outgoing
from bot.testing.telegram import GROUP, telegram_bot


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    monkeypatch.setattr(calls, "NETWORK_DELAYS", (0.01, 0.02, 0.04))


@pytest.fixture
async def bot():
    async with telegram_bot(config={"bot": {"locale": "en"}}) as running:
        yield running


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_a_5xx_answer_on_send_is_retried_and_the_message_arrives_once(bot, status):
    bot.tg.fail_next("sendMessage", status, times=2)
    await bot.adapter.send(str(GROUP), as_outgoing("hello"))
    assert [s["visible_text"] for s in bot.tg.sent(GROUP)] == ["hello"]
    assert len(bot.tg.calls("sendMessage")) == 3


async def test_5xx_without_end_gives_up_bounded(bot):
    bot.tg.fail_next("sendMessage", 502, times=10)
    with pytest.raises(PlatformError):
        await bot.adapter.send(str(GROUP), as_outgoing("hello"))
    assert len(bot.tg.calls("sendMessage")) == calls.MAX_RETRIES + 1
    assert bot.tg.sent(GROUP) == []


class Stub(BotCalls):
    def __init__(self) -> None:
        self.limiter = OutboundLimiter()

    async def _migrate(self, old: str, new: str) -> None:  # pragma: no cover - not reached
        raise AssertionError


def failing(name: str, errors: list[Exception]):
    made: list[dict] = []

    async def call(**kwargs):
        made.append(kwargs)
        if errors:
            raise errors.pop(0)
        return "ok"

    call.__name__ = name
    return call, made


def timed_out(cause: Exception) -> TimedOut:
    try:
        raise TimedOut() from cause
    except TimedOut as exc:
        return exc


def network(cause: Exception) -> NetworkError:
    try:
        raise NetworkError(f"httpx.{type(cause).__name__}") from cause
    except NetworkError as exc:
        return exc


async def test_a_read_timeout_on_a_send_is_not_retried():
    # Telegram may have posted it: a second sendMessage could show the member the same twice.
    call, made = failing("send_message", [timed_out(httpx.ReadTimeout("slow"))])
    with pytest.raises(PlatformError, match="in time"):
        await Stub()._call(GROUP, call, text="x")
    assert len(made) == 1
    call, made = failing("send_message", [network(httpx.RemoteProtocolError("dropped"))])
    with pytest.raises(PlatformError):
        await Stub()._call(GROUP, call, text="x")
    assert len(made) == 1


async def test_a_send_that_never_left_is_retried():
    for cause in (httpx.ConnectTimeout("c"), httpx.PoolTimeout("p")):
        call, made = failing("send_message", [timed_out(cause)])
        assert await Stub()._call(GROUP, call, text="x") == "ok"
        assert len(made) == 2
    call, made = failing("send_message", [network(httpx.ConnectError("refused"))])
    assert await Stub()._call(GROUP, call, text="x") == "ok"
    assert len(made) == 2


async def test_a_timeout_on_a_call_that_is_harmless_twice_is_retried():
    for name in ("get_chat_member", "edit_message_text", "delete_message", "answer_callback_query"):
        call, made = failing(name, [timed_out(httpx.ReadTimeout("slow")), timed_out(httpx.ReadTimeout("s"))])
        assert await Stub()._call(GROUP, call) == "ok"
        assert len(made) == 3
