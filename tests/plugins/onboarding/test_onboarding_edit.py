"""/profile edit: fields named by label in the member's language, and an edit validated against
every form it changes."""

from __future__ import annotations

import pytest

from plugins.onboarding.models import FormSession, Profile

ANSWERS = ["张三", "某公司", "运营", "上海市", "社群运营、活动策划", "找一位懂机器人的开发者", "/skip"]


async def onboard(fake, user: str, answers) -> None:
    await fake.join(user)
    for answer in answers:
        await fake.dm(user, answer)


def answers(profiles) -> dict[str, dict]:
    return {p.guild_id: p.answers for p in profiles}


@pytest.mark.plugins("onboarding")
async def test_profile_edit_accepts_the_fields_label_in_the_members_language(fake):
    await onboard(fake, "alice", ANSWERS)
    await fake.say("alice: /profile edit 城市 杭州市")
    assert "城市 已改为：杭州" in fake.replies("dm:alice")[-1].text
    await fake.say("alice: /profile edit 公司/产品 新公司")
    assert (await Profile.get(user_id="alice")).answers["company"] == "新公司"
    await fake.dm("alice", "/lang en")
    await fake.say("alice: /profile edit city Suzhou")  # the key still works
    await fake.say("alice: /profile edit Expertise Rust")  # the English label, any case
    profile = await Profile.get(user_id="alice")
    assert profile.answers["city"] == "Suzhou" and profile.answers["expertise"] == "Rust"
    assert "Expertise is now: Rust" in fake.replies("dm:alice")[-1].text
    # Asked by question too, by label.
    await fake.wait("1m")  # past the command rate limit
    await fake.say("alice: /profile edit Needs")
    assert "What help or resources" in fake.replies("dm:alice")[-1].text
    await fake.dm("alice", "一位设计师")
    assert (await Profile.get(user_id="alice")).answers["needs"] == "一位设计师"


@pytest.mark.plugins("onboarding")
async def test_an_unknown_field_is_answered_with_the_labels_the_member_can_use(fake):
    await onboard(fake, "alice", ANSWERS)
    await fake.say("alice: /profile edit 鞋码 42")
    text = fake.replies("dm:alice")[-1].text
    assert "没有字段“鞋码”" in text and "城市" in text and "公司/产品" in text


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"form": [
    {"key": "name", "question": {"zh": "称呼？"}},
    {"key": "mobile", "label": {"zh": "手机 号码", "en": "Phone number"}, "question": {"zh": "手机？"}},
]}}})
async def test_a_label_of_several_words(fake):
    await onboard(fake, "alice", ["张三", "123"])
    await fake.dm("alice", "/lang en")
    await fake.dm("alice", "/profile edit phone number 456")
    assert (await Profile.get(user_id="alice")).answers["mobile"] == "456"


TWO_FORMS = {"plugins": {"onboarding": {"name_card": "{name}", "groups": {
    "console:lobby": {"form": [
        {"key": "name", "label": {"zh": "称呼"}, "question": {"zh": "称呼？"}},
        {"key": "track", "label": {"zh": "方向"}, "question": {"zh": "方向？"}},
    ]},
    "console:second": {"form": [
        {"key": "name", "label": {"zh": "称呼"}, "question": {"zh": "称呼？"}},
        {"key": "track", "type": "choice", "label": {"zh": "方向"}, "question": {"zh": "方向？"},
         "choices": ["产品", "开发"]},
    ]},
}}}}


async def two_profiles(fake) -> None:
    await fake.say(":group second")
    await onboard(fake, "alice", ["张三", "2"])  # 开发
    await fake.wait("1h")
    await fake.say(":group lobby")
    await onboard(fake, "alice", ["张三", "后端"])  # the newer profile
    assert answers(await Profile.filter(user_id="alice")) == {
        "second": {"name": "张三", "track": "开发"}, "lobby": {"name": "张三", "track": "后端"},
    }


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(TWO_FORMS)
async def test_an_edit_is_validated_against_every_form_it_changes(fake):
    await two_profiles(fake)
    # In private (the newest profile's group) and in lobby: free text, or a number that is no
    # choice in lobby's form, where the edit is made.
    for where, value in (("alice@dm", "随便写"), ("alice", "随便写"), ("alice", "1")):
        await fake.say(f"{where}: /profile edit track {value}")
        text = fake.replies("dm:alice")[-1].text
        assert "second" in text and "产品, 开发" in text, where
        assert answers(await Profile.filter(user_id="alice"))["second"]["track"] == "开发"
        assert answers(await Profile.filter(user_id="alice"))["lobby"]["track"] == "后端"
    await fake.say("alice: /profile edit 方向 产品")
    assert {a["track"] for a in answers(await Profile.filter(user_id="alice")).values()} == {"产品"}


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(TWO_FORMS)
async def test_an_edit_by_question_is_validated_against_every_form_it_changes(fake):
    await two_profiles(fake)
    await fake.dm("alice", "/profile edit track")
    out = await fake.dm("alice", "随便写")
    assert any("second" in text and "产品, 开发" in text for text in out)
    assert await FormSession.filter(user_id="alice", purpose="edit").exists()  # asked again
    assert answers(await Profile.filter(user_id="alice"))["second"]["track"] == "开发"
    await fake.dm("alice", "产品")
    assert {a["track"] for a in answers(await Profile.filter(user_id="alice")).values()} == {"产品"}


class TestOnPostgres:
    """The same on PostgreSQL (skipped when QUNBOT_TEST_PG_URL is not set)."""

    @pytest.fixture
    def bot_database_url(self, pg_url):
        return pg_url

    @pytest.mark.plugins("onboarding")
    @pytest.mark.bot_config(TWO_FORMS)
    async def test_an_edit_checked_against_every_form(self, fake):
        await test_an_edit_is_validated_against_every_form_it_changes(fake)
