"""Checking in, rewards, milestones, make-up cards, the reminder switch and bad arguments; a day
and its points change commit together."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import GroupRef, MemberRef
from plugins.checkin.models import CheckIn, CheckinMember
from plugins.points import Points

POINTS = {"activity_points": "none", "announce_level_up": False}
pytestmark = [pytest.mark.plugins("checkin"), pytest.mark.bot_config({"plugins": {"points": POINTS}})]
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def balance(fake, user, group="lobby"):
    member = MemberRef("console", user, GroupRef("console", group, group))
    return await fake.app.scope("points").service(Points).balance(member)


async def at(fake, year, month, day, hour=9, minute=0):
    fake.clock.set(datetime(year, month, day, hour, minute, tzinfo=SHANGHAI))


async def test_checkin_reply_shows_place_streak_points_and_next_milestone(fake):
    [first] = await fake.say("alice: /checkin")
    assert "今日第 1 名" in first and "连续签到 1 天" in first and "最长 1 天" in first
    assert "+20 积分" in first and "距离 7 天里程碑还差 6 天" in first
    [second] = await fake.say("bob: 签到")
    assert "今日第 2 名" in second and "+15 积分" in second
    assert await balance(fake, "alice") == 20 and await balance(fake, "bob") == 15


async def test_second_checkin_the_same_day_says_so_and_pays_nothing(fake):
    await fake.say("alice: 签到")
    for again in ("alice: /checkin", "alice: 打卡", "alice: CheckIn"):
        [reply] = await fake.say(again)
        assert "今天已经签到过了" in reply and "今日第 1 名" in reply
    assert await balance(fake, "alice") == 20


async def test_plain_words_must_stand_alone(fake):
    assert await fake.say("alice: 我去签到了", "alice: 签到吗") == []
    assert await balance(fake, "alice") == 0


async def test_english_reply(fake):
    await fake.say(":locale en")
    [reply] = await fake.say("alice: checkin")
    assert "#1 today" in reply and "Streak 1 day ·" in reply and "+20 points" in reply


@pytest.mark.bot_config(
    {
        "plugins": {
            "points": POINTS,
            "checkin": {
                "words": ["签到"],
                "groups": {"console:lobby": {"words": ["报到"], "base_points": 3, "first_bonuses": []}},
            },
        }
    }
)
async def test_words_and_rewards_can_differ_per_group(fake):
    assert await fake.say("alice: 签到") == []
    [reply] = await fake.say("alice: 报到")
    assert "+3 积分" in reply
    await fake.say(":group other")
    assert await fake.say("alice: 报到") == []
    [reply] = await fake.say("alice: 签到")
    assert "+20 积分" in reply


async def test_streak_grows_breaks_and_longest_is_kept(fake):
    replies = []
    for day in (2, 3, 4, 6, 7):
        await at(fake, 2026, 3, day)
        replies += await fake.say("alice: /checkin")
    assert "连续签到 3 天 · 最长 3 天" in replies[2]
    assert "+24 积分" in replies[2]  # 10 + streak 2*2 + first 10
    assert "连续签到 1 天 · 最长 3 天" in replies[3]
    assert "连续签到 2 天 · 最长 3 天" in replies[4]


async def test_a_checkin_counts_for_the_day_it_was_sent_in_the_groups_timezone(fake):
    fake.admin("alice")
    await fake.say("alice: /timezone America/New_York")
    new_york = ZoneInfo("America/New_York")
    fake.clock.set(datetime(2026, 3, 2, 23, 59, 50, tzinfo=new_york))
    await fake.say("alice: /checkin")
    fake.clock.set(datetime(2026, 3, 3, 0, 0, 10, tzinfo=new_york))
    [reply] = await fake.say("alice: /checkin")
    assert "连续签到 2 天" in reply  # 04:59 and 05:00 UTC: two local days


@pytest.mark.bot_config(
    {
        "plugins": {
            "points": POINTS,
            "checkin": {
                "base_points": 1, "streak_step": 0, "first_bonuses": [], "milestones": {"3": 100, "5": 7}
            },
        }
    }
)
async def test_milestones_are_paid_once_each(fake):
    replies = []
    for day in (2, 3, 4, 6, 7, 8, 9, 10):
        await at(fake, 2026, 3, day)
        replies += await fake.say("alice: /checkin")
    # The points line adds up to the total, the milestone included.
    assert "+101 积分（签到 1 + 3 天里程碑 100）" in replies[2] and "达成连续 3 天里程碑！" in replies[2]
    assert "距离 5 天里程碑还差 2 天" in replies[2]
    # The streak broke and reached 3 again (replies[5]): no second payment; 5 is new.
    assert "里程碑！" not in replies[5] and "+1 积分" in replies[5]
    assert "达成连续 5 天里程碑" in replies[7]
    assert not any("里程碑还差" in r for r in replies[7:])
    assert await balance(fake, "alice") == 8 + 100 + 7


async def test_first_three_of_the_day_get_the_bonus(fake):
    gained = []
    for name in ("a1", "a2", "a3", "a4"):
        [reply] = await fake.say(f"{name}: 签到")
        gained.append(int(re.search(r"\+(\d+) 积分", reply)[1]))
    assert gained == [20, 15, 13, 10]


def fail_after(points, method, monkeypatch):
    """Make the check-in plugin's ``points.<method>`` do its work, then fail (as if what came
    after it in the transaction had failed)."""
    real = getattr(points, method)

    async def failing(*args, **kwargs):
        await real(*args, **kwargs)
        raise RuntimeError(f"injected: {method} failed")

    monkeypatch.setattr(points, method, failing)


@pytest.mark.both_databases
class TestADayAndItsPointsCommitTogether:
    """A failure after the points change (the change done, the transaction not committed)."""

    async def test_a_failed_payment_records_no_day_and_the_member_can_check_in_again(
        self, fake, monkeypatch
    ):
        await at(fake, 2026, 3, 2)
        await fake.say("alice: /checkin")
        await at(fake, 2026, 3, 3)
        points = fake.app.scope("checkin").service(Points)
        with monkeypatch.context() as patch:
            fail_after(points, "earn", patch)
            replies = await fake.say("alice: /checkin", "alice: 签到")
        assert not any("签到成功" in r or "已经签到过了" in r for r in replies)
        # Neither the day, nor its streak, nor its points: the whole check-in was rolled back.
        assert await CheckIn.filter(user_id="alice").count() == 1
        member = await CheckinMember.get(user_id="alice")
        assert (member.streak, member.total, str(member.last_day)) == (1, 1, "2026-03-02")
        assert await balance(fake, "alice") == 20
        [reply] = await fake.say("alice: 签到")
        assert "签到成功" in reply and "今日第 1 名" in reply and "连续签到 2 天" in reply
        assert await balance(fake, "alice") == 20 + 22

    async def test_a_failed_charge_leaves_the_missed_day_missed(self, fake, monkeypatch):
        await at(fake, 2026, 3, 2)
        await fake.say("alice: /checkin")
        await at(fake, 2026, 3, 4)
        await fake.say("alice: /checkin")
        await rich_alice(fake, 100)
        money = await balance(fake, "alice")
        with monkeypatch.context() as patch:
            fail_after(fake.app.scope("checkin").service(Points), "spend", patch)
            replies = await fake.say("alice: /checkin makeup 2026-03-03")
        assert not any("已补签" in r for r in replies)
        assert not await CheckIn.filter(user_id="alice", day="2026-03-03").exists()
        assert await balance(fake, "alice") == money
        [reply] = await fake.say("alice: /checkin makeup 2026-03-03")
        assert "已补签" in reply and "连续签到 3 天" in reply
        assert await balance(fake, "alice") == money - 50


# -- make-up cards -----------------------------------------------------------------------------


async def rich_alice(fake, points=200):
    fake.admin("admin")
    await fake.say("alice: hello")  # known to the roster, so @alice resolves
    before = await balance(fake, "alice")
    await fake.say(f"admin: /points give @alice {points}")
    assert await balance(fake, "alice") == before + points


async def test_makeup_restores_the_streak(fake):
    for day in (2, 3, 5):
        await at(fake, 2026, 3, day)
        await fake.say("alice: /checkin")
    await rich_alice(fake, 100)
    before = await balance(fake, "alice")
    [reply] = await fake.say("alice: /checkin makeup 2026-03-04")
    assert "已补签 2026-03-04，花费 50 积分" in reply and "连续签到 4 天 · 最长 4 天" in reply
    assert await balance(fake, "alice") == before - 50
    await at(fake, 2026, 3, 6)
    [reply] = await fake.say("alice: /checkin")
    assert "连续签到 5 天" in reply
    [stats] = await fake.say("alice: /checkin stats")
    assert " 2*  3*  4+  5*  6* " in stats
    assert "本月 5 天 · 累计 5 天 · 当前连续 5 天 · 最长 5 天" in stats


async def test_makeup_of_yesterday_keeps_a_streak_alive_before_todays_checkin(fake):
    await at(fake, 2026, 3, 2)
    await fake.say("alice: /checkin")
    await at(fake, 2026, 3, 4)
    await rich_alice(fake)
    [reply] = await fake.say("alice: /checkin makeup 2026-03-03")
    assert "连续签到 2 天" in reply
    [reply] = await fake.say("alice: /checkin")
    assert "连续签到 3 天" in reply


async def test_makeup_rules(fake):
    await at(fake, 2026, 3, 10)
    await fake.say("alice: /checkin")
    await rich_alice(fake)
    money = await balance(fake, "alice")
    [reply] = await fake.say("alice: /checkin makeup 2026-03-02")
    assert "太久了" in reply and "最近 7 天" in reply and "2026-03-03" in reply
    [reply] = await fake.say("alice: /checkin makeup 2026-03-10")
    assert "直接发送 /签到" in reply
    [reply] = await fake.say("alice: /checkin makeup 2026-03-11")
    assert "还没到" in reply
    [reply] = await fake.say("alice: /checkin makeup 2026-02-30")
    assert reply.startswith("“2026-02-30”不是有效日期")
    assert await balance(fake, "alice") == money
    await at(fake, 2026, 3, 10, 10)  # a fresh rate-limit window
    [reply] = await fake.say("alice: /checkin makeup 2026-03-03")
    assert "已补签" in reply
    [reply] = await fake.say("alice: /checkin makeup 2026-03-03")
    assert "已经签到过了，不需要补签" in reply
    assert await balance(fake, "alice") == money - 50


async def test_makeup_without_enough_points_changes_nothing(fake):
    await at(fake, 2026, 3, 2)
    await fake.say("alice: /checkin")
    await at(fake, 2026, 3, 4)
    await fake.say("alice: /checkin")
    [reply] = await fake.say("alice: /checkin makeup 2026-03-03")
    assert "积分不足：补签需要 50 积分，你现在有 40 积分" in reply
    assert await balance(fake, "alice") == 40
    [stats] = await fake.say("alice: /checkin stats")
    assert " 3 " in stats and "3+" not in stats and "当前连续 1 天" in stats
    # Once she can pay, the same day can still be made up.
    await rich_alice(fake, 10)
    [reply] = await fake.say("alice: /checkin makeup 2026-03-03")
    assert "已补签" in reply and "连续签到 3 天" in reply


@pytest.mark.bot_config({"plugins": {"points": POINTS, "checkin": {"makeup_days": 0}}})
async def test_makeup_can_be_turned_off(fake):
    [reply] = await fake.say("alice: /checkin makeup 2026-03-01")
    assert "没有开启补签" in reply


@pytest.mark.bot_config({"plugins": {"points": POINTS, "checkin": {"makeup_cost": 30, "makeup_days": 2}}})
async def test_makeup_window_and_cost_are_configurable(fake):
    await at(fake, 2026, 3, 10)
    await rich_alice(fake, 30)
    [reply] = await fake.say("alice: /checkin makeup 2026-03-07")
    assert "最近 2 天" in reply
    [reply] = await fake.say("alice: /checkin makeup 2026-03-08")
    assert "花费 30 积分" in reply and "余额 0" in reply


# -- reminder switch, bad arguments --------------------------------------------------------------


async def test_remind_switch(fake):
    [reply] = await fake.say("alice: /checkin remind off")
    assert "不再提醒" in reply
    assert (await CheckinMember.get(user_id="alice")).remind is False
    [reply] = await fake.say("alice: /checkin remind on")
    assert "会提醒你" in reply
    assert (await CheckinMember.get(user_id="alice")).remind is True


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/checkin makeup", "/签到 补签 <日期>"),
        ("/checkin makeup 2026-03-01 2026-03-02", "/签到 补签 <日期>"),
        ("/checkin remind", "/签到 提醒 <开|关>"),
        ("/checkin remind maybe", "/签到 提醒 <开|关>"),
    ],
)
async def test_bad_arguments_get_the_usage_and_change_nothing(fake, line, expected):
    [reply] = await fake.say(f"alice: {line}")
    assert expected in reply
    assert await CheckinMember.filter(user_id="alice").count() == 0
    assert await balance(fake, "alice") == 0


async def test_checkin_in_private_chat_is_refused(fake):
    [reply] = await fake.say("alice@dm: /checkin")
    assert "/签到" in reply and "群里" in reply and "签到成功" not in reply


async def test_stats_before_any_checkin(fake):
    [stats] = await fake.say("alice: /checkin stats")
    assert "本月 0 天 · 累计 0 天" in stats


async def test_checkin_at_a_day_boundary_advancing_the_clock(fake):
    await at(fake, 2026, 3, 2, 23, 59)
    await fake.say("alice: /checkin")
    await fake.wait(timedelta(minutes=2))
    [reply] = await fake.say("alice: /checkin")
    assert "连续签到 2 天" in reply
