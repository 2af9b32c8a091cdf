"""Rules answered by other plugins through the inactive plugin's hooks: the onboarding form not
completed after X days, the ads ladder at its last step; nobody when the plugin is not enabled."""

import pytest

from plugins.inactive import plugin

EN = {"bot": {"locale": "en"}}
AD = "日赚500，宝妈学生党都能做，加 w e i x i n: abc12345"
ONBOARDING = {**EN, "plugins": {"inactive": {"inactive_days": 0, "onboarding_days": 14}}}
ANSWERS = [
    "张三", "某公司", "运营", "上海市", "社群运营、活动策划", "找一位懂 Telegram 机器人的开发者", "/skip"
]


@pytest.mark.plugins("inactive", "onboarding")
@pytest.mark.bot_config(ONBOARDING)
async def test_onboarding_not_completed_after_x_days(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", "+bob", "+carol")
    assert any(o.channel == "dm:bob" for o in fake.outputs)  # both were asked the form
    await fake.say(*[f"carol@dm: {answer}" for answer in ANSWERS])
    await fake.wait("10d")
    await fake.say("bob: hello", "carol: hello")  # speaking does not complete the form
    [preview] = await fake.play(["alice: /inactive preview"])
    assert "Nobody would be removed" in preview.text  # 10 days: not yet
    await fake.wait("5d")
    [preview] = await fake.say("alice: /inactive preview")
    assert "onboarding not completed after 14 days" in preview
    assert "1. bob — onboarding form asked on 2026-03-02 and not completed" in preview
    assert "carol" not in preview


@pytest.mark.plugins(plugin)
@pytest.mark.bot_config(ONBOARDING)
async def test_onboarding_rule_without_the_onboarding_plugin_selects_nobody_and_says_so(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", "+bob")
    await fake.wait("20d")
    [preview] = await fake.say("alice: /inactive preview")
    assert "Nobody would be removed" in preview
    assert "The onboarding rule selects nobody: the onboarding plugin is not enabled." in preview


ADS = {
    **EN,
    "plugins": {
        "points": {"activity_points": "none", "announce_level_up": False},
        "ads": {"ladder": ["remind", "mute:1h"], "grace_minutes": 0, "new_member_hours": 0},
        "inactive": {"inactive_days": 0, "ads_last_step": True, "grace_days": 0},
    },
}


@pytest.mark.plugins("inactive", "ads")
@pytest.mark.bot_config(ADS)
async def test_the_ads_ladder_at_its_last_step(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", "bob: hi", "carol: hi")
    await fake.say(f"carol: {AD}", f"bob: {AD}")  # one step each
    await fake.wait("2h")
    await fake.say("carol: free crypto airdrop, claim now t.me/+AbCdEf123456")  # the last step
    [preview] = await fake.say("alice: /inactive preview")
    assert "(ads ladder at its last step, newcomers protected 0 days)" in preview
    assert "1. carol — ads ladder at its last step since 2026-03-02" in preview
    assert "bob" not in preview
    # A month later the ladder has decayed: nobody.
    await fake.wait("31d")
    [preview] = await fake.say("alice: /inactive preview")
    assert "Nobody would be removed" in preview
