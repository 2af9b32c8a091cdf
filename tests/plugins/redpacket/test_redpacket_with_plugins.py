"""Red packets with the plugins they talk to when those are enabled: the onboarding form as a
condition of a grab (through the onboarding service), and the packets counted in the stats
plugin's figures (through its ``stats_count`` hook)."""

import copy

import pytest

from plugins.onboarding import plugin as onboarding
from plugins.redpacket import RedPackets, plugin
from plugins.stats import plugin as stats
from tests.plugins.redpacket.conftest import CONFIG

FORM = [{"key": "name", "question": {"zh": "怎么称呼？", "en": "What should we call you?"}}]
ONBOARDED = copy.deepcopy(CONFIG)
ONBOARDED["plugins"]["redpacket"]["onboarded_only"] = True
ONBOARDED["plugins"]["onboarding"] = {"form": FORM, "gate": "off"}
WITHOUT_ONBOARDING = copy.deepcopy(ONBOARDED)
del WITHOUT_ONBOARDING["plugins"]["onboarding"]
NOT_ONBOARDED = "Only members who completed the group's onboarding form can grab this packet (send /form)."


async def send_packet(fake, total: int = 30, count: int = 3) -> None:
    fake.admin("alice")
    await fake.say(f"alice: /points give @alice {total} fund", f"alice: /redpacket {total} {count}")


@pytest.mark.plugins(plugin, onboarding)
@pytest.mark.bot_config(ONBOARDED)
async def test_only_members_who_completed_the_form_grab(fake, bot_app):
    await fake.say(":locale en", "alice: hi")
    await fake.join("bob")
    await fake.join("carol")
    await fake.dm("bob", "Bob")  # bob answers the form's one question: done
    await send_packet(fake)
    await fake.say("carol click Grab")
    assert fake.console.toasts[-1] == ("carol", NOT_ONBOARDED)
    await fake.say("bob click Grab")
    assert fake.console.toasts[-1][0] == "bob" and fake.console.toasts[-1][1].startswith("🧧 You got ")
    await fake.dm("carol", "Carol")
    await fake.say("carol click Grab")
    assert fake.console.toasts[-1][1].startswith("🧧 You got ")
    await bot_app.scope("redpacket").service(RedPackets).flush_edits()
    assert "2/3 grabbed" in next(o for o in fake.outputs if o.text.startswith("🧧 alice sent")).text


@pytest.mark.plugins(plugin)
@pytest.mark.bot_config(WITHOUT_ONBOARDING)
async def test_the_condition_is_off_without_the_onboarding_plugin(fake, bot_app):
    await fake.say(":locale en", "alice: hi", "bob: hi")
    await send_packet(fake)
    await fake.say("bob click Grab")
    assert fake.console.toasts[-1][1].startswith("🧧 You got ")


@pytest.mark.plugins(plugin, stats)
@pytest.mark.bot_config(CONFIG)
async def test_packets_sent_and_grabbed_show_in_the_groups_stats(fake, bot_app):
    await fake.say(":locale en", "alice: hi", "bob: hi", "carol: hi")
    await send_packet(fake, 20, 2)
    await fake.say("bob click Grab", "carol click Grab", "bob click Grab")  # a second press: no count
    out = await fake.say("alice: /stats")
    assert any("red packets 1 sent / 2 grabbed" in o for o in out), out
