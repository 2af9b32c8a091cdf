"""/stats: a group's figures with its trend and top speakers, its hour x weekday heatmap, and
(bot owners) the fleet of groups compared and classed by health."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from bot import Context, GroupRef, Image, Outgoing, PermissionLevel, Scope, Text
from plugins.stats import plugin
from plugins.stats.config import StatsConfig, StatsSettings
from plugins.stats.drawing import draw
from plugins.stats.fleet import FLEET_DAYS, fleet_health
from plugins.stats.health import CLASSES, HEALTH_DAYS
from plugins.stats.queries import Totals, best_hour, best_hours_of_day, heatmap, period_totals, top_speakers
from plugins.stats.reports import trend_png
from plugins.stats.service import Stats

__all__ = ["fleet", "health", "show", "show_heatmap"]


def _config(scope: Scope) -> StatsConfig:
    return scope.config or StatsConfig()


def _settings(ctx: Context) -> StatsSettings:
    """The group's own settings (its table under [plugins.stats.groups], else the section's)."""
    return _config(ctx).for_group(ctx.group)


def _today(ctx: Context) -> date:
    return ctx.now.astimezone(ctx.timezone).date()


def _n(value: float) -> str:
    return f"{value:,.0f}"


def summary_lines(ctx: Context, totals: Totals, days: int, last: date) -> list[str]:
    net = totals["joins"] - totals["leaves"]
    lines = [
        ctx.t("stats.summary.title", group=ctx.group.name if ctx.group else "", days=days,
              last=last.strftime("%m-%d"), tz=ctx.timezone.key),
        ctx.t("stats.summary.messages", messages=_n(totals["messages"]),
              daily=_n(totals["messages"] / days), speakers=_n(totals["speakers"])),
        ctx.t("stats.summary.members", joins=_n(totals["joins"]), leaves=_n(totals["leaves"]),
              net=f"{net:+,d}"),
    ]
    extras = []
    if totals["checkins"]:
        extras.append(ctx.t("stats.summary.checkins", count=_n(totals["checkins"])))
    if totals["points"]:
        extras.append(ctx.t("stats.summary.points", count=_n(totals["points"])))
    if totals["packets_sent"] or totals["packets_grabbed"]:
        extras.append(ctx.t("stats.summary.packets", sent=_n(totals["packets_sent"]),
                            grabbed=_n(totals["packets_grabbed"])))
    if totals["ads_removed"]:
        extras.append(ctx.t("stats.summary.ads", count=_n(totals["ads_removed"])))
    if extras:
        lines.append(ctx.t("stats.summary.separator").join(extras))
    return lines


@plugin.command("stats", description="stats.cmd.stats", level=PermissionLevel.ADMIN, guild_only=True)
async def show(ctx: Context, period: Literal["7d", "30d"] = "7d") -> None:
    """The period's figures, the trend chart and the top speakers."""
    assert ctx.group is not None
    await ctx.service(Stats).flush()
    days = 7 if period == "7d" else 30
    last = _today(ctx)
    first = last - timedelta(days=days - 1)
    totals, by_day = await period_totals(ctx.group, first, last)
    lines = summary_lines(ctx, totals, days, last)
    grid = await heatmap(ctx.group, last - timedelta(days=_settings(ctx).heatmap_days - 1), last)
    hours = best_hours_of_day(grid)
    if hours:
        lines.append(ctx.t("stats.summary.best", hours=ctx.t("stats.summary.separator").join(
            f"{h:02d}:00" for h in hours)))
    if not totals["messages"] and not totals["joins"] and not totals["leaves"]:
        lines.append(ctx.t("stats.summary.empty"))
        await ctx.reply("\n".join(lines))
        return
    trend = await trend_png(ctx.t, ctx.group, days, by_day)
    elements: list = [Text("\n".join(lines)), Image(trend, f"stats-trend-{days}d.png")]
    top = await top_speakers(ctx.group, first, last, _settings(ctx).top_size)
    if top:
        names = await ctx.roster.names(ctx.group.platform, [u for u, _ in top])
        png = await draw(
            "top_chart", [names.get(u) or u for u, _ in top], [n for _, n in top],
            title=ctx.t("stats.chart.top_title", days=days), xlabel=ctx.t("stats.chart.messages"),
        )
        elements.append(Image(png, f"stats-top-{days}d.png"))
    await ctx.reply(Outgoing(tuple(elements)))


