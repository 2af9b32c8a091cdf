"""A group that changes id and a member who asks to be forgotten.

The core keeps a group's key when the platform gives it a new id (a Telegram group upgraded to
a supergroup), and check-in rows are keyed by it: nothing moves, streaks go on.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from plugins.checkin.models import CheckIn, CheckinMember

P, OLD, NEW = "console", "lobby", "-100777"
POINTS = {"activity_points": "none", "announce_level_up": False}
CONFIG = {"bot": {"owners": ["console:boss"]}, "plugins": {"points": POINTS}}
pytestmark = [
    pytest.mark.plugins("checkin"), pytest.mark.bot_config(CONFIG),
    pytest.mark.both_databases,
]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(fake, day, hour=9):
    fake.clock.set(datetime(2026, 3, day, hour, tzinfo=SHANGHAI))


async def test_a_migrated_group_keeps_its_streaks_under_its_key(fake):
    for day in (2, 3):
        at(fake, day)
        await fake.say(f":group {OLD}", "alice: 签到", "bob: 签到")
    assert await fake.app.migrate_guild(P, OLD, NEW) is True
    at(fake, 4)
    [reply] = await fake.say(f":group {NEW}", "alice: 签到")
    assert "今日第 1 名" in reply and "连续签到 3 天" in reply
    # An update sent before the migration and delivered after it: the same group, the same day.
    [reply] = await fake.say(f":group {OLD}", "alice: 签到")
    assert "今天已经签到过了" in reply
    [reply] = await fake.say(f":group {NEW}", "bob: 签到")
    assert "今日第 2 名" in reply and "连续签到 3 天" in reply
    assert await CheckIn.filter(guild_id=NEW).count() == 0
    assert await CheckIn.filter(guild_id=OLD).count() == 6
    [top] = await fake.say("bob: /checkin top")
    assert top.splitlines()[1:] == ["1. alice — 连续 3 天（最长 3 天）", "2. bob — 连续 3 天（最长 3 天）"]
    [league] = await fake.say("boss@dm: /checkin league")
    assert "今日 100%（2/2）" in league


async def test_forgetting_a_member_deletes_their_days_and_streaks_everywhere(fake):
    at(fake, 2)
    await fake.say(f":group {OLD}", "alice: 签到", "bob: 签到", ":group other", "alice: 签到")
    await fake.say("alice@dm: /forgetme")
    await fake.click("alice", "删除我的数据")
    assert await CheckIn.filter(user_id="alice").count() == 0
    assert await CheckinMember.filter(user_id="alice").count() == 0
    assert await CheckIn.filter(user_id="bob").count() == 1
