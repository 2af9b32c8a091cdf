"""Forms from config: field types, validation, re-asking with the reason, hostile patterns."""

from __future__ import annotations

import asyncio

import pytest

from bot import ConfigError, GroupRef
from bot.testing import make_app
from plugins.onboarding.config import FieldConfig, OnboardingConfig
from plugins.onboarding.forms import HARD_INPUT_CAP, Invalid, validate_answer
from plugins.onboarding.models import FormSession, Profile


def q(zh: str, en: str = "") -> dict:
    return {"zh": zh, "en": en or zh}


FORM = [
    {"key": "name", "question": q("称呼？"), "max_length": 10, "min_length": 2},
    {"key": "track", "type": "choice", "question": q("方向？"), "choices": ["产品", "开发", "运营"]},
    {"key": "topics", "type": "multi_choice", "question": q("话题？"), "choices": ["AI", "出海", "增长"]},
    {"key": "city", "type": "city", "question": q("城市？")},
    {"key": "site", "type": "url", "question": q("网站？"), "required": False},
    {"key": "wechat", "question": q("微信号？"), "pattern": "[a-zA-Z][-_a-zA-Z0-9]{5,19}",
     "hint": q("微信号以字母开头，6-20 位字母、数字、- 或 _。")},
]
CONFIG = {"plugins": {"onboarding": {"form": FORM, "name_card": "{name}/{track}/{city}"}}}


async def question_after(fake, user: str, answer: str) -> str:
    out = await fake.dm(user, answer)
    assert len(out) == 1, out
    return out[0]


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(CONFIG)
async def test_every_invalid_answer_is_re_asked_with_the_reason(fake):
    await fake.join("alice")
    assert "(1/6) 称呼？" in fake.replies("dm:alice")[-1].text

    text = await question_after(fake, "alice", "   ")
    assert "必须回答" in text and "(1/6)" in text
    text = await question_after(fake, "alice", "张")
    assert "至少 2 个字符" in text and "(1/6)" in text
    text = await question_after(fake, "alice", "张" * 11)
    assert "最多 10 个字符" in text and "(1/6)" in text
    text = await question_after(fake, "alice", "x" * (HARD_INPUT_CAP + 5000))
    assert "最多 10 个字符" in text and "(1/6)" in text
    text = await question_after(fake, "alice", "张三")
    assert "(2/6) 方向？" in text and "1. 产品" in text

    text = await question_after(fake, "alice", "设计")
    assert "产品, 开发, 运营" in text and "(2/6)" in text
    text = await question_after(fake, "alice", "4")
    assert "请从以下选项中回答" in text and "(2/6)" in text
    text = await question_after(fake, "alice", "2")
    assert "(3/6) 话题？" in text

    text = await question_after(fake, "alice", "AI, 区块链")
    assert "AI, 出海, 增长" in text and "(3/6)" in text
    text = await question_after(fake, "alice", "1,3")
    assert "(4/6) 城市？" in text

    text = await question_after(fake, "alice", "https://x.com")
    assert "不像城市" in text and "(4/6)" in text
    text = await question_after(fake, "alice", "深圳市")
    assert "(5/6) 网站？" in text and "/skip" in text

    text = await question_after(fake, "alice", "not a url")
    assert "不是一个网址" in text and "(5/6)" in text
    text = await question_after(fake, "alice", "http://localhost")
    assert "不是一个网址" in text
    text = await question_after(fake, "alice", "example.com/me")
    assert "(6/6) 微信号？" in text

    text = await question_after(fake, "alice", "1abc")
    assert "格式不对" in text and "以字母开头" in text and "(6/6)" in text
    out = await fake.dm("alice", "zhang_san")
    assert any("张三/开发/深圳" in t for t in out)

    profile = await Profile.get(user_id="alice")
    assert profile.answers == {
        "name": "张三", "track": "开发", "topics": "AI, 增长", "city": "深圳",
        "site": "https://example.com/me", "wechat": "zhang_san",
    }


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(CONFIG)
async def test_choice_buttons_answer_the_question_and_skip_refuses_required(fake):
    await fake.join("alice")
    await fake.dm("alice", "张三")
    assert fake.replies("dm:alice")[-1].buttons == ("产品", "开发", "运营")
    await fake.click("alice", "运营")
    assert "(3/6)" in fake.replies("dm:alice")[-1].text
    session = await FormSession.get(user_id="alice")
    assert session.answers["track"] == "运营"
    out = await fake.dm("alice", "/skip")
    assert "必须回答" in out[0] and "(3/6)" in out[0]
    await fake.dm("alice", "/back")
    await fake.dm("alice", "开发")
    # A button of a question already answered changes nothing.
    await fake.click("alice", "产品")
    assert "过期" in fake.console.toasts[-1][1]
    session = await FormSession.get(user_id="alice")
    assert session.answers["track"] == "开发" and session.step == 2


