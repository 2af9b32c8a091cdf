"""A burst of grabs makes a handful of edits of the packet's message, never one per grab."""

import asyncio
import copy

import pytest

from bot import ButtonClicked
from plugins.redpacket import RedPackets, plugin
from tests.plugins.redpacket.conftest import CONFIG

BURST = copy.deepcopy(CONFIG)
BURST["plugins"]["redpacket"] = {"edit_interval_seconds": 0.3}
pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(BURST)]


async def test_a_burst_of_60_grabs_is_coalesced(fake, bot_app):
    users = [f"m{i:02d}" for i in range(60)]
    await fake.say(":locale en", *[f"+{u}" for u in users])
    fake.admin("alice")
    await fake.say("alice: hi", "alice: /points give @alice 1000 fund", "alice: /redpacket 1000 100")
    message = fake.outputs[-1]
    edits: list[str] = []
    console = fake.console
    real_edit = console.edit

    async def counting_edit(channel_id, message_id, outgoing):
        edits.append(outgoing.plain())
        await real_edit(channel_id, message_id, outgoing)

    console.edit = counting_edit  # type: ignore[method-assign]
    for chunk in range(3):  # three waves within well under a second
        await asyncio.gather(*[
            console._emit(ButtonClicked, "lobby", u, button_id=message.button_ids["Grab"])
            for u in users[chunk * 20:(chunk + 1) * 20]
        ])
    await bot_app.scope("redpacket").service(RedPackets).flush_edits()
    assert 1 <= len(edits) <= 6
    assert "60/100 grabbed" in message.text
