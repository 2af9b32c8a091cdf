"""Counters against a reference: a synthetic month of events in three timezones (one with a DST
change), figures other plugins report through the ``stats_count`` hook, points earned, the
roll-up of old hours into days; on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import GroupRef, MemberRef
from plugins.points import Points
from plugins.stats.models import StatsDay, StatsExtra, StatsHour, StatsSpeaker
from plugins.stats.queries import period_totals
from plugins.stats.rollup import roll_up
from plugins.stats.service import Stats

POINTS = {"activity_points": "none", "announce_level_up": False}
pytestmark = [
    pytest.mark.plugins("stats", "points"), pytest.mark.bot_config({"plugins": {"points": POINTS}}),
    pytest.mark.both_databases,
]
ZONES = {"shanghai": "Asia/Shanghai", "berlin": "Europe/Berlin", "newyork": "America/New_York"}


async def test_a_month_in_three_timezones_matches_the_reference(fake):
    fake.admin("root")
    for name, zone in ZONES.items():
        await fake.say(f":group {name}", ":admin root", f"root: /timezone {zone}")
    await fake.app.scope("stats").service(Stats).flush()
    await StatsHour.all().delete()  # the set-up commands are not part of the month
    await StatsSpeaker.all().delete()
    rng = random.Random(7)
    # March 2026: Berlin and New York change to summer time inside the month.
    moment = datetime(2026, 3, 1, tzinfo=UTC)
    hours: Counter = Counter()
    speakers: dict[tuple, set] = {}
    for _ in range(600):
        moment += timedelta(minutes=rng.randint(1, 140))
        group = rng.choice(list(ZONES))
        user = f"u{rng.randint(1, 12)}"
        fake.clock.set(moment)
        local = moment.astimezone(ZoneInfo(ZONES[group]))
        key = (group, local.date(), local.hour)
        kind = rng.random()
        if kind < 0.9:
            await fake.say(f":group {group}", f"{user}: message")
            hours[(*key, "messages")] += 1
            speakers.setdefault(key, set()).add(user)
        elif kind < 0.95:
            await fake.say(f":group {group}", f"+{user}")
            hours[(*key, "joins")] += 1
        else:
            await fake.say(f":group {group}", f"-{user}")
            hours[(*key, "leaves")] += 1
        if rng.random() < 0.05:
            await fake.wait("1m")  # a flush lands in the middle of some hours
    await fake.app.scope("stats").service(Stats).flush()
    stored = {
        (r.guild_id, r.day, r.hour): r for r in await StatsHour.filter(platform="console").all()
    }
    for (group, day, hour, name), count in hours.items():
        assert getattr(stored[(group, day, hour)], name) == count, (group, day, hour, name)
    for (group, day, hour), users in speakers.items():
        assert stored[(group, day, hour)].speakers == len(users)
    total = sum(v for (*_, name), v in hours.items() if name == "messages")
    assert sum(r.messages for r in stored.values()) == total


async def test_other_plugins_report_through_the_hook_and_points_earned_are_counted(fake):
    fake.clock.set(datetime(2026, 3, 2, 13, 30, tzinfo=UTC))  # 21:30 in Shanghai
    lobby = GroupRef("console", "lobby", "lobby", "lobby")
    await fake.say("alice: hi")  # the bot sees the group
    scope = fake.app.scope("points")
    await scope.emit("stats_count", group=lobby, name="packets_sent", amount=2)
    await scope.emit("stats_count", group=lobby, name="ads_removed", amount=1)
    await scope.emit("stats_count", group=lobby, name="polls", amount=3)
    await scope.service(Points).earn(MemberRef("console", "alice", lobby), 40, key="t1", reason="test")
    await fake.app.scope("stats").service(Stats).flush()
    row = await StatsHour.get(guild_id="lobby")
    assert (row.hour, row.packets_sent, row.ads_removed, row.points) == (21, 2, 1, 40)
    extra = await StatsExtra.get(guild_id="lobby")
    assert (extra.name, extra.value, extra.hour) == ("polls", 3, 21)


async def test_old_hours_are_rolled_up_into_days_not_lost(fake):
    lobby = GroupRef("console", "lobby", "lobby", "lobby")
    for day in (1, 2):
        for hour, users in ((9, "abc"), (21, "ab")):
            fake.clock.set(datetime(2026, 3, day, hour, tzinfo=ZoneInfo("Asia/Shanghai")))
            await fake.say(*[f"{u}: hi" for u in users])
    await fake.app.scope("stats").service(Stats).flush()
    before, _ = await period_totals(lobby, date(2026, 3, 1), date(2026, 3, 2))
    rolled = await roll_up(fake.app.scope("stats"), date(2026, 3, 2))
    assert rolled == 1
    day = await StatsDay.get(guild_id="lobby")
    assert (str(day.day), day.messages, day.speakers) == ("2026-03-01", 5, 3)
    assert await StatsHour.filter(day=date(2026, 3, 1)).count() == 0
    assert await StatsSpeaker.filter(day=date(2026, 3, 1)).count() == 0
    after, days = await period_totals(lobby, date(2026, 3, 1), date(2026, 3, 2))
    assert after["messages"] == before["messages"] == 10
    assert days[date(2026, 3, 1)]["speakers"] == 3
    assert await roll_up(fake.app.scope("stats"), date(2026, 3, 2)) == 0  # once


async def test_the_nightly_job_rolls_up_past_the_raw_window(fake):
    fake.clock.set(datetime(2026, 1, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    await fake.say("alice: happy new year")
    fake.clock.set(datetime(2026, 4, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    await fake.run_job("stats.rollup")
    assert await StatsHour.all().count() == 0
    assert (await StatsDay.get(guild_id="lobby")).messages == 1
