"""Leaderboard, rates, the league between groups, and the evening reminder."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from plugins.checkin.models import CheckinReminder

POINTS = {"activity_points": "none", "announce_level_up": False}
CONFIG = {"bot": {"owners": ["console:boss"]}, "plugins": {"points": POINTS}}
pytestmark = [pytest.mark.plugins("checkin"), pytest.mark.bot_config(CONFIG)]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(fake, day, hour=9, minute=0, tz=SHANGHAI):
    fake.clock.set(datetime(2026, 3, day, hour, minute, tzinfo=tz))


async def streaks(fake, plan):
    """plan: user -> days of March they check in on (in this order of days)."""
    for day in sorted({d for days in plan.values() for d in days}):
        at(fake, day)
        for user, days in plan.items():
            if day in days:
                await fake.say(f"{user}: 签到")


async def test_top_ranks_living_streaks(fake):
    await streaks(fake, {"alice": [1, 2, 3, 4], "bob": [2, 3, 4, 5], "carol": [1, 2, 3], "dave": [5]})
    at(fake, 5, 12)
    [reply] = await fake.say("dave: /checkin top")
    lines = reply.splitlines()
    # carol's streak ended on the 3rd: not living any more.
    assert lines[1:] == [
        "1. alice — 连续 4 天（最长 4 天）",
        "2. bob — 连续 4 天（最长 4 天）",
        "3. dave — 连续 1 天（最长 1 天）",
    ]
    assert "carol" not in reply


async def test_top_when_nobody_has_a_streak(fake):
    [reply] = await fake.say("alice: /checkin top")
    assert "还没有人" in reply


async def test_rate_today_and_over_seven_days(fake):
    at(fake, 1)
    await fake.say("alice: hi", "bob: hi", "carol: hi", "dave: hi")  # four active members
    await streaks(fake, {"alice": [2, 3, 4, 5, 6, 7, 8], "bob": [8]})
    at(fake, 8, 20)
    [reply] = await fake.say("carol: /checkin rate")
    assert "今日签到率 50%（2/4" in reply
    assert "近 7 天平均 29%" in reply  # 8 check-ins / (7 days * 4 members)


async def test_rate_counts_only_recently_active_members(fake):
    at(fake, 1)
    await fake.say("ghost: hi")
    at(fake, 31, 12)  # 30 days and 3 hours later
    await fake.say("alice: 签到")
    [reply] = await fake.say("alice: /checkin rate")
    assert "今日签到率 100%（1/1" in reply


async def test_league_ranks_groups_by_rate_for_admins_and_owners(fake):
    at(fake, 3)
    await fake.say(":group lobby", "a: hi", "b: hi", "c: hi", "a: 签到")  # 1/3
    await fake.say(":group class-2", "d: hi", "e: hi", "d: 签到", "e: 签到")  # 2/2
    await fake.say(":group class-3", "f: hi", "g: hi", "f: 签到")  # 1/2
    await fake.say(":group empty")  # no active members: not ranked
    await fake.say(":group lobby")
    [refused] = await fake.say("a: /checkin league")
    assert "管理员" in refused
    [reply] = await fake.say("boss@dm: /checkin league")
    lines = reply.splitlines()
    assert [line.split(" — ")[0] for line in lines[1:]] == ["1. class-2", "2. class-3", "3. lobby"]
    assert "今日 100%（2/2）" in lines[1] and "今日 33%（1/3）" in lines[3]
    fake.admin("a")
    [reply] = await fake.say("a: /checkin league")
    assert "👉 3. lobby" in reply


async def test_league_uses_each_groups_own_day(fake):
    fake.admin("a")
    await fake.say(":group ny")
    fake.admin("n")
    await fake.say("n: /timezone America/New_York")
    # 2026-03-03 08:00 in Shanghai = 2026-03-02 19:00 in New York.
    at(fake, 2, 19, tz=ZoneInfo("America/New_York"))
    await fake.say("n: 签到")
    await fake.say(":group lobby", "a: 签到")
    [reply] = await fake.say("a: /checkin league")
    assert "今日 100%（1/1）" in reply.splitlines()[1] and "今日 100%（1/1）" in reply.splitlines()[2]


# -- the reminder --------------------------------------------------------------------------------


async def test_reminder_names_members_whose_streak_is_at_risk(fake):
    await streaks(fake, {"alice": [1, 2, 3], "bob": [3], "carol": [1, 2, 3], "dave": [1, 2, 3, 4]})
    at(fake, 3, 12)
    await fake.say("carol: /checkin remind off")
    at(fake, 4, 20, 59)
    assert await fake.run_job("checkin.remind") == []  # before 21:00
    at(fake, 4, 21)
    [out] = await fake.run_job("checkin.remind")
    assert "@alice（3 天）" in out.text
    assert "bob" not in out.text and "carol" not in out.text and "dave" not in out.text
    at(fake, 4, 21, 30)
    assert await fake.run_job("checkin.remind") == []  # once a day


async def test_reminder_is_silent_when_nobody_is_at_risk(fake):
    await streaks(fake, {"alice": [1, 2, 3, 4]})
    at(fake, 4, 21)
    assert await fake.run_job("checkin.remind") == []


async def test_reminder_runs_on_schedule_in_the_groups_timezone(fake):
    fake.admin("admin")
    await fake.say("admin: /timezone Australia/Lord_Howe")
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    for day in (1, 2, 3):
        fake.clock.set(datetime(2026, 3, day, 9, tzinfo=lord_howe))
        await fake.say("alice: 签到")
    fake.clock.set(datetime(2026, 3, 4, 20, 50, tzinfo=lord_howe))
    before = await fake.wait(timedelta(minutes=5))
    assert before == []
    after = await fake.wait(timedelta(minutes=10))
    assert len(after) == 1 and "@alice" in after[0].text
    assert await fake.wait(timedelta(hours=2)) == []


@pytest.mark.bot_config(
    {"plugins": {"points": POINTS, "checkin": {"remind_max_names": 1, "remind_at": "22:15"}}}
)
async def test_reminder_gives_a_count_in_large_groups_at_the_configured_time(fake):
    await streaks(fake, {"alice": [1, 2, 3], "bob": [1, 2, 3]})
    at(fake, 4, 22)
    assert await fake.run_job("checkin.remind") == []
    at(fake, 4, 22, 30)
    [out] = await fake.run_job("checkin.remind")
    assert "有 2 位成员" in out.text and "alice" not in out.text


# A reminder is worth posting while the streaks it names can still be saved: at its time, or
# as soon as the bot is back the same evening; never the morning after.


async def test_a_day_long_wait_stops_at_the_reminder_and_posts_it_at_its_time(fake):
    await streaks(fake, {"alice": [1, 2, 3]})
    at(fake, 4, 9)
    out = await fake.wait("1d")
    assert [o.text for o in out if "@alice（3 天）" in o.text] == [out[0].text] and len(out) == 1
    reminder = await CheckinReminder.get(day="2026-03-04")
    assert reminder.at.astimezone(SHANGHAI) == datetime(2026, 3, 4, 21, tzinfo=SHANGHAI)
    # The day after: alice's streak is over, nobody is reminded.
    assert await fake.wait("1d") == []


async def test_a_reminder_missed_while_down_is_posted_when_back_the_same_evening(fake):
    await streaks(fake, {"alice": [1, 2, 3]})
    at(fake, 4, 21, 40)  # down from before 21:00 until now
    [out] = await fake.wait(timedelta(minutes=1))
    assert "@alice" in out.text
    assert await fake.wait(timedelta(hours=1)) == []


async def test_a_reminder_missed_while_down_is_not_posted_the_morning_after(fake):
    await streaks(fake, {"alice": [1, 2, 3]})
    at(fake, 5, 8)  # down from before 21:00 on the 4th until the next morning
    assert await fake.wait(timedelta(minutes=1)) == []
    assert await CheckinReminder.all().count() == 0


async def test_members_who_left_are_not_reminded(fake):
    await streaks(fake, {"alice": [1, 2, 3]})
    await fake.say("-alice")
    at(fake, 4, 21)
    assert await fake.run_job("checkin.remind") == []


async def bot_joined_now(fake, group):
    # The core stamps a group's created_at with the host's clock; the test's clock is in
    # March 2026, so the group's arrival is set to the test's now (and the core's cached row
    # of the group forgotten).
    from bot.storage.models import GuildSettings

    assert await GuildSettings.filter(name=group).update(created_at=fake.clock.now()) == 1
    fake.app._runtime.roster.forget_caches()


async def test_a_new_groups_seven_day_rate_counts_only_its_days(fake):
    at(fake, 5)
    await fake.say("alice: hi", "bob: hi", "alice: 签到")
    await bot_joined_now(fake, "lobby")
    at(fake, 6, 20)
    await fake.say("alice: 签到", "bob: 签到")
    [reply] = await fake.say("bob: /checkin rate")
    assert "近 7 天平均 75%" in reply  # 3 check-ins / (2 days * 2 members), not / 7 days


async def test_league_does_not_rank_a_new_group_down_for_days_it_did_not_exist(fake):
    await fake.say(":group old")
    await streaks(fake, {"a": [1, 2, 3, 4, 5, 6, 7], "b": [7]})  # 8 / (7 * 2) = 57%
    at(fake, 6)
    await fake.say(":group new", "c: hi", "d: hi", "c: 签到")
    await bot_joined_now(fake, "new")
    at(fake, 7, 10)
    await fake.say("c: 签到", "d: 签到")  # 3 / (2 * 2) = 75%
    [reply] = await fake.say("boss@dm: /checkin league")
    lines = reply.splitlines()
    assert [line.split(" — ")[0] for line in lines[1:]] == ["1. new", "2. old"]
    assert "75%" in lines[1] and "57%" in lines[2]