@plugin.command(
    "stats heatmap", description="stats.cmd.heatmap", level=PermissionLevel.ADMIN, guild_only=True
)
async def show_heatmap(ctx: Context) -> None:
    """Average messages per weekday and local hour; the best hour to post marked."""
    assert ctx.group is not None
    await ctx.service(Stats).flush()
    span = _settings(ctx).heatmap_days
    last = _today(ctx)
    grid = await heatmap(ctx.group, last - timedelta(days=span - 1), last)
    best = best_hour(grid)
    if best is None:
        await ctx.reply(ctx.t("stats.heatmap.empty", days=span))
        return
    weekdays = [ctx.t(f"stats.weekday.{i}") for i in range(7)]
    weekday, hour, average = best
    best_text = ctx.t("stats.heatmap.best", weekday=weekdays[weekday], hour=f"{hour:02d}:00")
    hours = best_hours_of_day(grid)
    text = "\n".join([
        ctx.t("stats.heatmap.title", days=span, tz=ctx.timezone.key),
        ctx.t("stats.heatmap.best_line", best=best_text, average=f"{average:.1f}"),
        ctx.t("stats.heatmap.daily", hours=ctx.t("stats.summary.separator").join(
            f"{h:02d}:00" for h in hours)),
    ])
    png = await draw(
        "heatmap_chart", grid, (weekday, hour),
        title=ctx.t("stats.chart.heatmap_title", group=ctx.group.name, tz=ctx.timezone.key),
        weekdays=weekdays, hour_label=ctx.t("stats.chart.hour"), best_label=best_text,
        scale_label=ctx.t("stats.chart.average"),
    )
    await ctx.reply(Outgoing((Text(text), Image(png, "stats-heatmap.png"))))


# -- the fleet (bot owners) ----------------------------------------------------------------------
def _name(ref: GroupRef) -> str:
    return ref.name or ref.key


@plugin.command("stats fleet", description="stats.cmd.fleet", level=PermissionLevel.OWNER)
async def fleet(ctx: Context) -> None:
    """Every group on one chart: speakers and messages a day, coloured by health class."""
    await ctx.service(Stats).flush()
    groups = await fleet_health(ctx, _config(ctx))
    if not groups:
        await ctx.reply(ctx.t("stats.fleet.empty"))
        return
    ranked = sorted(groups, key=lambda g: -g.totals["messages"])
    lines = [ctx.t("stats.fleet.title", count=len(groups), days=FLEET_DAYS)]
    for group in ranked[:_config(ctx).fleet_labels]:
        ref, health, totals = group.ref, group.health, group.totals
        lines.append(ctx.t(
            "stats.fleet.row", group=_name(ref), platform=ref.platform,
            messages=_n(totals["messages"] / FLEET_DAYS), speakers=f"{health.speakers:.1f}",
            net=f"{totals['joins'] - totals['leaves']:+,d}", cls=ctx.t(f"stats.class.{health.cls}"),
        ))
    if len(ranked) > _config(ctx).fleet_labels:
        lines.append(ctx.t("stats.fleet.more", count=len(ranked) - _config(ctx).fleet_labels))
    points = [(_name(g.ref), g.health.speakers, g.health.messages, g.health.cls) for g in groups]
    png = await draw(
        "fleet_chart", points, title=ctx.t("stats.chart.fleet_title", days=HEALTH_DAYS),
        xlabel=ctx.t("stats.chart.fleet_x"), ylabel=ctx.t("stats.chart.fleet_y"),
        classes={c: ctx.t(f"stats.class.{c}") for c in CLASSES}, labelled=_config(ctx).fleet_labels,
    )
    await ctx.reply(Outgoing((Text("\n".join(lines)), Image(png, "stats-fleet.png"))))


@plugin.command("stats health", description="stats.cmd.health", level=PermissionLevel.OWNER)
async def health(ctx: Context) -> None:
    """The fleet by health class, each group with its reasons and one suggested action."""
    await ctx.service(Stats).flush()
    groups = await fleet_health(ctx, _config(ctx))
    if not groups:
        await ctx.reply(ctx.t("stats.fleet.empty"))
        return
    lines = [ctx.t("stats.health.title", days=HEALTH_DAYS)]
    for cls in CLASSES:
        mine = sorted((g for g in groups if g.health.cls == cls), key=lambda g: -g.health.messages)
        if not mine:
            continue
        lines.append("")
        lines.append(ctx.t("stats.health.class_line", cls=ctx.t(f"stats.class.{cls}"), count=len(mine),
                           action=ctx.t(f"stats.health.action.{cls}")))
        for group in mine:
            ref, result = group.ref, group.health
            why = ctx.t("stats.summary.separator").join(
                ctx.t(f"stats.health.why.{key}", **params) for key, params in result.reasons
            )
            lines.append(ctx.t("stats.health.row", group=_name(ref), platform=ref.platform, why=why))
    await ctx.reply("\n".join(lines))
