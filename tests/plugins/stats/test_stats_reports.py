"""The daily and weekly reports: yesterday against the 7-day average with the anomalies called
out, sent to the admins who asked for them (or the HQ group the broadcast plugin marks), each
report once per slot whatever restarts happen, and a group's own thresholds and time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image as PILImage

from bot import GroupRef
from bot.testing import ChatDriver, make_app
from plugins.stats.anomalies import compare, find_anomalies
from plugins.stats.config import AnomalyThresholds, StatsConfig
from plugins.stats.queries import Totals

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOBBY = GroupRef("console", "lobby", "lobby", "lobby")
PNG = b"\x89PNG\r\n\x1a\n"
pytestmark = pytest.mark.plugins("stats")


def at(fake, day, hour=20, minute=0):
    fake.clock.set(datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI))


def day_of(**figures: int) -> Totals:
    totals = Totals()
    totals.values.update(figures)
    return totals


def week(last: date, **figures: int) -> dict[date, Totals]:
    """The seven days before ``last`` with the same figures each."""
    return {last - timedelta(days=i): day_of(**figures) for i in range(1, 8)}


def anomalies(days: dict[date, Totals], last: date, since: date | None = None, **limits) -> list[str]:
    comparison = compare(days, last, since)
    return [a.kind for a in find_anomalies(days, comparison, AnomalyThresholds(**limits))]


# -- the rules -----------------------------------------------------------------------------------
LAST = date(2026, 3, 9)


@pytest.mark.parametrize(("yesterday", "found"), [(50, ["messages_drop"]), (51, [])])
def test_messages_down_by_half_is_called_out_at_exactly_half(yesterday, found):
    days = {**week(LAST, messages=100, joins=1, leaves=0), LAST: day_of(messages=yesterday, joins=1)}
    assert anomalies(days, LAST) == found


def test_a_quiet_groups_drop_is_noise():
    days = {**week(LAST, messages=19), LAST: day_of(messages=0)}
    assert anomalies(days, LAST) == []
    assert anomalies(days, LAST, messages_drop_min_average=10) == ["messages_drop"]


@pytest.mark.parametrize(
    ("average", "joins", "found"),
    [(2, 10, ["join_spike"]), (2, 9, []), (4, 11, []), (4, 12, ["join_spike"]), (0, 10, ["join_spike"])],
)
def test_a_join_spike_needs_three_times_the_average_and_ten(average, joins, found):
    days = {**week(LAST, messages=50, joins=average), LAST: day_of(messages=50, joins=joins)}
    assert anomalies(days, LAST) == found


def test_leaves_above_joins_three_days_running():
    days = week(LAST, messages=50, joins=2, leaves=1)
    for back in range(3):
        days[LAST - timedelta(days=back)] = day_of(messages=50, joins=1, leaves=2)
    assert anomalies(days, LAST) == ["leave_streak"]
    days[LAST - timedelta(days=2)] = day_of(messages=50, joins=2, leaves=2)  # equal is not above
    assert anomalies(days, LAST) == []
    assert anomalies(days, LAST, leave_streak_days=2) == ["leave_streak"]


@pytest.mark.parametrize(
    ("average", "ads", "found"), [(1, 5, ["ad_wave"]), (1, 4, []), (2, 5, []), (2, 6, ["ad_wave"])]
)
def test_an_ad_wave_needs_three_times_the_average_and_five(average, ads, found):
    days = {**week(LAST, messages=50, ads_removed=average), LAST: day_of(messages=50, ads_removed=ads)}
    assert anomalies(days, LAST) == found


def test_the_average_is_over_the_days_the_bot_knows():
    # Met two days before: compared with those two days, not with five empty ones.
    days = {LAST - timedelta(days=2): day_of(messages=40), LAST - timedelta(days=1): day_of(messages=40),
            LAST: day_of(messages=30)}
    comparison = compare(days, LAST, LAST - timedelta(days=2))
    assert (comparison.known_days, comparison.average["messages"]) == (2, 40)
    assert anomalies(days, LAST, LAST - timedelta(days=2)) == []
    # Met yesterday: nothing to compare with, no spike however many joined.
    assert anomalies({LAST: day_of(joins=40)}, LAST, LAST) == []


def test_a_groups_table_changes_only_its_own_thresholds():
    config = StatsConfig.model_validate({
        "anomalies": {"join_spike_min": 5},
        "groups": {"console:quiet": {"anomalies": {"messages_drop_percent": 30}, "report_time": "21:30"}},
    })
    quiet = config.for_group(GroupRef("console", "quiet", "quiet"))
    assert (quiet.anomalies.messages_drop_percent, quiet.anomalies.join_spike_min) == (30, 5)
    assert quiet.report_time == "21:30" and config.for_group(LOBBY).report_time == "09:00"
    with pytest.raises(ValueError, match="raw_days applies to every group"):
        StatsConfig.model_validate({"groups": {"console:quiet": {"raw_days": 40}}})
    with pytest.raises(ValueError, match="report_time must be HH:MM"):
        StatsConfig.model_validate({"groups": {"console:quiet": {"report_time": "9pm"}}})


# -- the daily report, to the admins who asked -----------------------------------------------------
async def busy_week_then_a_bad_day(fake):
    """03-02..03-08: 40 messages from 8 members and one join a day; 03-09: 10 messages, 15
    joins and 5 ads removed."""
    for day in range(2, 9):
        at(fake, day)
        await fake.say(*[f"m{i % 8}: talk {i}" for i in range(40)], f"+new{day}")
    at(fake, 9)
    await fake.say(*[f"m{i}: quiet day" for i in range(10)], *[f"+spike{i}" for i in range(15)])
    await fake.app.scope("stats").emit("stats_count", group=LOBBY, name="ads_removed", amount=5)


@pytest.mark.bot_config({"plugins": {"stats": {"weekly_report": "off"}}})
async def test_an_admin_gets_yesterday_against_the_week_with_the_anomalies(fake):
    await busy_week_then_a_bad_day(fake)
    fake.admin("alice")
    at(fake, 9, 22)
    [welcome, done] = (await fake.say("alice: /lang en", "alice: /stats report on"))[1:]
    assert "reports of lobby: daily at 09:00 (Asia/Shanghai)" in welcome
    assert done == "Done: you will get the reports of lobby in private, daily at 09:00 (Asia/Shanghai)."
    assert fake.replies("dm:alice")[-1].text == welcome
    assert [o.channel for o in await fake.wait("10h")] == []  # 08:00: not yet
    [report] = await fake.wait("1h")
    assert report.channel == "dm:alice" and fake.clock.now() == datetime(2026, 3, 10, 1, tzinfo=UTC)
    lines = report.text.splitlines()
    assert lines[0] == "📋 Daily report · lobby · Mon 03-09 (Asia/Shanghai)"
    # The subscribing commands at 22:00 are messages too: 12 of them, from 11 members.
    assert lines[1] == "💬 12 messages (-70% on the 7-day average of 40) · 11 speakers (average 8)"
    assert "👥 15 joined · 0 left (net +15)" in lines
    assert "5 ads removed" in report.text
    assert lines[-4:] == [
        "⚠️ Worth a look:",
        "· messages down 70%: 12 against 40 a day",
        "· a join spike: 15 joined (usually 1 a day)",
        "· an ad wave: 5 ads removed (usually 0 a day)",
    ]
    assert await fake.wait("1d") and len(fake.replies("dm:alice")) == 3  # the next day's, once


async def test_a_calm_day_says_so_and_report_now_shows_it_here(fake):
    fake.admin("alice")
    for day in range(2, 10):
        at(fake, day)
        await fake.say("bob: hello", "carol: hi")
    [report] = (await fake.say(":locale en", "alice: /lang en", "alice: /stats report now"))[1:]
    assert report.splitlines()[0] == "📋 Daily report · lobby · Sun 03-08 (Asia/Shanghai)"
    assert report.splitlines()[-1] == "✅ Nothing unusual."
    [zh] = (await fake.say("alice: /lang zh", "alice: /统计 报告 现在"))[1:]
    assert zh.splitlines()[0] == "📋 日报 · lobby · 03-08（周日，Asia/Shanghai）"
    assert "消息 2 条" in zh and zh.splitlines()[-1] == "✅ 一切正常。"


async def test_who_gets_the_reports_and_who_does_not(fake):
    fake.admin("alice")
    fake.admin("dave")
    fake.console.dm_closed.add("dave")
    [status] = (await fake.say(":locale en", "alice: /lang en", "alice: /stats report"))[1:]
    assert status == ("Reports of this group: daily at 09:00 (Asia/Shanghai), weekly on Mon, to the admins "
                      "who ask for them with /stats report on (nobody yet).")
    [closed] = (await fake.say("dave: /lang en", "dave: /stats report on"))[1:]
    assert closed.startswith("I cannot write to you in private.")
    await fake.say("alice: /stats report on")
    assert (await fake.say("alice: /stats report"))[0].endswith("to 1 admin in private.")
    [refused] = await fake.say("bob: /stats report on")
    assert "admin" in refused or "管理员" in refused
    # An admin who is one no longer gets nothing.
    fake.console.groups["lobby"].admins.discard("alice")
    await fake.say("bob: hello")
    await fake.wait("1d")
    assert [o for o in fake.replies("dm:alice") if "Daily report" in o.text] == []
    fake.admin("alice")
    assert await fake.say("alice: /stats report off") == ["You will no longer get the reports of lobby."]
    assert await fake.say("alice: /stats report off") == ["You were not getting the reports of lobby."]


@pytest.mark.bot_config({"plugins": {"stats": {"report_to": "group", "groups": {
    "console:night": {"report_time": "21:30", "anomalies": {"messages_drop_percent": 30}},
}}}})
async def test_a_group_has_its_own_time_and_thresholds(fake):
    # Both groups: 30 messages a day for a week, then 20 (a third fewer).
    for day in range(2, 10):
        at(fake, day, 12)
        for group in ("lobby", "night"):
            await fake.say(f":group {group}", *[f"m{i % 5}: talk" for i in range(30 if day < 9 else 20)])
    at(fake, 9, 23)
    reports = await fake.wait("23h")  # 03-10 22:00
    assert [(o.channel, fake.clock.now() >= datetime(2026, 3, 10, 13, 30, tzinfo=UTC)) for o in reports] == [
        ("lobby", True), ("night", True)]
    lobby, night = (o.text for o in reports)
    assert "⚠️" not in lobby and "✅" in lobby
    assert "消息减少 33%" in night


# -- once per slot through restarts ----------------------------------------------------------------
async def test_each_report_goes_once_across_restarts_and_a_missed_one_is_caught_up(tmp_path):
    url = f"sqlite://{tmp_path}/bot.sqlite3"
    config = {"plugins": {"stats": {"report_to": "group", "weekly_report": "off"}}}

    def reports(console):
        return [o.text.splitlines()[0] for o in console.outputs if "日报" in o.text]

    app, console = make_app(["stats"], config, database_url=url,
                            start=datetime(2026, 3, 1, 20, tzinfo=SHANGHAI))
    async with app:
        await ChatDriver(app, console).say("ann: hello", "bob: hi")
        await console.clock.advance(timedelta(hours=13, minutes=5))  # 03-02 09:05
        assert reports(console) == ["📋 日报 · lobby · 03-01（周日，Asia/Shanghai）"]

    # A restart half an hour later: nothing again.
    app, console = make_app(["stats"], config, database_url=url,
                            start=datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI))
    async with app:
        await console.clock.advance(timedelta(minutes=40))
        assert reports(console) == []

    # Down across the next 09:00: caught up once at start, at 10:00.
    app, console = make_app(["stats"], config, database_url=url,
                            start=datetime(2026, 3, 3, 10, tzinfo=SHANGHAI))
    async with app:
        assert reports(console) == ["📋 日报 · lobby · 03-02（周一，Asia/Shanghai）"]
        await console.clock.advance(timedelta(hours=2))
        assert len(reports(console)) == 1

    # Down for two days: the reports of days that are over are not sent late; today's is.
    app, console = make_app(["stats"], config, database_url=url,
                            start=datetime(2026, 3, 5, 10, tzinfo=SHANGHAI))
    async with app:
        assert reports(console) == ["📋 日报 · lobby · 03-04（周三，Asia/Shanghai）"]


# -- the weekly report -----------------------------------------------------------------------------
@pytest.mark.bot_config({"plugins": {"stats": {"report_to": "group"}}})
async def test_the_weekly_report_has_the_trend_chart_and_the_health_change(fake, images):
    await fake.say(":locale en", "ann: hi")
    # A lively first week (20 speakers a day), then almost nobody.
    for day in range(2, 16):
        at(fake, day, 12)
        speakers = 20 if day < 9 else 1
        await fake.say(*[f"m{i}: talk" for i in range(speakers)] * 2)
    at(fake, 15, 23)
    out = await fake.wait("10h")  # Monday 03-16 09:00: the daily, then the weekly
    assert len(out) == 2
    weekly = out[1]
    lines = weekly.text.splitlines()
    assert lines[0] == "📈 周报 · lobby · 03-09 至 03-15（Asia/Shanghai）"
    assert lines[1].startswith("💬 消息 14 条（比上周 -95%）· 发言 1 人（上周 21 人）")
    # 20 speakers a day the week before, one now: no longer high-value.
    assert any(line.startswith("🩺 健康度：高价值 → 一般（日均 10.6 人发言") for line in lines)
    [(name, data)] = images()
    assert name == "stats-week-20260315.png" and data.startswith(PNG)
    assert PILImage.open(weekly.files[0]).size == (990, 605)


# -- HQ ------------------------------------------------------------------------------------------
@pytest.mark.plugins("stats", "broadcast")
@pytest.mark.bot_config({"bot": {"owners": ["console:boss"]}})
async def test_with_an_hq_every_groups_report_goes_there_in_one_digest(fake, images):
    await fake.say(":group hq", "boss: /hq set", "boss: /lang group en")
    fake.admin("alice", "study-1")
    await fake.say(":group study-1", "alice: /lang en", "alice: /stats report on")
    status = (await fake.say("alice: /stats report"))[0]
    assert status.endswith("to the HQ group hq.")
    for day in range(2, 10):
        at(fake, day, 12)
        await fake.say(":group study-1", *[f"s{i % 6}: talk" for i in range(40 if day < 9 else 8)])
        await fake.say(":group study-2", *[f"t{i % 4}: talk" for i in range(12)])
        if day >= 7:
            await fake.say(":group study-2", "-t1", "-t2")
    at(fake, 9, 23)
    out = await fake.wait("10h")  # Tuesday 03-10 09:00 in HQ
    [digest] = [o for o in out if o.channel == "hq"]
    assert [o.channel for o in out] == ["hq"]  # nobody else: the admins' reports are in HQ now
    lines = digest.text.splitlines()
    assert lines[0] == "📋 Daily report · 4 groups · yesterday in each group's own time"
    attention = lines[lines.index("⚠️ Worth a look (2 groups):") + 1:]
    assert attention[:4] == [
        "· study-2 (console): 12 messages (+0%), 4 speakers, 0 joined / 2 left",
        "   – more leaves than joins 3 days running (6 left, 0 joined)",
        "· study-1 (console): 8 messages (-80%), 6 speakers, 0 joined / 0 left",
        "   – messages down 80%: 8 against 40 a day",
    ]
    assert "✅ Nothing unusual (2 groups):" in lines
    assert images() == []


@pytest.mark.plugins("stats", "broadcast")
@pytest.mark.bot_config({"bot": {"owners": ["console:boss"]}})
async def test_the_weekly_digest_in_hq_lists_class_changes_with_the_fleet_chart(fake, images):
    await fake.say(":group hq", "boss: /hq set", "boss: /lang group en")
    for day in range(2, 16):
        at(fake, day, 12)
        await fake.say(":group lively", *[f"s{i}: talk" for i in range(16 if day < 9 else 1)])
        await fake.say(":group steady", *[f"t{i % 5}: talk" for i in range(10)])
    at(fake, 15, 23)
    out = await fake.wait("10h")  # Monday 03-16
    [daily, weekly] = [o for o in out if o.channel == "hq"]
    lines = weekly.text.splitlines()
    assert lines[0] == "📈 Weekly report · 4 groups · 03-09 – 03-15"
    assert lines[2] == "Changed class this week (1 group):"
    assert lines[3].startswith("· lively (console): high-value → general. Suggested: schedule a topic")
    names = [name for name, _ in images()]
    assert names == ["stats-fleet-week-20260315.png", "stats-fleet-20260315.png"]
    assert all(data.startswith(PNG) for _, data in images())


@pytest.mark.bot_config({"bot": {"owners": ["console:boss"]}, "plugins": {"stats": {"groups": {
    "console:tiny": {"health": {"dead_speakers": 0.5}},
}}}})
async def test_a_groups_own_health_thresholds_class_it(fake):
    at(fake, 2, 10)
    for group in ("tiny", "small"):
        await fake.say(f":group {group}", "zed: anyone?")
    [health] = await fake.say(":locale en", ":group lobby", "boss: /stats health")
    dead = health[health.index("[dead]"):]
    assert "small (console)" in dead and "tiny (console)" not in dead
    assert "tiny (console): 1.0 speakers a day" in health[health.index("[general]"):health.index("[dead]")]
