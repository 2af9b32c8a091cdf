"""The member directory: /profile, /whois, /find with visibility, export, forgetting, retention."""

from __future__ import annotations

import csv
import io

import pytest

from bot import Plugin, hookimpl
from bot.adapters.console import Output
from plugins.onboarding.models import FormSession, Profile, WelcomeState

VISIBILITY = {"plugins": {"onboarding": {"groups": {"console:lobby": {"form": [
    {"key": "name", "label": {"zh": "称呼", "en": "Name"}, "question": {"zh": "称呼？"}},
    {"key": "city", "type": "city", "label": {"zh": "城市"}, "question": {"zh": "城市？"},
     "searchable": True},
    {"key": "expertise", "label": {"zh": "擅长"}, "question": {"zh": "擅长？"}, "searchable": True},
    {"key": "phone", "label": {"zh": "电话"}, "question": {"zh": "电话？"}, "visibility": "admins",
     "searchable": True},
    {"key": "secret", "label": {"zh": "备注"}, "question": {"zh": "备注？"}, "visibility": "hidden",
     "searchable": True},
], "name_card": "{name}-{city}"}}}}}


async def onboard(fake, user: str, *answers: str) -> None:
    await fake.join(user)
    for answer in answers:
        await fake.dm(user, answer)
    assert await Profile.filter(user_id=user).exists()


async def members(fake):
    await onboard(fake, "alice", "张三", "上海", "Python 后端开发", "13800000001", "喜欢猫")
    await onboard(fake, "bob", "李四", "北京", "社群运营 增长", "13800000002", "python 初学")
    await onboard(fake, "cindy", "王五", "上海", "产品设计", "13800000003", "无")


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_find_searches_visible_fields_only(fake):
    await members(fake)
    out = await fake.say("dave: /find 上海")
    assert "2 位" in out[0] and "张三-上海" in out[0] and "王五-上海" in out[0] and "李四" not in out[0]
    out = await fake.say("dave: /find python")
    assert "1 位" in out[0] and "张三" in out[0]  # bob's "python" is in a hidden field
    out = await fake.say("dave: /find 上海 python")
    assert "1 位" in out[0] and "张三" in out[0]  # every word must match
    assert "没有找到" in (await fake.say("dave: /find 13800000002"))[0]  # admins-only for members
    fake.admin("carol")
    out = await fake.say("carol: /find 13800000002")  # admins-only: in private for admins
    assert "没有找到" in out[0] and "1 位" in out[1] and "李四" in out[1]
    assert fake.replies()[-1].channel == "dm:carol"
    assert await fake.say("carol: /find 初学") == ["没有找到符合“初学”的成员。"]  # hidden: nobody


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_find_skips_members_who_left(fake):
    await members(fake)
    await fake.leave("cindy")
    out = await fake.say("dave: /find 上海")
    assert "1 位" in out[0] and "王五" not in out[0]


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_whois_respects_visibility_and_profile_shows_everything_to_its_owner(fake):
    await members(fake)
    out = (await fake.say("dave: /whois @alice"))[0]
    assert "张三-上海" in out and "Python 后端开发" in out
    assert "13800000001" not in out and "喜欢猫" not in out
    fake.admin("carol")
    out = await fake.say("carol: /whois @alice")  # the admins' fields in private
    assert "13800000001" not in out[0] and "13800000001" in out[1] and "喜欢猫" not in out[1]
    assert fake.replies()[-1].channel == "dm:carol"
    await fake.say("alice: /profile")
    own = fake.replies("dm:alice")[-1].text
    assert "13800000001" in own and "喜欢猫" in own
    assert "还没有资料" in (await fake.say("alice: /whois @dave"))[0]


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_profile_edit_inline_and_by_question(fake):
    await members(fake)
    await fake.say("alice: /profile edit city 杭州市")
    assert "杭州" in fake.replies("dm:alice")[-1].text
    assert (await Profile.get(user_id="alice")).answers["city"] == "杭州"
    await fake.say("alice: /profile edit city https://nope")
    assert "不像城市" in fake.replies("dm:alice")[-1].text
    assert (await Profile.get(user_id="alice")).answers["city"] == "杭州"
    await fake.say("alice: /profile edit expertise")
    assert "擅长？" in fake.replies("dm:alice")[-1].text
    await fake.dm("alice", "Rust 和 Go")
    assert (await Profile.get(user_id="alice")).answers["expertise"] == "Rust 和 Go"
    assert await FormSession.filter(user_id="alice", purpose="edit").count() == 0
    in_group = len(fake.replies("lobby"))
    await fake.say("alice: /profile edit shoe_size 42")
    assert "没有字段" in fake.replies("dm:alice")[-1].text
    assert len(fake.replies("lobby")) == in_group  # answered in private, not in the group


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_directory_export_is_a_csv_for_admins_sent_in_private(fake):
    await members(fake)
    assert "需要" in (await fake.say("dave: /directory export"))[0]
    fake.admin("carol")
    captured: list[bytes] = []
    console = fake.console
    original = console.send_private

    async def keep(user_id, message):
        captured.extend(a.data for a in message.attachments)
        return await original(user_id, message)

    console.send_private = keep
    out = await fake.say("carol: /directory export")
    assert "私聊" in out[-1]
    export: Output = fake.replies("dm:carol")[-1]
    assert export.attachments[0].endswith(".csv")
    _labels, *rows = list(csv.DictReader(io.StringIO(captured[0].decode("utf-8-sig"))))
    assert [r["form.name"] for r in rows] == ["张三", "李四", "王五"]
    assert rows[1]["form.phone"] == "13800000002" and "form.secret" not in rows[1]
    assert rows[0]["name_card"] == "张三-上海"


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_forgetme_removes_everything_of_that_member_through_the_core_hook(fake):
    await members(fake)
    await fake.say(":group second", "+alice")  # a pending form in a second group too
    assert await FormSession.filter(user_id="alice").count() == 2
    await fake.say(":group lobby")
    await fake.say("alice: /forgetme")
    assert "无法撤销" in fake.replies("dm:alice")[-1].text
    await fake.click("alice", "删除我的数据")
    assert "已删除" in fake.replies("dm:alice")[-1].text
    assert await Profile.filter(user_id="alice").count() == 0
    assert await FormSession.filter(user_id="alice").count() == 0
    assert await Profile.filter(user_id="bob").count() == 1  # nobody else's
    # The core forgot her account too: @alice no longer resolves, and nothing of hers shows.
    assert "张三" not in (await fake.say("dave: /whois @alice"))[0]
    assert "没有找到" in (await fake.say("dave: /find Python"))[0]


