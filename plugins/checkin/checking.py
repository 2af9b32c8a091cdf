"""A member checks in (``/checkin`` or a plain 签到): what it records and what the reply says.

The reply is sent once the day has committed and before anything its points caused (a level-up
announcement), so a member reads their check-in first. The points line adds up to the total:
base, streak bonus, place bonus and any milestone reached.
"""

from __future__ import annotations

from datetime import date

from bot import Context
from plugins.checkin.config import CheckinConfig, CheckinSettings
from plugins.checkin.quiet import held_for_summary, remove_later
from plugins.checkin.store import Checked
from plugins.checkin.store import check_in as record
from plugins.checkin.streaks import local_day, next_milestone, reward_for

__all__ = ["check_in", "days", "points", "settings_for", "today"]


def settings_for(ctx: Context) -> CheckinSettings:
    config: CheckinConfig = ctx.config or CheckinConfig()
    return config.for_group(ctx.group)


def today(ctx: Context) -> date:
    """The day the member sent the message, in the group's timezone, whenever it is handled."""
    return local_day(ctx.event.timestamp, ctx.timezone)


def days(ctx: Context, n: int) -> str:
    return ctx.t("checkin.days", n=n)


def points(ctx: Context, n: int) -> str:
    return ctx.t("checkin.points", n=n)


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

    async def tell(done: Checked) -> None:
        assert ctx.group is not None
        await ctx.emit("stats_count", group=ctx.group, name="checkins", amount=1)
        quiet = _quiet(settings, done)
        if quiet and held_for_summary(settings, ctx.local_time):
            return  # the morning summary names it
        text = _short(ctx, settings, done) if quiet else _done(ctx, settings, done)
        sent = await ctx.reply(text)
        if quiet:
            await remove_later(ctx, ctx.platform, sent, settings)

    done = await record(ctx, ctx.member, settings, today(ctx), ctx.event.timestamp, tell)
    if not done.new:
        sent = await ctx.reply(_already(ctx, done))
        if _quiet(settings, done):
            await remove_later(ctx, ctx.platform, sent, settings)


def _quiet(settings: CheckinSettings, done: Checked) -> bool:
    """Whether the group is quiet (as ``quiet.is_quiet`` decides, from the group's choice the
    check-in read with the rest)."""
    return settings.quiet if done.quiet is None else done.quiet


def _already(ctx: Context, done: Checked) -> str:
    row = done.row
    if row.place is None:
        return ctx.t("checkin.already_makeup", name=_name(ctx))
    return ctx.t(
        "checkin.already", name=_name(ctx), place=row.place, streak=days(ctx, row.streak),
        longest=days(ctx, done.streaks.longest),
    )


def _gained(ctx: Context, settings: CheckinSettings, done: Checked) -> tuple[int, list[str]]:
    """The points of a new check-in and what they are made of (milestones included)."""
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
    for streak, bonus in done.milestones:
        parts.append(ctx.t("checkin.detail.milestone", points=bonus, days=streak))
    return row.reward + sum(bonus for _, bonus in done.milestones), parts


def _done(ctx: Context, settings: CheckinSettings, done: Checked) -> str:
    row = done.row
    total, parts = _gained(ctx, settings, done)
    longest = max(done.streaks.longest, row.streak)
    lines = [
        ctx.t("checkin.done", name=_name(ctx), place=row.place),
        ctx.t("checkin.streak", streak=days(ctx, row.streak), longest=days(ctx, longest)),
        ctx.t("checkin.gained", points=points(ctx, total), detail=" + ".join(parts)),
    ]
    lines += [ctx.t("checkin.milestone", days=d) for d, _ in done.milestones]
    upcoming = next_milestone(row.streak, settings.milestones)
    if upcoming is not None:
        lines.append(ctx.t("checkin.next", days=upcoming, left=days(ctx, upcoming - row.streak)))
    return "\n".join(lines)


def _short(ctx: Context, settings: CheckinSettings, done: Checked) -> str:
    total, _ = _gained(ctx, settings, done)
    return ctx.t(
        "checkin.short", name=_name(ctx), place=done.row.place, streak=days(ctx, done.row.streak),
        points=points(ctx, total),
    )
