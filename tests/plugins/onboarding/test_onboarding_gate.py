"""The gate modes end to end on the console: off, restrict, join_request, timeouts, restarts."""

from __future__ import annotations

import pytest

from bot.testing import ChatDriver, make_app
from plugins.onboarding.models import FormSession, Profile

ANSWERS = ["张三", "某公司", "运营", "上海市", "社群运营、活动策划", "找一位懂机器人的开发者", "/skip"]


async def fill_form(fake: ChatDriver, user: str, answers=ANSWERS) -> list[str]:
    out: list[str] = []
    for answer in answers:
        out += await fake.dm(user, answer)
    return out


def muted(fake: ChatDriver, user: str, group: str = "lobby") -> bool:
    return user in fake.console.groups[group].muted


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "off"}}})
async def test_gate_off_invites_the_form_and_reminds_once_after_a_day(fake):
    out = await fake.join("alice")
    assert any("(1/7)" in text for text in out)  # first question in private
    assert not muted(fake, "alice")
    welcome = [o for o in fake.replies("lobby")][-1]
    assert "alice" in welcome.text and "私聊" in welcome.text
    assert await fake.say("alice: 大家好") == []  # not muted: speaking works, nothing in the way

    outputs = await fake.wait("23h")
    assert [o for o in outputs if o.channel == "dm:alice"] == []
    outputs = await fake.wait("2h")
    reminders = [o.text for o in outputs if o.channel == "dm:alice"]
    assert len(reminders) == 1 and "提醒" in reminders[0] and "(1/7)" in reminders[0]
    outputs = await fake.wait("2d")
    assert [o for o in outputs if o.channel == "dm:alice"] == []  # once only
    assert fake.kicked == []


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_restrict_mutes_until_the_form_is_done_then_unmutes(fake):
    await fake.join("alice")
    assert muted(fake, "alice")
    out = await fill_form(fake, "alice")
    assert not muted(fake, "alice")
    assert any("张三-某公司-运营-上海" in text for text in out)  # name card suggested
    announcement = fake.replies("lobby")[-1].text
    assert "alice" in announcement and "张三-某公司-运营-上海" in announcement
    session = await FormSession.get(user_id="alice")
    assert session.status == "completed"
    await fake.wait("30m")
    assert fake.kicked == []


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_restrict_timeout_kicks_once_with_the_fake_clock(fake):
    await fake.join("alice")
    await fake.dm("alice", "张三")
    await fake.wait("9m")
    assert fake.kicked == []
    outputs = await fake.wait("2m")
    assert fake.kicked == [("lobby", "alice")]
    assert any(o.channel == "dm:alice" and "移出" in o.text for o in outputs)
    assert (await FormSession.get(user_id="alice")).status == "timed_out"
    await fake.wait("10m")
    assert fake.kicked == [("lobby", "alice")]  # idempotent: one kick
    # Kicked, not banned: alice may come back and is asked again.
    out = await fake.join("alice")
    assert any("(1/7)" in text for text in out)
    assert (await FormSession.get(user_id="alice")).status == "pending"


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict", "on_timeout": "stay_muted"}}})
async def test_restrict_timeout_can_leave_the_member_muted_until_they_finish(fake):
    await fake.join("alice")
    outputs = await fake.wait("11m")
    assert fake.kicked == []
    assert muted(fake, "alice")
    assert any(o.channel == "dm:alice" and "禁言" in o.text for o in outputs)


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "join_request"}}})
async def test_join_request_is_approved_when_the_form_is_done(fake):
    out = await fake.say("?alice")
    assert any("(1/7)" in text for text in out)
    assert "alice" in fake.console.groups["lobby"].requests
    assert "alice" not in fake.console.groups["lobby"].members
    out = await fill_form(fake, "alice")
    group = fake.console.groups["lobby"]
    assert "alice" in group.members and "alice" not in group.requests
    # The approval makes alice join; her welcome carries the name card, and no new form starts.
    welcome = fake.replies("lobby")[-1].text
    assert "alice" in welcome and "张三-某公司-运营-上海" in welcome
    assert await FormSession.filter(user_id="alice", status="pending").count() == 0


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "join_request", "timeout_minutes": 15}}})
async def test_join_request_is_declined_on_timeout(fake):
    await fake.say("?alice")
    await fake.wait("14m")
    assert "alice" in fake.console.groups["lobby"].requests
    outputs = await fake.wait("2m")
    group = fake.console.groups["lobby"]
    assert "alice" not in group.requests and "alice" not in group.members
    assert any(o.channel == "dm:alice" and "拒绝" in o.text for o in outputs)
    assert (await FormSession.get(user_id="alice")).status == "timed_out"


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_member_who_never_started_the_bot_is_told_to_open_private_chat(fake):
    fake.console.dm_closed.add("alice")
    await fake.join("alice")
    welcome = fake.replies("lobby")[-1]
    assert "/form" in welcome.text and "填写资料" in welcome.buttons
    assert muted(fake, "alice")
    # alice opens the private chat: any message (or /start) begins the form.
    fake.console.dm_closed.discard("alice")
    out = await fake.dm("alice", "/start")
    assert any("(1/7)" in text for text in out)
    await fill_form(fake, "alice")
    assert not muted(fake, "alice")


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict", "trust_other_groups": True}}})
async def test_member_through_in_another_group_is_let_through_at_once(fake):
    await fake.join("alice")
    await fill_form(fake, "alice")
    await fake.say(":group second")
    out = await fake.join("alice")
    assert not muted(fake, "alice", "second")
    assert not any("(1/7)" in text for text in out)
    assert "张三-某公司-运营-上海" in fake.replies("second")[-1].text
    assert await Profile.filter(user_id="alice", guild_id="second").exists()


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_without_trust_each_group_asks_its_own_form(fake):
    await fake.join("alice")
    await fill_form(fake, "alice")
    await fake.say(":group second")
    out = await fake.join("alice")
    assert muted(fake, "alice", "second")
    assert any("(1/7)" in text for text in out)


