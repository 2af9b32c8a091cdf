"""Day and streak arithmetic, free of the database and the clock.

A check-in belongs to the local calendar day of the platform's timestamp of the message in the
group's timezone; a streak is a run of consecutive local days. Everything here works on
``datetime.date`` values, so DST changes, half-hour zones and the date line need no special
cases: the conversion to a local date happens once, in :func:`local_day`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "Reward",
    "Streaks",
    "extended",
    "local_day",
    "milestones_crossed",
    "month_grid",
    "next_milestone",
    "parse_hhmm",
    "reward_for",
    "streak_on",
    "summarize",
]

ONE_DAY = timedelta(days=1)
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar day of an aware ``moment`` in ``tz``."""
    if moment.tzinfo is None:
        raise ValueError("local_day needs an aware datetime (the platform's timestamp)")
    return moment.astimezone(tz).date()


def parse_hhmm(text: str) -> time | None:
    match = _HHMM.match(text.strip())
    return time(int(match[1]), int(match[2])) if match else None


@dataclass(frozen=True, slots=True)
class Streaks:
    """A member's check-in history in one group, summarized.

    ``streak`` is the run of consecutive days ending at ``last_day`` (whether or not that run
    is still alive today: see :func:`streak_on`).
    """

    streak: int = 0
    last_day: date | None = None
    longest: int = 0
    total: int = 0


def summarize(days: Iterable[date]) -> Streaks:
    ordered = sorted(set(days))
    if not ordered:
        return Streaks()
    run = longest = 1
    for previous, day in zip(ordered, ordered[1:], strict=False):
        run = run + 1 if day - previous == ONE_DAY else 1
        longest = max(longest, run)
    return Streaks(streak=run, last_day=ordered[-1], longest=longest, total=len(ordered))


def extended(streaks: Streaks, day: date) -> Streaks | None:
    """``streaks`` with ``day`` added, when ``day`` comes after every day counted so far (a
    check-in today): worked out from the summary, without the history. None otherwise (a
    first check-in, a day before the last): then :func:`summarize` the history."""
    if streaks.last_day is None or day <= streaks.last_day:
        return None
    run = streaks.streak + 1 if day - streaks.last_day == ONE_DAY else 1
    return Streaks(streak=run, last_day=day, longest=max(streaks.longest, run), total=streaks.total + 1)


def streak_on(streaks: Streaks, today: date) -> int:
    """The streak a member has on ``today``: alive while the last day is today or yesterday."""
    if streaks.last_day is None or streaks.last_day < today - ONE_DAY:
        return 0
    return streaks.streak


@dataclass(frozen=True, slots=True)
class Reward:
    base: int
    streak_bonus: int
    first_bonus: int

    @property
    def total(self) -> int:
        return self.base + self.streak_bonus + self.first_bonus


def reward_for(
    streak: int, place: int | None, *, base: int, step: int, cap: int, first: Sequence[int]
) -> Reward:
    """Base points, a streak bonus of ``step`` per day after the first (at most ``cap``), and
    the bonus of the ``place``-th check-in of the day when it is among the first ones."""
    bonus = min(step * max(streak - 1, 0), cap)
    first_bonus = first[place - 1] if place is not None and 1 <= place <= len(first) else 0
    return Reward(base, bonus, first_bonus)


def milestones_crossed(before: int, after: int, milestones: Mapping[int, int]) -> list[int]:
    """Milestones reached when a streak grows from ``before`` to ``after`` days."""
    return sorted(m for m in milestones if before < m <= after)


def next_milestone(streak: int, milestones: Mapping[int, int]) -> int | None:
    ahead = [m for m in milestones if m > streak]
    return min(ahead) if ahead else None


def month_grid(year: int, month: int, marks: Mapping[int, str], weekdays: Sequence[str]) -> str:
    """A month as a text grid, weeks starting on Monday: each cell is the day number followed
    by its mark (``*`` checked in, ``+`` make-up card, `` `` nothing), 4 columns wide.

    ``weekdays``: seven column titles, each 4 columns wide when printed (``"Mo  "``, ``"一  "``).
    """
    lines = ["".join(weekdays).rstrip()]
    for week in calendar.Calendar(firstweekday=0).monthdayscalendar(year, month):
        cells = ["    " if day == 0 else f"{day:>2}{marks.get(day, ' ')} " for day in week]
        lines.append("".join(cells).rstrip())
    return "\n".join(lines)
