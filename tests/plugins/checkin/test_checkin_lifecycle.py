"""A group that changes id (a Telegram group upgraded to a supergroup): check-ins, streaks and
places move to the new id, merged with what members did there before the migration notice."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from plugins.checkin.models import CheckIn, CheckinMember

P, OLD, NEW = "console", "lobby", "-100777"
POINTS = {"activity_points": "none", "announce_level_up": False}
pytestmark = [pytest.mark.plugins("checkin"), pytest.mark.bot_config({"plugins": {"points": POINTS}})]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(params=["sqlite", "postgres"])
def bot_database_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return "sqlite://:memory:"
    return request.getfixturevalue("pg_url")


async def test_a_migrated_group_keeps_streaks_and_merges_checkins_seen_under_the_new_id(fake):
    for day in (2, 3):
        fake.clock.set(datetime(2026, 3, day, 9, tzinfo=SHANGHAI))
        await fake.say(f":group {OLD}", "alice: 签到")
    # Day 4: alice checks in first in the new group, bob and alice (again) in the old one.
    fake.clock.set(datetime(2026, 3, 4, 9, tzinfo=SHANGHAI))
    await fake.say(f":group {NEW}", "alice: 签到")
    fake.clock.set(datetime(2026, 3, 4, 9, 5, tzinfo=SHANGHAI))
    await fake.say(f":group {OLD}", "bob: 签到", "alice: 签到")

    assert await fake.app.migrate_guild(P, OLD, NEW) is True

    for model in (CheckIn, CheckinMember):
        assert await model.filter(platform=P, guild_id=OLD).count() == 0
    # One check-in per member and day; the day's places are exact again, in the order sent.
    rows = await CheckIn.filter(platform=P, guild_id=NEW, day="2026-03-04").order_by("place").values_list(
        "user_id", "place"
    )
    assert rows == [("alice", 1), ("bob", 2)]
    alice = await CheckinMember.get(platform=P, guild_id=NEW, user_id="alice")
    assert (alice.streak, alice.longest, alice.total) == (3, 3, 3)
    [reply] = await fake.say(f":group {NEW}", "alice: 签到")
    assert "今天已经签到过了" in reply and "连续 3 天" in reply
    fake.clock.set(datetime(2026, 3, 5, 9, tzinfo=SHANGHAI))
    [reply] = await fake.say("alice: 签到")
    assert "连续签到 4 天" in reply
