"""Scheduled sweeps in the group's time: once per day whatever restarts happen, a preview for
admins to confirm, or (auto mode) a warning without a click; the weekly report."""

import pytest

from plugins.inactive import plugin
from plugins.inactive.models import Sweep

EN = {"bot": {"locale": "en"}}
DAILY = {**EN, "plugins": {"inactive": {"schedule": "daily", "sweep_hour": 10}}}
AUTO = {**EN, "plugins": {"inactive": {"schedule": "daily", "sweep_hour": 10, "auto": True}}}
pytestmark = pytest.mark.plugins(plugin)


async def lurker(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", "bob: hi")
    await fake.wait("40d")  # 09:00 local
    await fake.say("alice: still here")


@pytest.mark.bot_config(DAILY)
async def test_a_scheduled_sweep_waits_for_an_admin(fake):
    await lurker(fake)
    out = await fake.wait("1h")
    [preview] = [o for o in out if o.buttons]
    assert preview.text.startswith("🗓 Scheduled sweep: an admin must confirm it.")
    assert "bob" in preview.text
    # The same day's sweep is not made twice: another run of the job (a restart, a second
    # process) finds it claimed.
    await fake.run_job("inactive.sweep")
    await fake.wait("1h")
    assert await Sweep.all().count() == 1
    await fake.wait("3d")
    assert fake.kicked == []  # nobody confirmed
    # One preview a day, each replacing the last; the newest is confirmed.
    newest = await Sweep.all().order_by("-id").first()
    assert await Sweep.exclude(id=newest.id).filter(status="preview").count() == 0
    dm, warning = await fake.say("alice click Confirm")
    assert dm.startswith("⚠️ lobby: you are on the list of inactive members")
    assert warning.startswith("⚠️ Inactivity notice: 1 member was told privately")
    assert f"(run #{newest.id})" in warning


@pytest.mark.bot_config(AUTO)
async def test_auto_mode_warns_then_removes(fake):
    await lurker(fake)
    out = [o.text for o in await fake.wait("1h")]
    assert out and out[-1].startswith("⚠️ Inactivity notice: 1 member was told privately")
    await fake.wait("3d")
    assert fake.kicked == [("lobby", "bob")]


@pytest.mark.bot_config({**EN, "plugins": {"inactive": {"weekly_report": True, "sweep_hour": 10}}})
async def test_weekly_report(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", "bob: hi", "carol: hi")
    await fake.wait("14d")
    await fake.say("alice: hello")
    out = [o.text for o in await fake.wait("1h")]  # Monday 10:00
    # No admin has looked after a sweep here yet: the report goes to the group.
    assert out == [
        "📊 Week in review — members: 3, 33% of them spoke in the last 7 days. Inactivity sweeps: "
        "0 warned, 0 spared (active again), 0 removed."
    ]
