"""What the read commands show: the member's month calendar, the streak leaderboard, the
group's rate and the league of groups. Names come from the roster (``scope.roster``)."""

from __future__ import annotations

import calendar as months
from datetime import date, timedelta

from bot import Code, Context, Text
from bot.message import Content
from plugins.checkin.checking import days
from plugins.checkin.config import CheckinSettings
from plugins.checkin.models import KIND_CHECKIN, CheckIn, CheckinMember
from plugins.checkin.rates import GroupRate, group_rates
from plugins.checkin.store import streaks_of
from plugins.checkin.streaks import month_grid, streak_on

__all__ = ["calendar", "group_rate", "leaderboard", "league"]

# Rows of the streak board read at a time while looking for the group's current members.
BOARD_PAGE = 200


async def calendar(ctx: Context, today: date) -> Content:
    """This month as a calendar with the member's days marked, and their totals."""
    user = ctx.event.user
    assert user is not None and ctx.group is not None
    keys = {"platform": ctx.platform, "guild_id": ctx.group.key, "user_id": user.id}
    first = today.replace(day=1)
    last = first.replace(day=months.monthrange(today.year, today.month)[1])
    rows = await CheckIn.filter(**keys, day__gte=first, day__lte=last).values_list("day", "kind")
    marks = {day.day: "*" if kind == KIND_CHECKIN else "+" for day, kind in rows}
    member = await CheckinMember.filter(**keys).first()
    streaks = streaks_of(member) if member else None
    weekdays = [f"{w}  " for w in ctx.t("checkin.stats.weekdays").split()]
    grid = month_grid(today.year, today.month, marks, weekdays)
    title = ctx.t("checkin.stats.title", name=user.display_name, year=today.year, month=today.month)
    summary = ctx.t(
        "checkin.stats.summary",
        month=days(ctx, len(marks)),
        total=days(ctx, streaks.total if streaks else 0),
        streak=days(ctx, streak_on(streaks, today) if streaks else 0),
        longest=days(ctx, streaks.longest if streaks else 0),
    )
    # The grid in a monospace block, so its columns line up on Telegram and Discord too.
    legend = ctx.t("checkin.stats.legend")
    return [Text(title + "\n"), Code(grid), Text("\n" + legend + "\n" + summary)]


async def leaderboard(ctx: Context, settings: CheckinSettings, today: date) -> str:
    """The living streaks of the group's current members, longest first."""
    assert ctx.group is not None
    living = CheckinMember.filter(
        platform=ctx.platform, guild_id=ctx.group.key, last_day__gte=today - timedelta(days=1),
        streak__gt=0,
    ).order_by("-streak", "-longest", "user_id")
    members: list[CheckinMember] = []
    offset = 0
    while len(members) < settings.top_size:
        page = await living.offset(offset).limit(BOARD_PAGE)
        present = await ctx.roster.current(ctx.group, [m.user_id for m in page])
        members += [m for m in page if m.user_id in present]
        if len(page) < BOARD_PAGE:
            break
        offset += BOARD_PAGE
    members = members[: settings.top_size]
    if not members:
        return ctx.t("checkin.top.empty")
    names = await ctx.roster.names(ctx.platform, [m.user_id for m in members])
    lines = [ctx.t("checkin.top.title")]
    for number, member in enumerate(members, 1):
        name = names.get(member.user_id) or member.name or member.user_id
        lines.append(
            ctx.t(
                "checkin.top.line", place=number, name=name, streak=days(ctx, member.streak),
                longest=days(ctx, member.longest),
            )
        )
    return "\n".join(lines)


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


async def group_rate(ctx: Context) -> str:
    assert ctx.group is not None
    [found] = await group_rates(ctx, [await ctx.roster.group(ctx.group)], ctx.event.timestamp)
    return ctx.t(
        "checkin.rate.line",
        today=_percent(found.today_rate),
        checked=found.today,
        n=found.members,
        week=_percent(found.week_rate),
    )


async def league(ctx: Context, settings: CheckinSettings) -> str:
    """Every group of the bot on this platform, ranked by 7-day rate then today's."""
    groups = await ctx.roster.groups(ctx.platform)
    rates = [r for r in await group_rates(ctx, groups, ctx.event.timestamp) if r.members]
    if not rates:
        return ctx.t("checkin.league.empty")
    rates.sort(key=lambda r: (-r.week_rate, -r.today_rate, -r.members, r.name))
    lines = [ctx.t("checkin.league.title")]
    for number, found in enumerate(rates[: settings.top_size], 1):
        lines.append(_league_line(ctx, number, found))
    here = next((n for n, r in enumerate(rates, 1) if _is_here(ctx, r)), None)
    if here is not None and here > settings.top_size:
        lines.append(_league_line(ctx, here, rates[here - 1]))
    return "\n".join(lines)


def _is_here(ctx: Context, found: GroupRate) -> bool:
    return ctx.group is not None and found.group.key == ctx.group.key


def _league_line(ctx: Context, number: int, found: GroupRate) -> str:
    marker = "👉 " if _is_here(ctx, found) else ""
    return marker + ctx.t(
        "checkin.league.line",
        place=number,
        name=found.name,
        week=_percent(found.week_rate),
        today=_percent(found.today_rate),
        checked=found.today,
        members=found.members,
    )
