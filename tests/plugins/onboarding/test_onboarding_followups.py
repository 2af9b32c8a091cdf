"""Follow-ups on the gate: the core's /forgetme behind a gate (this plugin's part of it), unreachable
join requests, and the form's flow commands."""

from __future__ import annotations

import pytest

from plugins.onboarding.models import FormSession, Profile

ANSWERS = ["张三", "某公司", "运营", "上海市", "社群运营、活动策划", "找一位懂机器人的开发者", "/skip"]


async def fill_form(fake, user: str, answers=ANSWERS) -> list[str]:
    out: list[str] = []
    for answer in answers:
        out += await fake.dm(user, answer)
    return out


def muted(fake, user: str, group: str = "lobby") -> bool:
    return user in fake.console.groups[group].muted


async def forget(fake, user: str) -> list[str]:
    await fake.dm(user, "/forgetme")
    return await fake.click(user, "删除我的数据")


# -- 1. /forgetme behind the gate ---------------------------------------------------------------
@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_forgetme_mid_form_keeps_the_gate_and_its_deadline(fake):
    await fake.join("alice")
    await fill_form(fake, "alice", ANSWERS[:3])
    out = await forget(fake, "alice")
    assert any("已删除" in text and "/form" in text for text in out)  # told the gate still holds
    session = await FormSession.get(user_id="alice", purpose="join")
    assert session.answers == {} and session.step == 0 and session.user_name == ""
    assert session.deadline is not None and muted(fake, "alice")
    await fake.wait("11m")  # the timeout still applies
    assert fake.kicked == [("lobby", "alice")]


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_forgetme_mid_form_member_can_start_again_and_get_through(fake):
    await fake.join("alice")
    await fill_form(fake, "alice", ANSWERS[:5])
    await forget(fake, "alice")
    out = await fake.dm("alice", "/form")
    assert any("(1/7)" in text for text in out)  # from the top: nothing of hers is left
    await fill_form(fake, "alice")
    assert not muted(fake, "alice")
    assert (await Profile.get(user_id="alice")).answers["name"] == "张三"


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict", "on_timeout": "stay_muted"}}})
async def test_member_left_muted_after_the_timeout_can_still_finish(fake):
    await fake.join("alice")
    await fake.wait("11m")
    assert muted(fake, "alice")
    out = await fake.dm("alice", "/form")
    assert any("(1/7)" in text for text in out)
    await fill_form(fake, "alice")
    assert not muted(fake, "alice")


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "join_request"}}})
async def test_forgetme_with_a_pending_join_request_declines_it_at_once(fake):
    await fake.say("?alice")
    await fill_form(fake, "alice", ANSWERS[:2])
    out = await forget(fake, "alice")
    group = fake.console.groups["lobby"]
    assert "alice" not in group.requests and "alice" not in group.members
    assert any("已删除" in text and "申请" in text for text in out)
    assert await FormSession.filter(user_id="alice").count() == 0
    await fake.dm("alice", "你好")  # nothing left to resume
    assert await FormSession.filter(user_id="alice").count() == 0


# -- 3. a join request from someone the bot cannot reach in private ----------------------------
@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "join_request"}}})
async def test_unreachable_join_request_waits_is_logged_and_shown_to_admins(fake, caplog):
    fake.admin("carol")
    fake.console.dm_closed.add("alice")
    with caplog.at_level("INFO", logger="plugins.onboarding"):
        await fake.say("?alice", "?bob")
    assert any("alice" in r.getMessage() and "not reachable" in r.getMessage() for r in caplog.records)
    out = await fake.say("carol: /onboarding status")
    assert "1 位无法私聊" in out[0] and "其中 1 位是入群申请" in out[0]
    assert "alice：" in out[0] and "alice：" in out[0].split("（无法私聊）")[0]
    assert "bob" in out[0] and "bob" not in out[0].split("（无法私聊）")[0].split("\n")[-1]
    # She opens the private chat before the timeout: /start begins the form, and it can succeed.
    fake.console.dm_closed.discard("alice")
    out = await fake.dm("alice", "/start")
    assert any("(1/7)" in text for text in out)
    await fill_form(fake, "alice")
    assert "alice" in fake.console.groups["lobby"].members
    assert "无法私聊" not in (await fake.say("carol: /onboarding status"))[0]


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "join_request"}}})
async def test_unreachable_join_request_is_declined_at_the_timeout(fake):
    fake.console.dm_closed.add("alice")
    await fake.say("?alice")
    await fake.wait("9m")
    assert "alice" in fake.console.groups["lobby"].requests
    await fake.wait("2m")
    assert "alice" not in fake.console.groups["lobby"].requests
    assert "alice" not in fake.console.groups["lobby"].members


# -- 4. the form's flow commands ------------------------------------------------------------------
@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_flow_commands_act_only_in_private_and_stay_out_of_menus(fake):
    from bot.adapters.telegram.menu import build_menus

    await fake.join("alice")
    await fake.dm("alice", "张三")
    for command in ("/cancel", "/back", "/skip"):
        await fake.say(f"alice: {command}")  # in the group: maybe meant for another bot
    session = await FormSession.get(user_id="alice")
    assert session.step == 1 and session.answers == {"name": "张三"} and session.started_at is not None
    listed = {name for menu in build_menus(list(fake.app.commands), {}) for name, _ in menu.commands}
    assert "form" in listed and not {"back", "skip", "cancel"} & listed
    helps = (await fake.dm("bob", "/help"))[0] + (await fake.say("bob: /help"))[0]
    # zh readers see the Chinese names: /填表 (form), never /上一步 (back) or /取消 (cancel).
    assert "/填表" in helps and "/上一步" not in helps and "/取消" not in helps
    # In private, during the form, they work as every question says.
    out = await fake.dm("alice", "/back")
    assert any("(1/7)" in text for text in out)
    assert all(spec.private_only for spec in fake.app.commands if spec.name in ("back", "skip", "cancel"))


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "join_request", "timeout_minutes": 60}}})
async def test_data_request_from_elsewhere_declines_a_waiting_join_request_too(bot_app, fake):
    await fake.say("?alice")
    await fill_form(fake, "alice", ANSWERS[:2])
    # e.g. an operator's data request: the core asks every plugin, this one included.
    notes = await bot_app.scope("core").forget_user("console", "alice")
    assert any("申请" in note and "lobby" in note for note in notes)
    assert "alice" not in fake.console.groups["lobby"].requests
    assert "alice" not in fake.console.groups["lobby"].members
    assert await FormSession.filter(user_id="alice").count() == 0


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_forgetme_tells_nothing_more_when_no_gate_holds(fake):
    await fake.join("alice")
    await fill_form(fake, "alice")
    out = await forget(fake, "alice")
    assert out == ["已完成：你的数据已删除。"]
    assert await FormSession.filter(user_id="alice").count() == 0
    assert await Profile.filter(user_id="alice").count() == 0
