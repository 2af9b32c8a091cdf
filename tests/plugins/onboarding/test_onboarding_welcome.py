"""Welcome, rules and join floods."""

from __future__ import annotations

import pytest

from plugins.onboarding.models import FormSession

RULES = {"zh": "1. 不发广告\n2. 互相尊重", "en": "1. No ads\n2. Be kind"}


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {
    "rules": RULES,
    "welcome_template": {
        "zh": "欢迎 {name} 来到「{group}」。群规：{rules}", "en": "Hi {name}, welcome to {group}. {rules}",
    },
}}})
async def test_welcome_from_template_with_rules_button_and_rules_command(fake):
    await fake.join("alice")
    welcome = fake.replies("lobby")[-1]
    assert welcome.text.startswith("欢迎 @alice 来到「lobby」。群规：1. 不发广告")
    assert "群规" in welcome.buttons
    await fake.click("bob", "群规")
    assert "不发广告" in fake.replies("dm:bob")[-1].text
    assert (await fake.say("bob: /rules"))[0] == "群规：\n" + RULES["zh"]
    await fake.say(":locale en", "bob: /lang en")
    assert (await fake.say("bob: /rules"))[0] == "Rules:\n" + RULES["en"]


@pytest.mark.plugins("onboarding")
async def test_welcome_in_english_group(fake):
    fake.admin("carol")
    await fake.say("carol: /lang group en")
    await fake.say(":locale en", "+alice")
    welcome = fake.replies("lobby")[-1].text
    assert welcome.startswith("Welcome @alice to lobby!")
    assert "private chat" in welcome
    question = fake.replies("dm:alice")[-1].text
    assert "(1/7) Your name" in question


@pytest.mark.plugins("onboarding")
async def test_rules_when_none_are_set(fake):
    assert "没有设置群规" in (await fake.say("bob: /rules"))[0]


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"rules": RULES}}})
async def test_rules_button_falls_back_to_a_popup(fake):
    fake.console.dm_closed.add("bob")
    await fake.join("alice")
    await fake.click("bob", "群规")
    assert fake.console.toasts[-1][0] == "bob" and "不发广告" in fake.console.toasts[-1][1]


@pytest.mark.plugins("onboarding")
async def test_previous_welcome_is_deleted_when_the_next_is_posted(fake):
    await fake.join("alice")
    await fake.clock.advance(60)
    await fake.join("bob")
    welcomes = [o for o in fake.replies("lobby")]
    assert [o.deleted for o in welcomes] == [True, False]
    assert "bob" in welcomes[-1].text


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"delete_previous_welcome": False}}})
async def test_previous_welcome_can_be_kept(fake):
    await fake.join("alice")
    await fake.clock.advance(60)
    await fake.join("bob")
    assert [o.deleted for o in fake.replies("lobby")] == [False, False]


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(
    {"plugins": {"onboarding": {"gate": "restrict", "flood_joins": 5, "flood_seconds": 10}}}
)
async def test_200_joins_in_10_seconds_give_one_summary_welcome_and_a_form_each(fake):
    for i in range(200):
        await fake.join(f"user{i}")
        await fake.clock.advance(0.05)
    # Only the joins before the flood was recognised were welcomed one by one; the summary comes
    # once the wave is over (the per-minute sweep) and replaces the last of them.
    assert len(fake.replies("lobby")) == 4
    await fake.wait("1m")
    visible = [o for o in fake.replies("lobby") if not o.deleted]
    assert len(visible) == 1 and len(fake.replies("lobby")) == 5
    summary = visible[0].text
    assert "200 位新朋友" in summary
    assert "@user0、@user1" in summary and "@user19" in summary and "@user20" not in summary
    assert "还有 180 位" in summary and "填写资料" in visible[0].buttons
    assert await FormSession.filter(status="pending", purpose="join").count() == 200
    assert all(fake.replies(f"dm:user{i}") for i in range(200))  # each got the first question
    assert len(fake.console.groups["lobby"].muted) == 200
    await fake.wait("5m")
    assert len(fake.replies("lobby")) == 5  # summed up once
    # After the flood, a later newcomer gets a welcome of their own again.
    await fake.join("late")
    assert "late" in fake.replies("lobby")[-1].text
    assert len([o for o in fake.replies("lobby") if not o.deleted]) == 1


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"flood_joins": 3, "flood_seconds": 10}}})
async def test_slow_joins_are_not_a_flood(fake):
    for name in ("a1", "a2", "a3", "a4"):
        await fake.join(name)
        await fake.clock.advance(6)
    texts = [o.text for o in fake.replies("lobby")]
    assert len(texts) == 4 and all("新朋友" not in t for t in texts)


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"welcome": False}}})
async def test_welcome_can_be_turned_off(fake):
    out = await fake.join("alice")
    assert fake.replies("lobby") == []
    assert any("(1/7)" in text for text in out)


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(
    {"plugins": {"onboarding": {"flood_joins": 3, "flood_seconds": 10, "delete_previous_welcome": False}}}
)
async def test_a_flood_is_summed_up_by_the_next_join_after_it(fake):
    for name in ("a1", "a2", "a3", "a4"):
        await fake.join(name)
        await fake.clock.advance(1)
    assert len(fake.replies("lobby")) == 2  # a1, a2 one by one; a3 and a4 wait for the summary
    await fake.clock.advance(30)  # quiet, and no sweep ran yet: the next join posts it first
    await fake.join("late")
    texts = [o.text for o in fake.replies("lobby")]
    assert len(texts) == 4
    assert "4 位新朋友" in texts[2] and "@a1、@a2、@a3、@a4" in texts[2] and "还有" not in texts[2]
    assert "late" in texts[3]
    await fake.wait("2m")
    assert len(fake.replies("lobby")) == 4


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {
    "welcome_template": {"zh": "欢迎 {name}！{name}，请先看群规。"},
}}})
async def test_a_template_naming_the_newcomer_twice_shows_the_name_twice(fake):
    await fake.join("alice")
    welcome = fake.replies("lobby")[-1].text
    assert welcome.startswith("欢迎 @alice！@alice，请先看群规。") and "\x00" not in welcome
