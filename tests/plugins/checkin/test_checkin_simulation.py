"""400 simulated days with random skips in three timezones, against a simple reference."""

import random
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import GroupRef, MemberRef
from plugins.points import Points

POINTS = {"activity_points": "none", "announce_level_up": False}
MILESTONES = {7: 50, 30: 200, 100: 1000, 365: 5000}
pytestmark = [pytest.mark.plugins("checkin"), pytest.mark.bot_config({"plugins": {"points": POINTS}})]
# Local times of day: just after midnight, in DST gaps and folds, noon, just before midnight.
TIMES = [time(0, 0, 0, 100_000), time(1, 30), time(2, 15), time(12, 0), time(23, 59, 59, 900_000)]


def reference_run(days: set[date], day: date) -> int:
    run = 0
    while day - timedelta(days=run) in days:
        run += 1
    return run


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York", "Australia/Lord_Howe"])
async def test_400_days_match_a_reference(fake, zone):
    fake.admin("admin")
    [reply] = await fake.say(f"admin: /timezone {zone}")
    assert zone in reply
    tz = ZoneInfo(zone)
    rng = random.Random(zone)
    checked: set[date] = set()
    longest = 0
    expected = 0
    paid: set[int] = set()
    start = date(2026, 1, 1)  # 400 days cross every DST change of 2026 both ways
    for offset in range(400):
        day = start + timedelta(days=offset)
        if rng.random() < 0.25:
            continue
        fake.clock.set(datetime.combine(day, rng.choice(TIMES), tzinfo=tz))
        place = 1
        if rng.random() < 0.3:
            await fake.say("bob: 签到")
            place = 2
        [reply] = await fake.say("alice: /checkin" if offset % 2 else "alice: 打卡")
        checked.add(day)
        streak = reference_run(checked, day)
        longest = max(longest, streak)
        assert f"今日第 {place} 名" in reply, (day, reply)
        assert f"连续签到 {streak} 天 · 最长 {longest} 天" in reply, (day, reply)
        gained = 10 + min(2 * (streak - 1), 20) + (10 if place == 1 else 5)
        for days, bonus in MILESTONES.items():
            if days <= streak and days not in paid:
                paid.add(days)
                gained += bonus
                assert f"达成连续 {days} 天里程碑" in reply
        assert int(re.search(r"\+(\d+) 积分", reply)[1]) == gained, (day, reply)
        expected += gained
    assert paid  # the random walk reached the 7-day milestone at least once
    alice = MemberRef("console", "alice", GroupRef("console", "lobby", "lobby"))
    assert await fake.app.scope("points").service(Points).balance(alice) == expected
