"""Scheduled posts on the console: once per slot in each group's own timezone, across DST
changes, paused and resumed, the best hour from the stats plugin, bad specs refused."""

import contextlib
from datetime import UTC, datetime

import pytest

from bot.testing.driver import ChatDriver, make_app
from plugins.broadcast import plugin
from plugins.broadcast.models import Broadcast, Schedule
from plugins.stats import plugin as stats_plugin

FAST = {"rate_per_second": 1000, "group_gap_seconds": 0}
CONFIG = {"bot": {"owners": ["console:boss"], "locale": "en"}, "plugins": {"broadcast": FAST}}

pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(CONFIG)]


def posts(fake, group, text):
    return sum(o.text == text for o in fake.outputs if o.channel == group)


async def slots_of(schedule_id):
    """The UTC instants a schedule posted at (one broadcast per slot)."""
    rows = await Broadcast.filter(schedule_id=schedule_id).order_by("occurrence")
    return [row.occurrence for row in rows]


async def in_group(fake, name, admin="ann"):
    await fake.say(":locale en", f":group {name}", f"{admin}: hi")
    fake.admin(admin)


async def test_a_groups_daily_post_comes_once_a_day_and_can_be_paused(fake):
    await in_group(fake, "g1")  # 09:00 in Shanghai, a Monday
    [added] = await fake.say("ann: /schedule add daily 09:30 Morning reading")
    assert added == ("⏰ Scheduled post #1: every day at 09:30, to this group, in each group's own "
                     "time.\nNext: 2026-03-02 09:30 (this group's time).")
    await fake.wait("29m")
    assert posts(fake, "g1", "Morning reading") == 0
    await fake.wait("2m")
    assert posts(fake, "g1", "Morning reading") == 1
    await fake.run_job("broadcast.deliver")  # another look at the same minute: nothing more
    await fake.wait("23h58m")
    assert posts(fake, "g1", "Morning reading") == 1
    await fake.wait("2m")
    assert posts(fake, "g1", "Morning reading") == 2
    [listed] = await fake.say("ann: /schedule list")
    assert listed == "1 scheduled post:\n#1 every day at 09:30 · this group · Morning reading"
    assert await fake.say("ann: /schedule pause 1") == [
        "Scheduled post #1 paused (/schedule resume 1 resumes it)."
    ]
    await fake.wait("1d")
    assert posts(fake, "g1", "Morning reading") == 2
    assert "⏸ paused" in (await fake.say("ann: /schedule list"))[0]
    await fake.say("ann: /schedule resume 1")
    await fake.wait("23h58m")
    await fake.wait("2m")
    assert posts(fake, "g1", "Morning reading") == 3
    assert await fake.say("ann: /schedule remove 1") == ["Scheduled post #1 removed."]
    assert await fake.say("ann: /schedule list") == ["No scheduled posts here."]
    assert await fake.say("ann: /schedule remove 1") == [
        "There is no scheduled post #1 here (/schedule list shows them)."
    ]


@contextlib.asynccontextmanager
async def console_at(start):
    """A console bot whose clock starts at ``start`` (the fixture's starts in early March)."""
    app, console = make_app([plugin], CONFIG, start=start)
    await app.start()
    try:
        yield ChatDriver(app, console)
    finally:
        await app.stop()


async def test_across_the_spring_change_each_day_posts_once_at_its_local_time():
    async with console_at(datetime(2026, 3, 27, 12, 0, tzinfo=UTC)) as fake:
        await in_group(fake, "london")
        await fake.say("ann: /timezone Europe/London")
        await fake.say("ann: /schedule add daily 09:00 Nine", "ann: /schedule add daily 01:30 Half past one")
        for _ in range(4 * 24):
            await fake.wait("1h")
        # 09:00 London is 09:00 UTC before the change, 08:00 UTC after it.
        assert await slots_of(1) == [
            "2026-03-28T09:00", "2026-03-29T08:00", "2026-03-30T08:00", "2026-03-31T08:00",
        ]
        # 01:30 does not exist on the 29th: it comes at 02:00 BST (01:00 UTC), once.
        assert await slots_of(2) == [
            "2026-03-28T01:30", "2026-03-29T01:00", "2026-03-30T00:30", "2026-03-31T00:30",
        ]
        assert posts(fake, "london", "Half past one") == 4
        assert posts(fake, "london", "Nine") == 4


async def test_across_the_autumn_change_the_repeated_hour_posts_once():
    async with console_at(datetime(2026, 10, 23, 12, 0, tzinfo=UTC)) as fake:
        await in_group(fake, "london")
        await fake.say("ann: /timezone Europe/London")
        await fake.say("ann: /schedule add daily 09:00 Nine", "ann: /schedule add daily 01:30 Half past one")
        for _ in range(3 * 24):
            await fake.wait("1h")
        # 01:30 happens twice on the 25th (01:30 BST, then 01:30 GMT): posted the first time only.
        assert await slots_of(2) == ["2026-10-24T00:30", "2026-10-25T00:30", "2026-10-26T01:30"]
        assert await slots_of(1) == ["2026-10-24T08:00", "2026-10-25T09:00", "2026-10-26T09:00"]
        assert posts(fake, "london", "Half past one") == 3


