"""Views: the member's month calendar, the streak leaderboard, the group's rate, the league."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from bot import Code, Context, Text
from bot.storage.models import GuildSettings
from plugins.checkin.commands import settings_for
from plugins.checkin.models import KIND_CHECKIN, CheckIn, CheckinMember
from plugins.checkin.rates import GroupRate, group_rates
from plugins.checkin.store import streaks_of
from plugins.checkin.streaks import local_day, month_grid, streak_on

__all__ = ["league", "rate", "stats", "top"]


def _today(ctx: Context) -> date:
    return local_day(ctx.event.timestamp, ctx.timezone)


async def stats(ctx: Context) -> None:
    """This month as a calendar with the member's days marked, and their totals."""
    user = ctx.event.user
    assert user is not None and ctx.guild_id is not None
    today = _today(ctx)
    first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(today.year, today.month)[1])
    rows = await CheckIn.filter(
        platform=ctx.platform, guild_id=ctx.guild_id, user_id=user.id, day__gte=first, day__lte=last
    ).values_list("day", "kind", "settled")
    marks = {day.day: "*" if kind == KIND_CHECKIN else "+" for day, kind, settled in rows if kind == KIND_CHECKIN or settled}
    member = await CheckinMember.filter(platform=ctx.platform, guild_id=ctx.guild_id, user_id=user.id).first()
    streaks = streaks_of(member) if member else None
    grid = month_grid(today.year, today.month, marks, [f"{w}  " for w in ctx.t("checkin.stats.weekdays").split()])
    title = ctx.t("checkin.stats.title", name=user.display_name, year=today.year, month=today.month)
    summary = ctx.t(
        "checkin.stats.summary",
        month=len(marks),
        total=streaks.total if streaks else 0,
        streak=streak_on(streaks, today) if streaks else 0,
        longest=streaks.longest if streaks else 0,
    )
    # The grid in a monospace block, so its columns line up on Telegram and Discord too.
    await ctx.reply(
        [Text(title + "\n"), Code(grid), Text("\n" + ctx.t("checkin.stats.legend") + "\n" + summary)]
    )


async def top(ctx: Context) -> None:
    """The group's living streaks, longest first."""
    assert ctx.guild_id is not None
    settings = settings_for(ctx)
    today = _today(ctx)
    members = (
        await CheckinMember.filter(
            platform=ctx.platform, guild_id=ctx.guild_id, last_day__gte=today - timedelta(days=1), streak__gt=0
        )
        .order_by("-streak", "-longest", "name")
        .limit(settings.top_size)
    )
    if not members:
        await ctx.reply(ctx.t("checkin.top.empty"))
        return
    lines = [ctx.t("checkin.top.title")]
    for number, member in enumerate(members, 1):
        lines.append(
            ctx.t("checkin.top.line", n=number, name=member.name or member.user_id, streak=member.streak, longest=member.longest)
        )
    await ctx.reply("\n".join(lines))


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


async def rate(ctx: Context) -> None:
    assert ctx.guild_id is not None and ctx.event.guild is not None
    [found] = await group_rates(ctx.platform, [(ctx.guild_id, ctx.event.guild.name, ctx.timezone)], ctx.event.timestamp)
    await ctx.reply(
        ctx.t(
            "checkin.rate.line",
            today=_percent(found.today_rate),
            checked=found.today,
            members=found.members,
            week=_percent(found.week_rate),
        )
    )


async def league(ctx: Context) -> None:
    """Every group of the bot on this platform, ranked by 7-day rate then today's."""
    settings = settings_for(ctx)
    guilds = await GuildSettings.filter(platform=ctx.platform, active=True).all()
    roster = ctx.app.roster
    groups = [(g.guild_id, g.name, roster.timezone_of(g)) for g in guilds]
    rates = [r for r in await group_rates(ctx.platform, groups, ctx.event.timestamp) if r.members]
    if not rates:
        await ctx.reply(ctx.t("checkin.league.empty"))
        return
    rates.sort(key=lambda r: (-r.week_rate, -r.today_rate, -r.members, r.name))
    lines = [ctx.t("checkin.league.title")]
    for number, found in enumerate(rates[: settings.top_size], 1):
        lines.append(_league_line(ctx, number, found))
    here = next((n for n, r in enumerate(rates, 1) if r.guild_id == ctx.guild_id), None)
    if here is not None and here > settings.top_size:
        lines.append(_league_line(ctx, here, rates[here - 1]))
    await ctx.reply("\n".join(lines))


def _league_line(ctx: Context, number: int, found: GroupRate) -> str:
    marker = "👉 " if found.guild_id == ctx.guild_id else ""
    return marker + ctx.t(
        "checkin.league.line",
        n=number,
        name=found.name,
        week=_percent(found.week_rate),
        today=_percent(found.today_rate),
        checked=found.today,
        members=found.members,
    )