HOSTILE = {"plugins": {"onboarding": {"form": [
    {"key": "code", "question": q("邀请码？"), "pattern": "(a+)+$", "max_length": 1000},
    {"key": "name", "question": q("称呼？")},
]}}}


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(HOSTILE)
async def test_a_catastrophic_backtracking_pattern_cannot_hang_the_bot(fake):
    await fake.join("mallory")
    # With Python's re this input takes longer than the age of the universe.
    out = await asyncio.wait_for(fake.dm("mallory", "a" * 999 + "!"), timeout=5)
    assert "格式不对" in out[0] and "(1/2)" in out[0]
    out = await fake.dm("mallory", "a" * 40)
    assert "(2/2)" in out[0]


def test_a_pattern_re2_cannot_run_is_rejected_at_config_validation_naming_the_key():
    config = {"plugins": {"onboarding": {"groups": {"console:lobby": {"form": [
        {"key": "name", "question": q("称呼？")},
        {"key": "code", "question": q("邀请码？"), "pattern": r"(\w+)-\1"},
    ]}}}}}
    app, _ = make_app(["onboarding"], config)
    with pytest.raises(ConfigError) as caught:
        app.load_plugins()
    message = str(caught.value)
    assert "plugins.onboarding.groups.console:lobby.form.1.pattern" in message
    assert "RE2" in message


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"form": [{"key": "a", "question": q("?"), "type": "choice"}]}, "needs choices"),
        ({"form": [{"key": "a", "question": q("?")}, {"key": "a", "question": q("?")}]}, "unique"),
        ({"form": [{"key": "a", "question": q("?"), "max_length": 5000}]}, "max_length"),
        ({"form": [{"key": "Bad Key", "question": q("?")}]}, "key"),
        ({"groups": {"lobby": {}}}, "platform:group_id"),
        ({"gate": "captcha"}, "gate"),
    ],
)
def test_config_errors_name_the_problem(raw, problem):
    app, _ = make_app(["onboarding"], {"plugins": {"onboarding": raw}})
    with pytest.raises(ConfigError) as caught:
        app.load_plugins()
    assert problem in str(caught.value)


def test_group_override_replaces_only_the_keys_it_names():
    config = OnboardingConfig.model_validate(
        {"gate": "restrict", "timeout_minutes": 20, "groups": {"telegram:-100": {"gate": "off"}}}
    )
    group = config.for_group(GroupRef("telegram", "-100", "-100"))
    assert group.gate == "off" and group.timeout_minutes == 20
    assert config.for_group(GroupRef("telegram", "-200", "-200")).gate == "restrict"
    assert [f.key for f in group.form] == [
        "name", "company", "role", "city", "expertise", "needs", "interests",
    ]


def test_a_group_override_is_found_by_the_current_id_or_by_the_key():
    # A Telegram group upgraded to a supergroup: /id shows the new id, an override written
    # before the upgrade names the old one (the group's key). Either applies.
    config = OnboardingConfig.model_validate({"groups": {
        "telegram:-100777": {"gate": "restrict"}, "telegram:-5": {"gate": "join_request"},
    }})
    assert config.for_group(GroupRef("telegram", "-1", "-100777")).gate == "restrict"
    assert config.for_group(GroupRef("telegram", "-5", "-1005")).gate == "join_request"
    assert config.for_group(GroupRef("telegram", "-6", "-1006")).gate == "off"


def test_field_normalisation():
    city = FieldConfig(key="c", type="city", question=q("?"))
    assert validate_answer(city, " new   york ") == "New York"
    assert validate_answer(city, "上海市") == "上海"
    url = FieldConfig(key="u", type="url", question=q("?"))
    assert validate_answer(url, "example.org") == "https://example.org"
    with pytest.raises(Invalid):
        validate_answer(url, "javascript:alert(1)")
    multi = FieldConfig(key="m", type="multi_choice", question=q("?"), choices=["A", "B", "C"])
    assert validate_answer(multi, "3 1 3") == "C, A"
    assert validate_answer(multi, "b、a") == "B, A"


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"form": [
    {"key": "site", "type": "url", "question": q("网站？")},
]}}})
async def test_a_malformed_link_is_re_asked_not_an_internal_error(fake):
    await fake.join("alice")
    for broken in ("https://[abc", "http://example.com:99999999", "[::1"):
        text = await question_after(fake, "alice", broken)
        assert "不是一个网址" in text and "(1/1) 网站？" in text, text
    await fake.dm("alice", "example.com")
    assert (await Profile.get(user_id="alice")).answers == {"site": "https://example.com"}


def test_the_example_configs_form_has_labels_in_both_languages():
    # A self-hoster uncomments the example form: zh and en replies show labels, never raw keys.
    import tomllib
    from pathlib import Path

    text = (Path(__file__).parents[3] / "config.example.toml").read_text(encoding="utf-8")
    start = text.index("# [[plugins.onboarding.form]]", text.index("[plugins.onboarding]\n"))
    example = text[start : text.index("# Any of the keys above", start)]
    raw = tomllib.loads("\n".join(line.removeprefix("#").strip() for line in example.splitlines()))
    raw = raw["plugins"]["onboarding"]
    config = OnboardingConfig.model_validate(raw)
    assert len(config.form) >= 3
    assert all(f.label.zh and f.label.en and f.question.zh and f.question.en for f in config.form)
    assert any(f.visibility == "admins" for f in config.form)