async def test_an_hq_schedule_reaches_tagged_groups_at_their_own_eight(fake):
    await fake.say(":locale en", ":group hq", "boss: hi", "boss: /hq set")
    for name in ("shanghai", "london", "other"):
        await in_group(fake, name, f"lead_{name}")
    await fake.say(":group london", "lead_london: /timezone Europe/London", "lead_london: /groups tag study")
    await fake.say(":group shanghai", "lead_shanghai: /groups tag study")
    await fake.say(":group hq")
    fake.admin("boss")
    fake.clock.set(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))  # 20:00 in Shanghai
    [added] = await fake.say("boss: /schedule add study daily 08:00 Class at nine")
    assert "every day at 08:00, to tags: study" in added
    for _ in range(24):
        await fake.wait("1h")
    assert await slots_of(1) == ["2026-03-03T00:00", "2026-03-03T08:00"]
    assert posts(fake, "shanghai", "Class at nine") == 1
    assert posts(fake, "london", "Class at nine") == 1
    assert posts(fake, "other", "Class at nine") == 0
    assert posts(fake, "hq", "Class at nine") == 0
    [listed] = await fake.say("boss: /schedule list")
    assert "#1 every day at 08:00 · tags: study · Class at nine" in listed


async def test_a_slot_missed_while_the_bot_was_away_is_not_posted_late(fake):
    await in_group(fake, "g1")
    await fake.say("ann: /schedule add daily 09:30 Good morning")
    await fake.wait("3h")  # the first look after 09:30 comes at 12:00
    assert posts(fake, "g1", "Good morning") == 0
    await fake.wait("21h29m")
    await fake.wait("2m")
    assert posts(fake, "g1", "Good morning") == 1


async def test_best_without_stats_is_nine_and_bad_specs_are_refused(fake):
    await in_group(fake, "g1")
    usage = ("Write /schedule add daily 09:00 TEXT (or daily best, or cron 0 9 * * 1-5 TEXT); in HQ, "
             "tags first: /schedule add study daily 09:00 TEXT, or reply to an HQ message to repeat it.")
    bad_specs = ("dialy 09:00 hi", "daily 25:00 hi", "cron 0 9 * * 9 hi", "daily 09:00", "hello",
                 "cron * * * * * every minute", "*/5 * * * * every five minutes")
    for bad in bad_specs:
        assert await fake.say(f"ann: /schedule add {bad}") == [usage], bad
        await fake.wait("10s")  # not "too many commands"
    assert await Schedule.all().count() == 0
    assert "admin" in (await fake.say("eve: /schedule add daily 09:00 hi"))[0].lower()
    await fake.wait("1m")  # ann wrote many commands in a row
    [added] = await fake.say("ann: /schedule add daily best Topic of the day")
    assert "every day at the group's busiest hour" in added
    [added] = await fake.say("ann: /schedule add cron 0 12 * * 1-5 Lunch")
    assert "on the cron spec “0 12 * * 1-5”" in added and "Next: 2026-03-02 12:00" in added
    await fake.wait("3h")  # 12:01
    assert posts(fake, "g1", "Lunch") == 1
    await fake.wait("21h")  # 09:01 next day, Tuesday
    assert posts(fake, "g1", "Topic of the day") == 1
    assert await slots_of(1) == ["2026-03-03T01:00"]
    assert await slots_of(2) == ["2026-03-02T04:00"]


@pytest.mark.plugins(plugin, stats_plugin)
async def test_best_is_the_groups_busiest_hour_from_the_stats_plugin(fake):
    await in_group(fake, "g1")
    fake.clock.set(datetime(2026, 3, 2, 12, 5, tzinfo=UTC))  # 20:05 in Shanghai
    for n in range(6):
        await fake.say(f"member{n}: evening chat")
    fake.clock.set(datetime(2026, 3, 2, 13, 5, tzinfo=UTC))
    await fake.say("ann: /schedule add daily best Evening topic")
    await fake.wait("22h")  # 19:05 next day
    assert posts(fake, "g1", "Evening topic") == 0
    await fake.wait("1h")
    assert posts(fake, "g1", "Evening topic") == 1
    assert await slots_of(1) == ["2026-03-03T12:00"]


async def test_chinese_commands(fake):
    await fake.say(":locale zh", ":group g1", "ann: hi")
    fake.admin("ann")
    [added] = await fake.say("ann: /定时 添加 每天 09:30 早安")
    assert added.startswith("⏰ 定时发布 #1：每天 09:30，发往本群")
    assert (await fake.say("ann: /定时 列表"))[0] == "定时发布 1 条：\n#1 每天 09:30 · 本群 · 早安"
    await fake.wait("31m")
    assert posts(fake, "g1", "早安") == 1
