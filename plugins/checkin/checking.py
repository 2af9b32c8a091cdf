"""A member checks in (``/checkin`` or a plain 签到): what it records and what the reply says."""

from __future__ import annotations

from datetime import date

from bot import Context
from plugins.checkin.config import CheckinConfig, CheckinSettings
from plugins.checkin.store import Checked
from plugins.checkin.store import check_in as record
from plugins.checkin.streaks import local_day, next_milestone, reward_for

__all__ = ["check_in", "settings_for", "today"]


def settings_for(ctx: Context) -> CheckinSettings:
    config: CheckinConfig = ctx.config or CheckinConfig()
    return config.for_group(ctx.group)


def today(ctx: Context) -> date:
    """The day the member sent the message, in the group's timezone, whenever it is handled."""
    return local_day(ctx.event.timestamp, ctx.timezone)


def _name(ctx: Context) -> str:
    user = ctx.event.user
    assert user is not None
    return user.display_name


async def check_in(ctx: Context) -> None:
    user = ctx.event.user
    assert user is not None and ctx.member is not None and ctx.group is not None
    if user.is_bot or user.is_channel:
        # An anonymous admin, a channel or a bot is not a member: no streak, no points, no place.
        await ctx.reply(ctx.t("checkin.not_member"))
        return
    settings = settings_for(ctx)
    done = await record(ctx, ctx.member, settings, today(ctx), ctx.event.timestamp)
    await ctx.reply(_done(ctx, settings, done) if done.new else _already(ctx, done))


def _already(ctx: Context, done: Checked) -> str:
    row = done.row
    if row.place is None:
        return ctx.t("checkin.already_makeup", name=_name(ctx))
    return ctx.t(
        "checkin.already", name=_name(ctx), place=row.place, streak=row.streak,
        longest=done.streaks.longest,
    )


def _done(ctx: Context, settings: CheckinSettings, done: Checked) -> str:
    row = done.row
    reward = reward_for(
        row.streak, row.place, base=settings.base_points, step=settings.streak_step,
        cap=settings.streak_cap, first=settings.first_bonuses,
    )
    parts = [ctx.t("checkin.detail.base", points=reward.base)]
    if reward.streak_bonus:
        parts.append(ctx.t("checkin.detail.streak", points=reward.streak_bonus))
    if reward.first_bonus:
        parts.append(ctx.t("checkin.detail.first", points=reward.first_bonus, place=row.place))
    gained = row.reward + sum(points for _, points in done.milestones)
    lines = [
        ctx.t("checkin.done", name=_name(ctx), place=row.place),
        ctx.t("checkin.streak", streak=row.streak, longest=max(done.streaks.longest, row.streak)),
        ctx.t("checkin.gained", points=gained, detail=" + ".join(parts)),
    ]
    lines += [ctx.t("checkin.milestone", days=d, points=p) for d, p in done.milestones]
    upcoming = next_milestone(row.streak, settings.milestones)
    if upcoming is not None:
        lines.append(ctx.t("checkin.next", days=upcoming, left=upcoming - row.streak))
    return "\n".join(lines)
