"""Privacy of the directory: what a group sees, what admins get in private, members who left,
the name card, and the CSV export's one convention."""

from __future__ import annotations

import csv
import re

import pytest

from bot import ConfigError
from bot.testing import make_app
from plugins.onboarding.config import OnboardingConfig
from plugins.onboarding.models import Profile

FORM = [
    {"key": "name", "label": {"zh": "称呼", "en": "Name"}, "question": {"zh": "称呼？"}},
    {"key": "city", "type": "city", "label": {"zh": "城市", "en": "City"}, "question": {"zh": "城市？"},
     "searchable": True},
    {"key": "expertise", "label": {"zh": "擅长", "en": "Expertise"}, "question": {"zh": "擅长？"},
     "searchable": True},
    {"key": "phone", "label": {"zh": "电话", "en": "Phone"}, "question": {"zh": "电话？"},
     "visibility": "admins", "searchable": True},
    {"key": "secret", "label": {"zh": "备注", "en": "Note"}, "question": {"zh": "备注？"},
     "visibility": "hidden", "searchable": True},
]
VISIBILITY = {"plugins": {"onboarding": {"form": FORM, "name_card": "{name}-{city}"}}}
ALICE = ("张三", "上海", "Python 后端开发", "13800000001", "喜欢猫")
BOB = ("李四", "北京", "社群运营 增长", "13800000002", "python 初学")
CINDY = ("王五", "上海", "产品设计", "13800000003", "无")


async def onboard(fake, user: str, answers: tuple[str, ...]) -> None:
    await fake.join(user)
    for answer in answers:
        await fake.dm(user, answer)
    assert await Profile.filter(user_id=user).exists()


async def members(fake) -> None:
    await onboard(fake, "alice", ALICE)
    await onboard(fake, "bob", BOB)
    await onboard(fake, "cindy", CINDY)
    await fake.say("dave: 大家好")  # a member without a profile
    fake.admin("carol")
    await fake.say("carol: 我是管理员")


def in_group(fake, since: int) -> str:
    return "\n".join(o.text for o in fake.outputs[since:] if o.channel == "lobby")


def private(fake, user: str, since: int) -> str:
    return "\n".join(o.text for o in fake.outputs[since:] if o.channel == f"dm:{user}")


# -- /whois -------------------------------------------------------------------------------------
@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_whois_in_the_group_shows_only_what_everyone_may_see(fake):
    await members(fake)
    for asker in ("dave", "carol", "alice"):  # a member, an admin, the member herself
        mark = len(fake.outputs)
        await fake.say(f"{asker}: /whois @alice")
        shown = in_group(fake, mark)
        assert "张三-上海" in shown and "Python 后端开发" in shown, asker
        assert "13800000001" not in shown and "喜欢猫" not in shown, asker
    # The admin gets the admins' fields in private; the hidden one is the member's alone.
    mark = len(fake.outputs)
    await fake.say("carol: /whois @alice")
    assert "13800000001" in private(fake, "carol", mark) and "喜欢猫" not in private(fake, "carol", mark)
    mark = len(fake.outputs)
    await fake.say("dave: /whois @alice")
    assert private(fake, "dave", mark) == ""


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_private_whois_works_for_admins_and_members_of_a_group_the_target_is_in(fake):
    await members(fake)
    out = "\n".join(await fake.dm("carol", "/whois @alice"))
    assert "lobby" in out and "13800000001" in out and "喜欢猫" not in out
    out = "\n".join(await fake.dm("dave", "/whois @alice"))
    assert "张三-上海" in out and "13800000001" not in out
    # Someone in none of her groups sees nothing of her.
    await fake.say(":group elsewhere", "eve: 你好", ":group lobby")
    out = "\n".join(await fake.dm("eve", "/whois @alice"))
    assert "张三" not in out and "上海" not in out and out


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_a_member_who_left_is_shown_only_to_admins_marked_as_left(fake):
    await members(fake)
    await fake.leave("cindy")
    mark = len(fake.outputs)
    await fake.say("dave: /whois @cindy", "carol: /whois @cindy")
    assert "产品设计" not in in_group(fake, mark) and "王五" not in in_group(fake, mark)
    out = "\n".join(await fake.dm("dave", "/whois @cindy"))
    assert "产品设计" not in out and "王五" not in out
    out = "\n".join(await fake.dm("carol", "/whois @cindy"))
    assert "产品设计" in out and "13800000003" in out and "已离开" in out


# -- /find --------------------------------------------------------------------------------------
@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_find_in_the_group_searches_public_fields_and_admins_get_the_rest_in_private(fake):
    await members(fake)
    mark = len(fake.outputs)
    await fake.say("carol: /find 13800000002")
    assert "李四" not in in_group(fake, mark) and "没有找到" in in_group(fake, mark)
    assert "李四" in private(fake, "carol", mark) and "13800000002" in private(fake, "carol", mark)
    # Every card in the group is built from public fields only.
    mark = len(fake.outputs)
    await fake.say("carol: /find 上海")
    shown = in_group(fake, mark)
    assert "张三-上海" in shown and "13800000001" not in shown
    assert private(fake, "carol", mark) == ""  # nothing more for admins: no second message
    # A member who left: not in the group's answer; the admin sees them, marked as left.
    await fake.leave("cindy")
    mark = len(fake.outputs)
    await fake.say("carol: /find 产品")
    assert "王五" not in in_group(fake, mark)
    assert "王五" in private(fake, "carol", mark) and "已离开" in private(fake, "carol", mark)
    mark = len(fake.outputs)
    await fake.say("dave: /find 产品")
    assert "王五" not in in_group(fake, mark) and private(fake, "dave", mark) == ""


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_find_echoes_a_short_part_of_a_huge_search_term(fake):
    await members(fake)
    out = await fake.say("dave: /find " + "找" * 100_000)
    assert len(out) == 1 and len(out[0]) < 200 and "…" in out[0]


