"""What an admin sees: /stats with its figures and charts, the heatmap with the best hour, and
counters that are written in batches (nothing per message) and survive a stop."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image as PILImage  # matplotlib's own dependency

from bot import GroupRef
from plugins.stats.models import StatsHour, StatsSpeaker, StatsSubscriber
from plugins.stats.service import Stats

CONFIG = {"bot": {"owners": ["console:boss"]}}
pytestmark = [pytest.mark.plugins("stats"), pytest.mark.bot_config(CONFIG)]
SHANGHAI = ZoneInfo("Asia/Shanghai")
LOBBY = GroupRef("console", "lobby", "lobby", "lobby")
PNG = b"\x89PNG\r\n\x1a\n"


def at(fake, day, hour=9, minute=0):
    fake.clock.set(datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI))


async def test_messages_are_counted_in_memory_and_written_by_the_minute_job(fake):
    at(fake, 2, 21, 5)
    await fake.say("alice: hi", "bob: hello", "alice: how are you", "+carol", "-dave")
    assert await StatsHour.all().count() == 0  # nothing written on the message path
    await fake.wait("1m")  # the flush job
    row = await StatsHour.get(guild_id="lobby")
    assert (str(row.day), row.hour) == ("2026-03-02", 21)
    assert (row.messages, row.speakers, row.joins, row.leaves) == (3, 2, 1, 1)
    speakers = {s.user_id: s.messages for s in await StatsSpeaker.all()}
    assert speakers == {"alice": 2, "bob": 1}


async def test_a_speaker_is_counted_once_per_hour_across_flushes(fake):
    at(fake, 2, 10)
    await fake.say("alice: one", "bob: two")
    await fake.wait("2m")
    await fake.say("alice: three", "carol: four")
    await fake.wait("2m")
    row = await StatsHour.get(guild_id="lobby", hour=10)
    assert (row.messages, row.speakers) == (4, 3)


async def test_shutdown_writes_what_is_pending(bot_app, fake):
    at(fake, 2, 12)
    await fake.say("alice: hi", "bob: hi")
    assert await StatsHour.all().count() == 0
    await bot_app.scope("stats").service(Stats).flush()  # what bot_shutdown does
    assert (await StatsHour.get(guild_id="lobby")).messages == 2


async def test_stats_is_for_admins(fake):
    [reply] = await fake.say("alice: hi", "alice: /stats")
    assert "管理员" in reply or "权限" in reply


async def test_stats_shows_the_week_with_a_trend_and_top_speakers(fake, images):
    fake.admin("alice")
    for day in range(2, 9):
        at(fake, day, 21)
        await fake.say("alice: evening", "bob: evening all", "bob: news?")
        if day == 5:
            await fake.say("+carol", "carol: hi, new here")
    [reply] = await fake.say(":locale en", "alice: /stats")
    assert "last 7 days" in reply
    assert "22 messages" in reply and "3 speakers" in reply
    assert "1 joined" in reply and "net +1" in reply
    assert "Busiest hours: 21:00" in reply
    assert [name for name, _ in images()] == ["stats-trend-7d.png", "stats-top-7d.png"]
    assert all(data.startswith(PNG) for _, data in images())
    # The console wrote the charts to files and shows where they are.
    trend, top = fake.outputs[-1].files
    assert f"<{trend}>" in fake.outputs[-1].line and trend.name.endswith("stats-trend-7d.png")
    picture = PILImage.open(trend)
    assert picture.format == "PNG" and picture.size == (990, 605)


async def test_stats_30d_and_an_empty_group(fake, images):
    fake.admin("alice")
    [reply] = await fake.say("alice: /stats 30d")
    assert "近 30 天" in reply and "还没有任何记录" in reply
    assert images() == []


async def test_heatmap_marks_the_best_hour_in_the_groups_timezone(fake, images):
    fake.admin("alice")
    await fake.say("alice: /timezone Europe/Berlin")
    # Wednesday 2026-03-04 20:00 in Berlin is 19:00 UTC.
    fake.clock.set(datetime(2026, 3, 4, 20, 10, tzinfo=ZoneInfo("Europe/Berlin")))
    await fake.say(*[f"bob: message {i}" for i in range(6)])
    fake.clock.set(datetime(2026, 3, 5, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    await fake.say("carol: morning")
    [reply] = await fake.say(":locale en", "alice: /stats heatmap")
    assert "Europe/Berlin" in reply
    assert "Best time to post: Wed 20:00" in reply
    [(name, data)] = images()
    assert name == "stats-heatmap.png" and data.startswith(PNG)


async def test_fleet_and_health_are_for_owners_and_compare_groups(fake, images):
    at(fake, 2, 10)
    fake.admin("alice")
    for i in range(30):
        await fake.say(f"user{i % 20}: hello {i}")
    await fake.say(":group quiet", "zed: anyone?", ":group lobby")
    [refused] = await fake.say("alice: /stats fleet")
    assert "qunbot" not in refused and "stats-fleet" not in refused
    assert images() == []
    [reply] = await fake.say(":locale en", "boss: /stats fleet")
    assert "2 groups" in reply and "lobby (console)" in reply and "quiet (console)" in reply
    [(name, data)] = images()
    assert name == "stats-fleet.png" and data.startswith(PNG)
    [health] = await fake.say("boss: /stats health")
    assert "[dead]" in health and "quiet (console): 1.0 speakers a day (< 3)" in health
    assert "[high-value]" in health and "lobby (console): 22.0 speakers a day" in health
    assert "scheduled topic at the best hour" in health


async def test_forgetme_drops_a_members_daily_counts_but_not_the_totals(bot_app, fake):
    at(fake, 2, 10)
    fake.admin("alice")
    await fake.say("alice: hi", "bob: hi", "alice: /stats report on")
    assert await StatsSubscriber.filter(user_id="alice").count() == 1
    await bot_app.scope("stats").service(Stats).flush()
    await bot_app.scope("stats").forget_user("console", "alice")
    assert [s.user_id for s in await StatsSpeaker.all()] == ["bob"]
    assert await StatsSubscriber.filter(user_id="alice").count() == 0
    assert (await StatsHour.get(guild_id="lobby")).messages == 3


def test_png_is_a_real_picture():
    from plugins.stats import charts

    png = charts.top_chart(["甲", "乙"], [5, 3], title="发言排行", xlabel="消息数")
    picture = PILImage.open(io.BytesIO(png))
    assert picture.size[0] > 500 and picture.size[1] > 200


def test_charts_are_not_blank():
    """A chart with data has coloured pixels where the bars are; an empty one has none."""
    from datetime import date, timedelta

    from plugins.stats import charts

    days = [date(2026, 3, 1) + timedelta(days=i) for i in range(7)]
    labels = {"messages": "消息数", "speakers": "发言人数", "net": "净增成员"}

    def blue_pixels(png: bytes) -> int:
        raw = PILImage.open(io.BytesIO(png)).convert("RGB").tobytes()
        pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
        return sum(1 for r, g, b in pixels if b > 150 and r < 100 and g < 140)

    full = charts.trend_chart(days, [50] * 7, [5] * 7, [1] * 7, title="趋势", labels=labels)
    empty = charts.trend_chart(days, [0] * 7, [0] * 7, [0] * 7, title="趋势", labels=labels)
    assert PILImage.open(io.BytesIO(full)).size == (990, 605)
    assert blue_pixels(full) > 20_000 and blue_pixels(empty) < 500
    assert charts.cjk_font() is not None  # else Chinese labels would be boxes
