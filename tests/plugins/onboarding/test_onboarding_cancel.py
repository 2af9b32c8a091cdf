"""/cancel in the form: stopped means stopped until /form, under every gate."""

from __future__ import annotations

import pytest

from plugins.onboarding.models import FormSession, Profile

ANSWERS = ["张三", "某公司", "运营", "上海市", "社群运营、活动策划", "找一位懂机器人的开发者", "/skip"]


def asked(texts: list[str]) -> bool:
    return any("/7)" in text for text in texts)


async def stopped(fake, user: str = "alice") -> None:
    """After /cancel nothing the member writes or does restarts the form or is saved."""
    for line in ("你好", "张三", "/start"):
        out = await fake.dm(user, line)
        assert not asked(out), (line, out)
    session = await FormSession.get(user_id=user, purpose="join")
    assert session.status == "pending" and session.step == 0 and session.answers == {}


def gate(mode: str):
    return pytest.param(mode, marks=pytest.mark.bot_config({"plugins": {"onboarding": {"gate": mode}}}))


@pytest.mark.plugins("onboarding")
@pytest.mark.parametrize("mode", [gate("off"), gate("restrict")])
async def test_cancel_stops_the_form_until_form(fake, mode):
    await fake.join("alice")
    await fake.dm("alice", "张三")
    await fake.dm("alice", "某公司")
    out = await fake.dm("alice", "/cancel")
    assert len(out) == 1 and "已停止填写" in out[0] and not asked(out)
    await stopped(fake)
    out = await fake.dm("alice", "/form")
    assert any("(1/7)" in text for text in out)
    for answer in ANSWERS:
        await fake.dm("alice", answer)
    assert (await Profile.get(user_id="alice")).answers["name"] == "张三"
    assert "alice" not in fake.console.groups["lobby"].muted


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_cancel_behind_the_gate_keeps_it_and_its_deadline(fake):
    await fake.join("alice")
    await fake.dm("alice", "张三")
    out = await fake.dm("alice", "/cancel")
    assert "截止时间仍然有效" in out[0]
    await stopped(fake)
    assert "alice" in fake.console.groups["lobby"].muted
    fake.admin("carol")
    status = (await fake.say("carol: /onboarding status"))[0]
    assert "alice：" in status and "本人已停止填写" in status and "无法私聊" not in status
    await fake.wait("11m")
    assert fake.kicked == [("lobby", "alice")]


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict", "on_timeout": "stay_muted"}}})
async def test_cancel_after_a_stay_muted_timeout_stays_stopped(fake):
    await fake.join("alice")
    await fake.wait("11m")
    await fake.dm("alice", "/form")
    await fake.dm("alice", "张三")
    await fake.dm("alice", "/cancel")
    await stopped(fake)
    await fake.wait("1d")
    assert "alice" in fake.console.groups["lobby"].muted
    assert asked(await fake.dm("alice", "/form"))


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "join_request"}}})
async def test_cancel_of_a_join_request_form_stays_stopped_and_the_request_is_declined_in_time(fake):
    await fake.say("?alice")
    await fake.dm("alice", "张三")
    await fake.dm("alice", "/cancel")
    await stopped(fake)
    assert "alice" in fake.console.groups["lobby"].requests
    await fake.wait("11m")
    assert "alice" not in fake.console.groups["lobby"].requests
    assert "alice" not in fake.console.groups["lobby"].members


@pytest.mark.plugins("onboarding")
async def test_the_gate_off_reminder_does_not_restart_a_cancelled_form(fake):
    await fake.join("alice")
    await fake.dm("alice", "/cancel")
    outputs = await fake.wait("2d")
    assert not asked([o.text for o in outputs if o.channel == "dm:alice"])
    await stopped(fake)


@pytest.mark.plugins("onboarding")
async def test_cancel_does_not_start_the_form_of_another_group_instead(fake):
    await fake.join("alice")  # lobby: answering
    await fake.say(":group second", "+alice", ":group lobby")  # second: waits its turn
    out = await fake.dm("alice", "/cancel")
    assert not asked(out)
    out = await fake.dm("alice", "张三")
    assert not asked(out)
    assert await FormSession.filter(user_id="alice", started_at__isnull=False).count() == 0
    out = await fake.dm("alice", "/form")
    assert any("lobby" in text and "(1/7)" in text for text in out)


CHOICE = {"plugins": {"onboarding": {"name_card": "{track}", "form": [
    {"key": "track", "type": "choice", "question": {"zh": "方向？"}, "choices": ["产品", "开发"]},
    {"key": "city", "type": "city", "question": {"zh": "城市？"}},
]}}}


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(CHOICE)
async def test_a_choice_button_of_a_cancelled_form_does_not_answer_it(fake):
    await fake.join("alice")
    await fake.dm("alice", "/cancel")
    out = await fake.click("alice", "开发")
    assert not any("城市？" in text for text in out)
    session = await FormSession.get(user_id="alice")
    assert session.step == 0 and session.answers == {}


class TestOnPostgres:
    """The same on PostgreSQL (skipped when QUNBOT_TEST_PG_URL is not set)."""

    @pytest.fixture
    def bot_database_url(self, pg_url):
        return pg_url

    @pytest.mark.plugins("onboarding")
    @pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
    async def test_cancel_behind_the_gate(self, fake):
        await test_cancel_behind_the_gate_keeps_it_and_its_deadline(fake)
