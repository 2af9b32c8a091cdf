"""The /checkin commands: check in, make-up cards, the reminder switch, and the views."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from bot import Context
from plugins.checkin import plugin, views
from plugins.checkin.checking import check_in, settings_for, today
from plugins.checkin.models import CheckinMember
from plugins.checkin.store import member_row, use_makeup
from plugins.checkin.streaks import parse_day
from plugins.points import InsufficientPoints

__all__ = ["checkin", "league", "makeup", "rate", "remind_switch", "stats", "top"]


@plugin.command("checkin", description="checkin.cmd.checkin", guild_only=True)
async def checkin(ctx: Context) -> None:
    await check_in(ctx)


@plugin.command("checkin makeup", description="checkin.cmd.makeup", guild_only=True)
async def makeup(ctx: Context, day: str) -> None:
    """/checkin makeup YYYY-MM-DD: pay points so a missed day counts (补签)."""
    assert ctx.member is not None
    settings = settings_for(ctx)
    if settings.makeup_days == 0:
        await ctx.reply(ctx.t("checkin.makeup.off"))
        return
    wanted = parse_day(day)
    if wanted is None:
        await ctx.reply(ctx.t("checkin.makeup.bad_date", value=day))
        return
    now = today(ctx)
    if wanted == now:
        await ctx.reply(ctx.t("checkin.makeup.today"))
        return
    if wanted > now:
        await ctx.reply(ctx.t("checkin.makeup.future", day=wanted.isoformat()))
        return
    earliest = now - timedelta(days=settings.makeup_days)
    if wanted < earliest:
        await ctx.reply(
            ctx.t(
                "checkin.makeup.too_old", day=wanted.isoformat(), days=settings.makeup_days,
                earliest=earliest.isoformat(),
            )
        )
        return
    try:
        done = await use_makeup(ctx, ctx.member, settings, wanted, now, ctx.event.timestamp)
    except InsufficientPoints as exc:
        cost = settings.makeup_cost
        await ctx.reply(ctx.t("checkin.makeup.no_points", cost=cost, balance=exc.balance))
        return
    if done is None:
        await ctx.reply(ctx.t("checkin.makeup.not_missed", day=wanted.isoformat()))
        return
    lines = [
        ctx.t(
            "checkin.makeup.done", day=wanted.isoformat(), cost=abs(done.paid.amount),
            balance=done.paid.balance,
        ),
        ctx.t("checkin.streak", streak=done.current, longest=done.streaks.longest),
    ]
    lines += [ctx.t("checkin.milestone", days=d, points=p) for d, p in done.milestones]
    await ctx.reply("\n".join(lines))


@plugin.command("checkin remind", description="checkin.cmd.remind", guild_only=True)
async def remind_switch(ctx: Context, state: Literal["on", "off"]) -> None:
    """/checkin remind on|off: whether the evening reminder may name this member."""
    assert ctx.member is not None
    row = await member_row(ctx.member)
    await CheckinMember.filter(id=row.id).update(remind=state == "on")
    await ctx.reply(ctx.t(f"checkin.remind.{state}"))


@plugin.command("checkin stats", description="checkin.cmd.stats", guild_only=True)
async def stats(ctx: Context) -> None:
    await ctx.reply(await views.calendar(ctx, today(ctx)))


@plugin.command("checkin top", description="checkin.cmd.top", guild_only=True)
async def top(ctx: Context) -> None:
    await ctx.reply(await views.leaderboard(ctx, settings_for(ctx), today(ctx)))


@plugin.command("checkin rate", description="checkin.cmd.rate", guild_only=True)
async def rate(ctx: Context) -> None:
    await ctx.reply(await views.group_rate(ctx))


@plugin.command("checkin league", description="checkin.cmd.league", level="admin")
async def league(ctx: Context) -> None:
    """Every group of the bot on this platform, ranked by 7-day rate then today's."""
    await ctx.reply(await views.league(ctx, settings_for(ctx)))
