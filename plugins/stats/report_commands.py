"""/stats report: who gets the group's daily and weekly reports (an admin asks for them in
private, or stops), where they go, and the report now; /stats export: the hourly buckets as
CSV, sent in private."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from bot import Context, File, MemberRef, Outgoing, PermissionLevel, PlatformError, Text
from plugins.stats import plugin
from plugins.stats.config import StatsConfig, StatsSettings
from plugins.stats.delivery import hq_of, route
from plugins.stats.export import ExportGroup, csv_bytes, export_rows
from plugins.stats.models import StatsSubscriber
from plugins.stats.reports import daily_of, daily_text, weekly_content
from plugins.stats.service import Stats

__all__ = ["export", "report"]

EXPORT_DAYS = 30


def _settings(ctx: Context) -> StatsSettings:
    return (ctx.config or StatsConfig()).for_group(ctx.group)


def _group_name(ctx: Context) -> str:
    assert ctx.group is not None
    return ctx.group.name or ctx.group.key


@plugin.command("stats report", description="stats.cmd.report", level=PermissionLevel.ADMIN, guild_only=True)
async def report(ctx: Context, action: Literal["on", "off", "now", "week"] | None = None) -> None:
    """Without a word: where the reports go. ``on``/``off``: this admin gets them in private or
    stops. ``now``/``week``: yesterday's report, or the week's, here and now."""
    group, member = ctx.group, ctx.member
    assert group is not None and member is not None
    settings = _settings(ctx)
    keys = {"platform": group.platform, "guild_id": group.key, "user_id": member.user_id}
    if action == "on":
        await _subscribe(ctx, member, settings)
    elif action == "off":
        gone = await StatsSubscriber.filter(**keys).delete()
        await ctx.reply(ctx.t("stats.report.off" if gone else "stats.report.off_not", group=_group_name(ctx)))
    elif action in ("now", "week"):
        await ctx.service(Stats).flush()
        info = await ctx.roster.group(group)
        yesterday = ctx.now.astimezone(ctx.timezone).date() - timedelta(days=1)
        if action == "now":
            await ctx.reply(daily_text(ctx.t, await daily_of(info, yesterday, settings.anomalies)))
        else:
            await ctx.reply(await weekly_content(ctx.t, info, yesterday, settings))
    else:
        await ctx.reply(await _status(ctx, settings))


def _when(ctx: Context, settings: StatsSettings) -> str:
    weekday = settings.weekly_weekday
    weekly = ""
    if weekday is not None:
        weekly = ctx.t("stats.report.weekly_on", weekday=ctx.t(f"stats.weekday.{weekday}"))
    return ctx.t("stats.report.when", time=settings.report_time, tz=ctx.timezone.key, weekly=weekly)


async def _subscribe(ctx: Context, member: MemberRef, settings: StatsSettings) -> None:
    group = ctx.group
    assert group is not None
    where = route(settings, await hq_of(ctx))
    try:
        # The first private message says what they asked for; one that cannot be delivered
        # means no report could be either.
        welcome = ctx.t("stats.report.welcome", group=_group_name(ctx), when=_when(ctx, settings))
        await ctx.send_private(member, welcome)
    except PlatformError:
        await ctx.reply(ctx.t("stats.report.dm_closed"))
        return
    await StatsSubscriber.get_or_create(
        platform=group.platform, guild_id=group.key, user_id=member.user_id, defaults={"since": ctx.now}
    )
    note = "" if where == "admins" else ctx.t(f"stats.report.not_admins.{where}")
    await ctx.reply(ctx.t("stats.report.on", group=_group_name(ctx), when=_when(ctx, settings)) + note)


async def _status(ctx: Context, settings: StatsSettings) -> str:
    group = ctx.group
    assert group is not None
    hq = await hq_of(ctx)
    where = route(settings, hq)
    admins = await StatsSubscriber.filter(platform=group.platform, guild_id=group.key).count()
    if where == "hq":
        target = ctx.t("stats.report.where.hq", hq=hq.name or hq.key if hq else "")
    elif where == "admins":
        target = ctx.t("stats.report.where.admins", n=admins) if admins else ctx.t(
            "stats.report.where.nobody"
        )
    else:
        target = ctx.t(f"stats.report.where.{where}")
    if where == "off":
        return target
    return ctx.t("stats.report.status", when=_when(ctx, settings), where=target)


@plugin.command("stats export", description="stats.cmd.export", level=PermissionLevel.ADMIN, guild_only=True)
async def export(ctx: Context, since: date | None = None) -> None:
    """The group's hourly buckets since ``since`` (default: the last 30 days) as CSV."""
    group, member, user = ctx.group, ctx.member, ctx.event.user
    assert group is not None and member is not None and user is not None
    await ctx.service(Stats).flush()
    today = ctx.now.astimezone(ctx.timezone).date()
    first = since or today - timedelta(days=EXPORT_DAYS - 1)
    table = await export_rows([ExportGroup(group, ctx.timezone)], first, today)
    rows = len(table) - 1
    filename = f"stats-{group.platform}-{group.key}-{first:%Y%m%d}-{today:%Y%m%d}.csv".replace("/", "_")
    message = Outgoing((
        Text(ctx.t("stats.export.done", group=_group_name(ctx), first=first.isoformat(), n=rows)),
        File(csv_bytes(table), filename, "text/csv"),
    ))
    try:
        await ctx.send_private(member, message)
    except PlatformError:
        await ctx.reply(ctx.t("bot.error.dm_closed", name=user.display_name))
        return
    if not ctx.event.is_direct:
        await ctx.reply(ctx.t("stats.export.sent"))