class OtherPluginData:
    """Another plugin's share of forgetting: it is asked too, in the member's language."""

    forgotten: list[tuple[str, str, str]] = []

    @hookimpl
    def bot_delete_user_data(self, platform: str, user_id: str, locale: str) -> str:
        self.forgotten.append((platform, user_id, locale))
        return "other: forgotten too"


other_plugin = Plugin("other_data")
other_plugin.hooks(OtherPluginData())


@pytest.mark.plugins("onboarding", other_plugin)
@pytest.mark.bot_config({"plugins": {"onboarding": {"gate": "restrict"}}})
async def test_forgetme_asks_every_plugin_and_shows_every_note(fake):
    await fake.join("alice")
    await fake.say("alice: /forgetme")
    out = await fake.click("alice", "删除我的数据")
    assert OtherPluginData.forgotten == [("console", "alice", "zh")]
    assert "other: forgotten too" in out[0] and "/form" in out[0]  # and onboarding's gate note


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config({"plugins": {"onboarding": {"retention_days": 30}}})
async def test_profiles_of_members_who_left_are_deleted_after_the_retention_period(fake):
    await onboard(fake, "alice", "张三", "某公司", "运营", "上海", "运营", "开发", "/skip")
    await onboard(fake, "bob", "李四", "某公司", "开发", "北京", "后端", "设计", "/skip")
    await fake.leave("alice")
    await fake.wait("29d")
    assert await Profile.filter(user_id="alice").exists()
    await fake.wait("2d")
    assert not await Profile.filter(user_id="alice").exists()
    assert await Profile.filter(user_id="bob").exists()


@pytest.mark.plugins("onboarding")
async def test_rows_keep_the_group_key_when_the_group_changes_id(bot_app, fake):
    # The core migrates the group (a Telegram supergroup upgrade): no onboarding row moves, and
    # the directory is the same group's.
    await onboard(fake, "alice", "张三", "某公司", "运营", "上海", "运营", "开发", "/skip")
    assert await bot_app.migrate_guild("console", "lobby", "lobby2")
    assert await Profile.filter(user_id="alice", guild_id="lobby").exists()
    assert await WelcomeState.filter(guild_id="lobby").exists()
    assert "张三-某公司-运营-上海" in (await fake.say("bob: /whois @alice"))[0]


@pytest.mark.plugins("onboarding")
@pytest.mark.bot_config(VISIBILITY)
async def test_directory_export_quotes_formulas_in_names_and_name_cards_too(fake):
    # Display names and answers are the members' own text: none may start a spreadsheet formula.
    await onboard(fake, "alice", '=HYPERLINK("http://evil.example","x")', "上海", "开发", "1", "无")
    await onboard(fake, "bob", "\t=1+1", "北京", "运营", "2", "无")
    await Profile.filter(user_id="bob").update(user_name="@SUM(1+1)")
    fake.admin("carol")
    captured: list[bytes] = []
    console = fake.console
    original = console.send_private

    async def keep(user_id, message):
        captured.extend(a.data for a in message.attachments)
        return await original(user_id, message)

    console.send_private = keep
    await fake.say("carol: /directory export")
    header, _labels, *rows = list(csv.reader(io.StringIO(captured[0].decode("utf-8-sig"))))
    for row in rows:
        for column, value in zip(header, row, strict=True):
            assert value[:1] not in ("=", "+", "-", "@", "\t", "\r"), (column, value)
    assert rows[0][2] == "'" + '=HYPERLINK("http://evil.example","x")-上海'  # the name card
    assert rows[1][1] == "'@SUM(1+1)"  # the display name