async def test_restart_in_the_middle_of_a_form_resumes_from_the_database(tmp_path):
    url = f"sqlite://{tmp_path / 'bot.sqlite3'}"
    config = {"plugins": {"onboarding": {"gate": "restrict"}}}
    app, console = make_app(["onboarding"], config, database_url=url)
    await app.start()
    fake = ChatDriver(app, console)
    await fake.join("alice")
    await fill_form(fake, "alice", ANSWERS[:3])
    await app.stop()

    app2, console2 = make_app(["onboarding"], config, database_url=url, start=console.clock.now())
    await app2.start()
    try:
        fake2 = ChatDriver(app2, console2)
        console2._group("lobby").muted["alice"] = None  # the platform still has her muted
        out = await fake2.dm("alice", "/back")
        assert any("(3/7)" in text for text in out)
        out = await fill_form(fake2, "alice", ANSWERS[2:])
        assert any("张三-某公司-运营-上海" in text for text in out)
        assert "alice" not in console2.groups["lobby"].muted
        profile = await Profile.get(user_id="alice")
        assert profile.answers["name"] == "张三" and profile.answers["company"] == "某公司"
    finally:
        await app2.stop()


async def test_timeout_survives_a_restart(tmp_path):
    url = f"sqlite://{tmp_path / 'bot.sqlite3'}"
    config = {"plugins": {"onboarding": {"gate": "restrict"}}}
    app, console = make_app(["onboarding"], config, database_url=url)
    await app.start()
    await ChatDriver(app, console).join("alice")
    await app.stop()

    app2, console2 = make_app(["onboarding"], config, database_url=url, start=console.clock.now())
    await app2.start()
    try:
        await ChatDriver(app2, console2).wait("11m")
        assert console2.kicked == [("lobby", "alice")]
    finally:
        await app2.stop()


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_leaving_before_the_deadline_is_not_a_timeout(fake):
    await fake.join("alice")
    await fake.leave("alice")
    await fake.wait("11m")
    assert fake.kicked == []
    assert (await FormSession.get(user_id="alice")).status == "left"


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_admin_status_and_ask(fake):
    fake.admin("carol")
    await fake.join("alice")
    await fake.join("bob")
    await fill_form(fake, "bob")
    await fake.join("dave")
    await fake.wait("11m")  # alice and dave time out
    await fake.join("erin")
    out = await fake.say("carol: /onboarding status")
    assert "待填写 1" in out[0] and "已完成 1" in out[0] and "已超时 2" in out[0]
    assert "erin" in out[0]
    assert "需要" in (await fake.say("alice: /onboarding status"))[0]  # members may not

    out = await fake.say("carol: /onboarding ask @bob")
    assert any(o == "已私聊发送表单给 bob。" for o in out)
    assert any("(1/7)" in o.text for o in fake.replies("dm:bob")[-2:])
    # Asking someone who is behind the gate re-sends the question and keeps the gate.
    await fake.dm("erin", "Erin")
    out = await fake.say("carol: /onboarding ask @erin")
    assert "(2/7)" in fake.replies("dm:erin")[-1].text
    await fake.wait("11m")
    assert ("lobby", "erin") in fake.kicked


class TestOnPostgres:
    """The same gate on PostgreSQL (skipped when QUNBOT_TEST_PG_URL is not set)."""

    @pytest.fixture
    def bot_database_url(self, pg_url):
        return pg_url

    @pytest.mark.plugins("onboarding")
    @pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
    async def test_restrict_form_and_timeout(self, fake):
        await fake.join("alice")
        await fake.join("bob")
        await fill_form(fake, "alice")
        assert not muted(fake, "alice")
        await fake.wait("11m")
        assert fake.kicked == [("lobby", "bob")]
        assert (await Profile.get(user_id="alice")).answers["city"] == "上海"


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "join_request"}}})
async def test_a_form_that_ends_unfinished_keeps_no_answers(fake):
    # A declined requester never becomes a member, so no retention period would ever reach the
    # half-filled form: what they wrote must not outlive it. The same for a member who leaves.
    await fake.say("?alice")
    await fill_form(fake, "alice", ANSWERS[:3])
    await fake.wait("11m")
    session = await FormSession.get(user_id="alice")
    assert session.status == "timed_out" and session.answers == {}
    await fake.join("bob")  # added by an admin: asked like gate off
    await fill_form(fake, "bob", ANSWERS[:2])
    await fake.leave("bob")
    session = await FormSession.get(user_id="bob")
    assert session.status == "left" and session.answers == {}


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_a_member_the_bot_cannot_remove_stays_muted_and_can_still_finish(fake):
    fake.console.unkickable.add("alice")  # as an owner or a member with a higher role
    await fake.join("alice")
    outputs = await fake.wait("11m")
    assert fake.kicked == [] and muted(fake, "alice")
    assert any(o.channel == "dm:alice" and "禁言" in o.text for o in outputs)
    await fake.dm("alice", "/form")
    await fill_form(fake, "alice")
    assert not muted(fake, "alice")
    assert (await Profile.filter(user_id="alice").count()) == 1


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_a_join_reported_twice_welcomes_once_and_keeps_the_form(fake):
    await fake.join("alice")
    await fake.dm("alice", "张三")
    # The platform reports the same join again (after a restart the adapter's filter is gone).
    out = await fake.join("alice")
    assert out == []
    assert await FormSession.filter(user_id="alice").count() == 1
    out = await fake.dm("alice", "某公司")
    assert any("(3/7)" in text for text in out)  # the form went on where it was
