"""The console turns what a user types into a message's links and @usernames, so the ads plugin
can be tried there: bare URLs, masked [words](url) links and @names."""

from __future__ import annotations

import pytest

from bot.adapters.console import ConsoleAdapter
from bot.clock import FakeClock
from bot.events import CommandInvoked, Event, MessageCreated, MessageLink


class RecordingHost:
    def __init__(self) -> None:
        self.events: list[Event] = []

    async def dispatch(self, event: Event) -> None:
        self.events.append(event)


@pytest.fixture
def console() -> tuple[ConsoleAdapter, RecordingHost]:
    adapter = ConsoleAdapter(FakeClock(), echo=None)
    host = RecordingHost()
    adapter.host = host  # type: ignore[assignment]
    return adapter, host


async def said(console, line: str):
    adapter, host = console
    await adapter.run_line(line)
    return host.events[-1]


async def test_plain_text_has_no_links(console):
    event = await said(console, "alice: good morning, 3.14 is pi")
    assert isinstance(event, MessageCreated)
    assert (event.message.links, event.message.usernames) == ((), ())


async def test_links_and_usernames(console):
    event = await said(
        console,
        "alice: 福利 [点这里](https://spam.example/x) 或 https://t.me/+abc，加 @seller_bot. "
        "mail a@b.com, medium.com/@writer",
    )
    assert event.message.links == (
        MessageLink("https://spam.example/x", "点这里"),
        MessageLink("https://t.me/+abc"),
    )
    assert event.message.usernames == ("seller_bot",)


async def test_full_width_and_repeats(console):
    event = await said(console, "bob: https://ｔ.ｍｅ/x https://ｔ.ｍｅ/x @bob @bob")
    assert event.message.links == (MessageLink("https://ｔ.ｍｅ/x"),)
    assert event.message.usernames == ("bob",)


async def test_commands_carry_them_too(console):
    event = await said(console, "alice: /ad buy now https://shop.example @carol")
    assert isinstance(event, CommandInvoked)
    assert event.message.links == (MessageLink("https://shop.example"),)
    assert event.message.usernames == ("carol",)
