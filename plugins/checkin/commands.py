"""Checking in (/checkin and the plain words), make-up cards and the reminder opt-out."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from bot import Context, MessageCreated
from plugins.checkin.config import CheckinConfig, CheckinSettings
from plugins.checkin.models import CheckIn, CheckinMember
from plugins.checkin.payout import PLUGIN, pay_milestones, settle_checkin
from plugins.checkin.store import (
    claim_makeup,
    drop_makeup,
    makeup_key,
    member_row,
    record_checkin,
    settle_makeup,
    unsettled_checkins,
)
from plugins.checkin.streaks import local_day, next_milestone, parse_day, reward_for, streak_on
from plugins.points import InsufficientPoints, Points

__all__ = ["check_in", "checkin_command", "checkin_word", "makeup", "remind_switch", "settings_for"]


def settings_for(ctx: Context) -> CheckinSettings:
    config: CheckinConfig = ctx.config or CheckinConfig()
    return config.for_group(ctx.platform, ctx.guild_id)


def _name(ctx: Context) -> str:
    user = ctx.event.user
    assert user is not None
    return user.display_name


async def checkin_command(ctx: Context) -> None:
    await check_in(ctx)


async def checkin_word(ctx: Context, event: MessageCreated) -> None:
    """A plain 签到 / 打卡 / checkin (per the group's word list) sent alone."""
    user = event.user
    if event.guild is None or user is None or user.is_bot or user.is_channel or event.message.forwarded:
        return
    text = event.message.text.strip().casefold()
    if text and text in settings_for(ctx).words:
        await check_in(ctx)


async def check_in(ctx: Context) -> None:
    settings = settings_for(ctx)
    user = ctx.event.user
    assert user is not None and ctx.guild_id is not None
    if user.is_bot or user.is_channel:
        # An anonymous admin, a channel or a bot is not a member: no streak, no points, no place.
        await ctx.reply(ctx.t("checkin.not_member"))
        return
    # The day the member sent it, in the group's timezone, whenever it is handled.
    day = local_day(ctx.event.timestamp, ctx.timezone)
    member = await member_row(ctx.platform, ctx.guild_id, user.id, user.display_name)
    row, streaks, new = await record_checkin(settings, member, day, ctx.event.timestamp)
    points = ctx.service(Points)
    if not new:
        # A tap after a crash between the check-in and its payment heals it here.
        await settle_checkin(points, row)
        await ctx.reply(_already(ctx, row, streaks.longest))
        return
    for unpaid in await unsettled_checkins(member):
        await settle_checkin(points, unpaid)
    milestones = await pay_milestones(points, member, row.streak, settings)
    await ctx.reply(_done(ctx, settings, row, streaks.longest, milestones))


def _already(ctx: Context, row: CheckIn, longest: int) -> str:
    if row.place is None:
        return ctx.t("checkin.already_makeup", name=_name(ctx))
    return ctx.t("checkin.already", name=_name(ctx), place=row.place, streak=row.streak, longest=longest)


def _done(
    ctx: Context, settings: CheckinSettings, row: CheckIn, longest: int, milestones: list[tuple[int, int]]
) -> str:
    reward = reward_for(
        row.streak,
        row.place,
        base=settings.base_points,
        step=settings.streak_step,
        cap=settings.streak_cap,
        first=settings.first_bonuses,
    )
    parts = [ctx.t("checkin.detail.base", points=reward.base)]
    if reward.streak_bonus:
        parts.append(ctx.t("checkin.detail.streak", points=reward.streak_bonus))
    if reward.first_bonus:
        parts.append(ctx.t("checkin.detail.first", points=reward.first_bonus, place=row.place))
    gained = row.reward + sum(points for _, points in milestones)
    lines = [
        ctx.t("checkin.done", name=_name(ctx), place=row.place),
        ctx.t("checkin.streak", streak=row.streak, longest=max(longest, row.streak)),
        ctx.t("checkin.gained", points=gained, detail=" + ".join(parts)),
    ]
    lines += [ctx.t("checkin.milestone", days=days, points=points) for days, points in milestones]
    upcoming = next_milestone(row.streak, settings.milestones)
    if upcoming is not None:
        lines.append(ctx.t("checkin.next", days=upcoming, left=upcoming - row.streak))
    return "\n".join(lines)


async def makeup(ctx: Context, day: str) -> None:
    """/checkin makeup YYYY-MM-DD: pay points so a missed day counts (补签)."""
    settings = settings_for(ctx)
    user = ctx.event.user
    assert user is not None and ctx.guild_id is not None
    if settings.makeup_days == 0:
        await ctx.reply(ctx.t("checkin.makeup.off"))
        return
    wanted = parse_day(day)
    if wanted is None:
        await ctx.reply(ctx.t("checkin.makeup.bad_date", value=day))
        return
    today = local_day(ctx.event.timestamp, ctx.timezone)
    if wanted == today:
        await ctx.reply(ctx.t("checkin.makeup.today"))
        return
    if wanted > today:
        await ctx.reply(ctx.t("checkin.makeup.future", day=wanted.isoformat()))
        return
    earliest = today - timedelta(days=settings.makeup_days)
    if wanted < earliest:
        await ctx.reply(
            ctx.t("checkin.makeup.too_old", day=wanted.isoformat(), days=settings.makeup_days, earliest=earliest.isoformat())
        )
        return
    member = await member_row(ctx.platform, ctx.guild_id, user.id, user.display_name)
    row = await claim_makeup(member, wanted, ctx.event.timestamp)
    if row is None:
        await ctx.reply(ctx.t("checkin.makeup.not_missed", day=wanted.isoformat()))
        return
    points = ctx.service(Points)
    try:
        paid = await points.spend(
            ctx.platform,
            ctx.guild_id,
            user.id,
            settings.makeup_cost,
            key=makeup_key(row),
            reason=f"check-in make-up card for {wanted.isoformat()}",
            plugin=PLUGIN,
        )
    except InsufficientPoints as exc:
        await drop_makeup(row)
        await ctx.reply(ctx.t("checkin.makeup.no_points", cost=settings.makeup_cost, balance=exc.balance))
        return
    _, streaks = await settle_makeup(member, row, today)
    current = streak_on(streaks, today)
    milestones = await pay_milestones(points, member, current, settings)
    lines = [
        ctx.t("checkin.makeup.done", day=wanted.isoformat(), cost=abs(paid.amount), balance=paid.balance),
        ctx.t("checkin.streak", streak=current, longest=streaks.longest),
    ]
    lines += [ctx.t("checkin.milestone", days=days, points=points) for days, points in milestones]
    await ctx.reply("\n".join(lines))


async def remind_switch(ctx: Context, state: Literal["on", "off"]) -> None:
    """/checkin remind on|off: whether the evening reminder may name this member."""
    user = ctx.event.user
    assert user is not None and ctx.guild_id is not None
    member = await member_row(ctx.platform, ctx.guild_id, user.id, user.display_name)
    await CheckinMember.filter(id=member.id).update(remind=state == "on")
    await ctx.reply(ctx.t(f"checkin.remind.{state}"))
