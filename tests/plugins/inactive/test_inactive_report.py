"""The weekly report goes privately to the admins who look after the group's sweeps (their
level checked first), and to the group when none of them can be reached."""

import pytest

from plugins.inactive import plugin

EN = {"bot": {"locale": "en"}}
REPORT = {**EN, "plugins": {"inactive": {"weekly_report": True, "sweep_hour": 10}}}
pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(REPORT)]


async def two_admins_look_after_sweeps(fake):
    """Monday 09:00: alice previews, dave protects bob; then dave stops being an admin."""
    fake.admin("alice")
    fake.admin("dave")
    await fake.say(":locale en", "alice: hi", "dave: hi", "bob: hi")
    await fake.say("alice: /inactive preview", "dave: /inactive protect @bob")
    fake.console._group("lobby").admins.discard("dave")


async def test_the_report_goes_privately_to_the_admins_who_run_sweeps(fake):
    await two_admins_look_after_sweeps(fake)
    out = await fake.wait("1h")  # Monday 10:00
    assert [o.channel for o in out] == ["dm:alice"]  # dave is no longer an admin: nothing
    assert out[0].text == (
        "📊 lobby, week in review — members: 3, 100% of them spoke in the last 7 days. "
        "Inactivity sweeps: 0 warned, 0 spared (active again), 0 removed."
    )


async def test_the_group_gets_it_when_no_admin_can_be_reached(fake):
    await two_admins_look_after_sweeps(fake)
    fake.console.dm_closed.add("alice")
    out = await fake.wait("1h")
    assert [o.channel for o in out] == ["lobby"]
    assert out[0].text.startswith("📊 Week in review — members: 3")


async def test_an_admin_who_asked_to_be_forgotten_gets_no_report(fake):
    await two_admins_look_after_sweeps(fake)
    await fake.say("alice@dm: /forgetme", "alice click Delete my data")
    out = await fake.wait("1h")
    assert [o.channel for o in out] == ["lobby"]


@pytest.mark.bot_config({**EN, "plugins": {"inactive": {"weekly_report": True, "report_to": "group"}}})
async def test_a_group_may_keep_the_report_in_the_group(fake):
    await two_admins_look_after_sweeps(fake)
    out = await fake.wait("1h")
    assert [o.channel for o in out] == ["lobby"]
