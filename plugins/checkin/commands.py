"""The /checkin commands: check in, make-up cards, the reminder switch, and the views."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from bot import Context, PermissionLevel
from plugins.checkin import plugin, views
from plugins.checkin.checking import check_in, days, points, settings_for, today
from plugins.checkin.models import CheckinMember
from plugins.checkin.quiet import set_quiet
from plugins.checkin.store import MadeUp, member_row, use_makeup
from plugins.points import InsufficientPoints

__all__ = ["checkin", "league", "makeup", "quiet", "rate", "remind_switch", "stats", "top"]


@plugin.command("checkin", description="checkin.cmd.checkin", guild_only=True)
async def checkin(ctx: Context) -> None:
    await check_in(ctx)


@plugin.command("checkin makeup", description="checkin.cmd.makeup", guild_only=True)
async def makeup(ctx: Context, day: date) -> None:
    """/checkin makeup 昨天|12-04|2026-12-04: pay points so a missed day counts (补签)."""
    assert ctx.member is not None
    settings = settings_for(ctx)
    if settings.makeup_days == 0:
        await ctx.reply(ctx.t("checkin.makeup.off"))
        return
    now = today(ctx)
    if day == now:
        await ctx.reply(ctx.t("checkin.makeup.today"))
        return
    if day > now:
        await ctx.reply(ctx.t("checkin.makeup.future", day=day.isoformat()))
        return
    earliest = now - timedelta(days=settings.makeup_days)
    if day < earliest:
        await ctx.reply(
            ctx.t(
                "checkin.makeup.too_old", day=day.isoformat(), days=days(ctx, settings.makeup_days),
                earliest=earliest.isoformat(),
            )
        )
        return

    async def tell(done: MadeUp) -> None:
        lines = [
            ctx.t(
                "checkin.makeup.done", day=day.isoformat(), cost=points(ctx, abs(done.paid.amount)),
                balance=done.paid.balance,
            ),
            ctx.t("checkin.streak", streak=days(ctx, done.current),
                  longest=days(ctx, done.streaks.longest)),
        ]
        lines += [ctx.t("checkin.makeup.milestone", days=d, points=points(ctx, p))
                  for d, p in done.milestones]
        await ctx.reply("\n".join(lines))

    try:
        done = await use_makeup(ctx, ctx.member, settings, day, now, ctx.event.timestamp, tell)
    except InsufficientPoints as exc:
        await ctx.reply(ctx.t("checkin.makeup.no_points", cost=points(ctx, settings.makeup_cost),
                              balance=points(ctx, exc.balance)))
        return
    if done is None:
        await ctx.reply(ctx.t("checkin.makeup.not_missed", day=day.isoformat()))


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


@plugin.command("checkin quiet", description="checkin.cmd.quiet", level=PermissionLevel.ADMIN,
                guild_only=True)
async def quiet(ctx: Context, state: Literal["on", "off"]) -> None:
    """/checkin quiet on|off: quiet mode for this group (see ``quiet``)."""
    assert ctx.group is not None
    await set_quiet(ctx.group, state == "on")
    await ctx.audit("checkin.quiet", None, state=state)
    if state == "off":
        await ctx.reply(ctx.t("checkin.quiet.off"))
        return
    settings = settings_for(ctx)
    lines = [ctx.t("checkin.quiet.on")]
    if settings.quiet_delete_after and ctx.bot.supports("message.delete"):
        lines.append(ctx.t("checkin.quiet.removed", n=settings.quiet_delete_after))
    if settings.quiet_summary_at:
        lines.append(ctx.t("checkin.quiet.summary", time=settings.quiet_summary_at))
    await ctx.reply("\n".join(lines))


@plugin.command("checkin league", description="checkin.cmd.league", level="admin")
async def league(ctx: Context) -> None:
    """Every group of the bot on this platform, ranked by 7-day rate then today's."""
    await ctx.reply(await views.league(ctx, settings_for(ctx)))