# -- the name card ------------------------------------------------------------------------------
def test_config_refuses_a_name_card_that_names_a_field_not_everyone_may_see():
    form = [dict(f) for f in FORM]
    with pytest.raises(ValueError, match=r"name_card.*\{phone\}.*admins"):
        OnboardingConfig.model_validate({"form": form, "name_card": "{name}-{phone}-{city}"})
    with pytest.raises(ValueError, match=r"name_card.*\{secret\}.*hidden"):
        OnboardingConfig.model_validate({"form": form, "name_card": "{secret}"})
    # A group override that hides a field of the card inherited from the top.
    hidden_company = [{"key": "company", "question": {"zh": "公司？"}, "visibility": "hidden"}]
    with pytest.raises(ValueError, match=r'groups\."telegram:-100".*\{company\}'):
        OnboardingConfig.model_validate({"groups": {"telegram:-100": {"form": hidden_company}}})
    # The default card on the default form is valid, and so is one that names no field.
    OnboardingConfig.model_validate({})
    OnboardingConfig.model_validate({"form": form, "name_card": "{name}-{city}-{unknown}"})


def test_the_bot_refuses_to_start_on_such_a_card_and_names_the_key():
    app, _ = make_app(["onboarding"], {"plugins": {"onboarding": {"form": FORM, "name_card": "{phone}"}}})
    with pytest.raises(ConfigError, match="phone"):
        app.load_plugins()


# -- the export ---------------------------------------------------------------------------------
@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_export_has_one_name_column_labels_and_keys_and_times_with_their_offset(fake):
    await members(fake)
    await fake.leave("cindy")
    await fake.say("carol: /directory export")
    export = fake.replies("dm:carol")[-1]
    with export.files[0].open(encoding="utf-8-sig", newline="") as handle:
        keys, labels, *rows = list(csv.reader(handle))
    assert len(keys) == len(set(keys)) and len(labels) == len(set(labels))
    assert keys == [
        "user_id", "display_name", "name_card", "completed_at", "updated_at", "left_at",
        "form.name", "form.city", "form.expertise", "form.phone",
    ]
    assert labels[1] == "显示名" and labels[6:] == ["称呼", "城市", "擅长", "电话"]
    by_user = {row[0]: dict(zip(keys, row, strict=True)) for row in rows}
    assert by_user["alice"]["form.name"] == "张三" and by_user["alice"]["display_name"] == "alice"
    assert by_user["bob"]["form.phone"] == "13800000002"
    # ISO 8601 with the group's offset (Asia/Shanghai), to the second.
    iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
    assert iso.match(by_user["alice"]["completed_at"]) and iso.match(by_user["alice"]["updated_at"])
    assert by_user["alice"]["left_at"] == "" and iso.match(by_user["cindy"]["left_at"])


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_export_labels_follow_the_groups_language(fake):
    await members(fake)
    await fake.say("carol: /lang group en")
    await fake.say("carol: /directory export")
    export = fake.replies("dm:carol")[-1]
    with export.files[0].open(encoding="utf-8-sig", newline="") as handle:
        _keys, labels, *_rows = list(csv.reader(handle))
    assert labels[1] == "Display name" and labels[6:] == ["Name", "City", "Expertise", "Phone"]


# -- answers carried to another group ----------------------------------------------------------
TRUSTED = {"plugins": {"onboarding": {"trust_other_groups": True, "name_card": "{name}", "groups": {
    "console:lobby": {"form": [
        {"key": "name", "label": {"zh": "称呼"}, "question": {"zh": "称呼？"}},
        {"key": "phone", "label": {"zh": "电话"}, "question": {"zh": "电话？"}, "visibility": "hidden"},
    ]},
    "console:second": {"form": [
        {"key": "name", "label": {"zh": "称呼"}, "question": {"zh": "称呼？"}},
        {"key": "phone", "label": {"zh": "电话"}, "question": {"zh": "电话？"}},
    ]},
}}}}


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(TRUSTED)
async def test_an_answer_given_as_hidden_is_not_carried_where_the_group_would_see_it(fake):
    await onboard(fake, "alice", ("张三", "13800000001"))
    await fake.say(":group second")
    out = await fake.join("alice")
    assert any("电话？" in text for text in out)  # asked, not copied: only the name is known
    assert not await Profile.filter(user_id="alice", guild_id="second").exists()
    await fake.dm("alice", "/skip")
    out = await fake.say("bob: 你好", "bob: /whois @alice")
    assert "13800000001" not in "\n".join(out)


class TestOnPostgres:
    """The same rules on PostgreSQL (skipped when QUNBOT_TEST_PG_URL is not set)."""

    @pytest.fixture
    def bot_database_url(self, pg_url):
        return pg_url

    @pytest.mark.plugins("onboarding")
    @pytest.mark.bot_config(VISIBILITY)
    async def test_find_whois_and_export(self, fake):
        await test_find_in_the_group_searches_public_fields_and_admins_get_the_rest_in_private(fake)
        out = "\n".join(await fake.dm("carol", "/whois @cindy"))
        assert "13800000003" in out and "已离开" in out
        await fake.say("carol: /directory export")
        with fake.replies("dm:carol")[-1].files[0].open(encoding="utf-8-sig", newline="") as handle:
            keys, _labels, *rows = list(csv.reader(handle))
        assert keys[6] == "form.name" and len(rows) == 3
