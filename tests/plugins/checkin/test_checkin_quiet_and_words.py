"""What a Chinese group of 500 notices about check-ins: the plain words as input methods type
them (and never chat XP too), the reply before the level-up it caused and adding up, who left
off the boards and rates, reasons in the group's language, make-up by 昨天, the stats count,
and quiet mode (short replies removed later, level-ups only with a new title, a morning
summary instead of a reply each)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot import GroupRef, MemberRef
from plugins.points import Points
from plugins.stats.models import StatsHour
from plugins.stats.service import Stats

POINTS = {"activity_points": "none", "announce_level_up": False}
pytestmark = [pytest.mark.plugins("checkin"), pytest.mark.bot_config({"plugins": {"points": POINTS}})]
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Message XP on (20 a message), and levels every 15 XP with a new title at level 2.
XP = {"xp_min": 20, "xp_max": 20, "curve": "table", "table": [15, 30, 45, 60],
      "titles": [{"level": 0, "zh": "新人", "en": "Newcomer"}, {"level": 2, "zh": "常客", "en": "Regular"}]}


async def balance(fake, user, group="lobby"):
    member = MemberRef("console", user, GroupRef("console", group, group))
    return await fake.app.scope("points").service(Points).balance(member)


def at(fake, day, hour=9, minute=0):
    fake.clock.set(datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI))


# -- 17.6: a check-in word is a check-in, never chat XP ------------------------------------------
@pytest.mark.bot_config({"plugins": {"points": {"xp_min": 20, "xp_max": 20, "announce_level_up": False}}})
@pytest.mark.parametrize("word", ["checkin", "签到！", "Ｃｈｅｃｋｉｎ.", "打卡~", "CheckIn!!"])
async def test_a_plain_checkin_word_pays_the_checkin_only(fake, word):
    [reply] = await fake.say(f"alice: {word}")
    assert "签到成功" in reply and "+20 积分" in reply
    assert await balance(fake, "alice") == 20  # the check-in's 20, no message XP on top
    await fake.clock.advance(120)
    await fake.say("alice: and now a real message")
    assert await balance(fake, "alice") == 40


# -- 17.7: the reply first, and it adds up -------------------------------------------------------
@pytest.mark.bot_config({"plugins": {"points": {**XP, "activity_points": "none"}}})
async def test_the_checkin_reply_comes_before_the_level_up_it_caused(fake):
    out = await fake.play(["alice: 签到"])
    assert [o.text for o in out][0].startswith("✅ alice 签到成功")
    assert "升到了 1 级" in out[1].text


# -- 17.5: who left is not on the board or in the rate --------------------------------------------
async def test_who_left_is_off_the_streak_board_and_out_of_the_rate(fake):
    at(fake, 2)
    await fake.say("alice: 签到", "bob: 签到", "carol: hi there")
    at(fake, 3)
    await fake.say("alice: 签到", "bob: 签到", "-bob")
    [board] = await fake.say("carol: /checkin top")
    assert "bob" not in board and "1. alice — 连续 2 天" in board
    [rate] = await fake.say("carol: /checkin rate")
    assert "今日签到率 50%（1/2 名" in rate  # alice of alice and carol; bob left


# -- 17.9: reasons in the reader's language ------------------------------------------------------
async def test_points_history_says_what_each_checkin_paid_for_in_the_readers_language(fake):
    at(fake, 2)
    await fake.say("alice: 签到")
    [zh] = await fake.say("alice: /积分 记录")
    assert zh.splitlines()[1] == "03-02 09:00  +20 （+20 经验）  获得 · 签到 2026-03-02（连续 1 天）"
    [en] = await fake.say(":locale en", "alice: /points history")
    assert en.splitlines()[1] == "03-02 09:00  +20 (+20 XP)  earned · check-in 2026-03-02 (streak 1 day)"
    fake.admin("alice")
    [export] = await fake.play([":locale zh", "alice: /积分 导出"])
    ledger = export.files[1].read_text("utf-8-sig")
    assert "签到 2026-03-02（连续 1 天）" in ledger and "i18n:" not in ledger


# -- 17.12 / 15: make-up by 昨天 or 12-04 --------------------------------------------------------
async def test_makeup_takes_the_days_members_write(fake):
    at(fake, 2)
    await fake.say("alice: 签到")
    at(fake, 5)
    await fake.say("alice: 签到")
    await fake.app.scope("checkin").service(Points).earn(
        MemberRef("console", "alice", GroupRef("console", "lobby", "lobby")), 200, key="gift",
        reason="gift",
    )
    [yesterday] = await fake.say("alice: /签到 补签 昨天")
    assert yesterday.startswith("🩹 已补签 2026-03-04，花费 50 积分")
    [by_day] = await fake.say("alice: /checkin makeup 3-3")
    assert by_day.startswith("🩹 已补签 2026-03-03") and "连续签到 4 天" in by_day


# -- the stats plugin counts check-ins through its hook ------------------------------------------
@pytest.mark.plugins("checkin", "stats")
async def test_each_checkin_is_counted_by_the_stats_plugin(fake):
    await fake.say("alice: 签到", "bob: /checkin", "alice: 签到")  # the second one pays nothing
    await fake.app.scope("stats").service(Stats).flush()
    assert sum(await StatsHour.all().values_list("checkins", flat=True)) == 2


# -- 17.16: quiet mode ---------------------------------------------------------------------------
async def test_quiet_mode_is_for_admins_and_shortens_and_removes_replies(fake):
    fake.admin("alice")
    refused = await fake.play(["bob: /checkin quiet on"])
    assert [o.channel for o in refused] == ["dm:bob"]
    [on] = await fake.say("alice: /签到 安静 开")
    assert on.splitlines() == [
        "🤫 已开启安静模式：每次签到只回复一行，升级只在获得新头衔时公布。",
        "签到回复会在 60 秒后自动删除。",
    ]
    [short] = await fake.play(["bob: 签到"])
    assert short.text == "✅ bob 今日第 1 名 · 连签 1 天 · +20 积分"
    await fake.wait("30s")
    assert not short.deleted
    await fake.wait("1m")
    assert short.deleted
    await fake.say("alice: /checkin quiet off")
    [full] = await fake.say("carol: 签到")
    assert len(full.splitlines()) == 4


@pytest.mark.bot_config({"plugins": {"points": {**XP, "activity_points": "none"},
                                     "checkin": {"quiet": True, "base_points": 15}}})
async def test_a_quiet_group_hears_of_a_level_up_only_with_a_new_title(fake):
    at(fake, 2)
    first = await fake.play(["alice: 签到"])  # 25 XP: level 1, still 新人
    assert len(first) == 1
    at(fake, 3)
    second = await fake.play(["alice: 签到"])  # 52 XP: level 3, 常客
    assert "常客" in second[1].text


@pytest.mark.bot_config({"plugins": {"points": {**XP, "activity_points": "none"},
                                     "checkin": {"base_points": 15}}})
async def test_the_groups_own_quiet_choice_decides_which_level_ups_are_announced(fake):
    # The config says talkative; the group's admins chose quiet, then talkative again.
    fake.admin("alice")
    await fake.say("alice: /checkin quiet on")
    at(fake, 2)
    assert len(await fake.play(["bob: 签到"])) == 1  # level 1, still 新人: not announced
    await fake.say("alice: /checkin quiet off")
    at(fake, 3)
    replies = await fake.play(["bob: 签到"])  # level 3, 常客
    assert len(replies) == 2 and "常客" in replies[1].text
    at(fake, 4)
    assert len(await fake.play(["bob: 签到"])) == 2  # level 4, still 常客: announced all the same


@pytest.mark.bot_config({"plugins": {"points": POINTS,
                                     "checkin": {"quiet": True, "quiet_summary_at": "10:00"}}})
async def test_a_quiet_group_gets_one_morning_summary_instead_of_a_reply_each(fake):
    at(fake, 2, 8)
    assert await fake.say("alice: 签到", "bob: 签到") == []
    assert await balance(fake, "alice") == 20  # recorded and paid, only not answered
    [summary] = [o.text for o in await fake.wait("2h")]
    assert summary.splitlines() == ["☀️ 今早签到（2 人）：", "1. alice · 连签 1 天", "2. bob · 连签 1 天"]
    [late] = await fake.say("carol: 签到")
    assert late.startswith("✅ carol 今日第 3 名")
