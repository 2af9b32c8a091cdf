"""The pure day and streak arithmetic."""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from plugins.checkin.streaks import (
    Streaks,
    extended,
    local_day,
    milestones_crossed,
    month_grid,
    next_milestone,
    parse_hhmm,
    reward_for,
    streak_on,
    summarize,
)


def test_local_day_east_west_and_half_hour_zones():
    moment = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
    assert local_day(moment, ZoneInfo("Asia/Shanghai")) == date(2026, 3, 2)  # 23:30
    assert local_day(moment, ZoneInfo("Asia/Kolkata")) == date(2026, 3, 2)  # 21:00
    assert local_day(moment, ZoneInfo("Australia/Lord_Howe")) == date(2026, 3, 3)  # 02:30 (+11)
    assert local_day(moment, ZoneInfo("Pacific/Kiritimati")) == date(2026, 3, 3)  # +14
    assert local_day(datetime(2026, 3, 2, 3, 0, tzinfo=UTC), ZoneInfo("America/New_York")) == date(2026, 3, 1)


def test_local_day_across_dst_changes():
    new_york = ZoneInfo("America/New_York")
    # 2026-03-08 02:00 EST -> 03:00 EDT: 04:59 UTC is 23:59 EST of the 7th, 05:00 UTC the 8th.
    assert local_day(datetime(2026, 3, 8, 4, 59, tzinfo=UTC), new_york) == date(2026, 3, 7)
    assert local_day(datetime(2026, 3, 8, 5, 0, tzinfo=UTC), new_york) == date(2026, 3, 8)
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    # Lord Howe moves by half an hour: +11 in summer, +10:30 in winter (from 2026-04-05).
    assert local_day(datetime(2026, 4, 5, 13, 29, tzinfo=UTC), lord_howe) == date(2026, 4, 5)
    assert local_day(datetime(2026, 4, 5, 13, 30, tzinfo=UTC), lord_howe) == date(2026, 4, 6)


def test_summarize_keeps_the_longest_run_and_the_last_one():
    days = [date(2026, 1, d) for d in (1, 2, 3, 4, 7, 8, 10)]
    assert summarize(days) == Streaks(streak=1, last_day=date(2026, 1, 10), longest=4, total=7)
    assert summarize([]) == Streaks()
    # Across a month and a year boundary.
    assert summarize([date(2025, 12, 31), date(2026, 1, 1)]).streak == 2


def test_a_streak_is_alive_until_the_end_of_the_next_day():
    streaks = Streaks(streak=5, last_day=date(2026, 3, 2), longest=5, total=5)
    assert streak_on(streaks, date(2026, 3, 2)) == 5
    assert streak_on(streaks, date(2026, 3, 3)) == 5
    assert streak_on(streaks, date(2026, 3, 4)) == 0


def test_a_check_in_after_the_last_day_is_worked_out_from_the_summary_alone():
    rng = random.Random(3)
    start = date(2026, 1, 1)
    for _ in range(300):
        days = {start + timedelta(days=rng.randrange(60)) for _ in range(rng.randrange(1, 40))}
        day = max(days) + timedelta(days=rng.choice((1, 1, 2, 5)))
        assert extended(summarize(days), day) == summarize(days | {day})
    # A day that is not after the last one (a first check-in, a make-up): read the history.
    assert extended(summarize(set()), start) is None
    assert extended(summarize({start}), start) is None


def test_reward_grows_with_the_streak_up_to_the_cap_and_pays_the_first_ones():
    rules = {"base": 10, "step": 2, "cap": 20, "first": [10, 5, 3]}
    assert reward_for(1, 1, **rules).total == 20
    assert reward_for(4, 2, **rules).total == 10 + 6 + 5
    assert reward_for(50, 4, **rules).total == 10 + 20
    assert reward_for(3, None, **rules).first_bonus == 0


def test_milestones():
    milestones = {7: 50, 30: 200}
    assert milestones_crossed(6, 7, milestones) == [7]
    assert milestones_crossed(0, 31, milestones) == [7, 30]
    assert milestones_crossed(7, 8, milestones) == []
    assert next_milestone(7, milestones) == 30
    assert next_milestone(30, milestones) is None


def test_parsing():
    assert parse_hhmm("21:00") is not None and parse_hhmm("9:30") is not None
    assert parse_hhmm("24:00") is None and parse_hhmm("21") is None


def test_month_grid_starts_on_monday_and_marks_days():
    grid = month_grid(2026, 3, {2: "*", 3: "+"}, ["Mo  ", "Tu  ", "We  ", "Th  ", "Fr  ", "Sa  ", "Su  "])
    lines = grid.splitlines()
    assert lines[0] == "Mo  Tu  We  Th  Fr  Sa  Su"
    assert lines[1] == " " * 24 + " 1"  # 2026-03-01 is a Sunday
    assert lines[2].startswith(" 2*  3+  4 ")
    assert lines[-1] == "30  31"
