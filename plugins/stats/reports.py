"""What the reports say: a group's day against its 7-day average with the anomalies, its week
with the trend chart and its health class, and the digests of every group for the HQ group.

Every builder takes ``t`` (``t(key, **params)``, the reader's language), so one report can be
rendered for admins who read different languages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot import GroupInfo, GroupRef, Image, Outgoing, Scope, Text
from plugins.stats.anomalies import AVERAGE_DAYS, Anomaly, Comparison, compare, find_anomalies
from plugins.stats.config import AnomalyThresholds, StatsConfig, StatsSettings
from plugins.stats.drawing import draw
from plugins.stats.fleet import class_changes, first_seen, fleet_health, health_of, local_today
from plugins.stats.health import CLASSES, Health
from plugins.stats.queries import Totals, best_hours_of_day, days_of, fleet_days, heatmap, period_totals

__all__ = [
    "Daily", "daily_of", "daily_text", "hq_daily_text", "hq_weekly_content", "trend_png",
    "weekly_content",
]

T = Callable[..., str]
TREND_DAYS = 30


@dataclass(frozen=True, slots=True)
class Daily:
    group: GroupRef
    info: GroupInfo
    comparison: Comparison
    anomalies: list[Anomaly]


def number(value: float) -> str:
    return f"{value:,.0f}"


def change(t: T, now: float, before: float) -> str:
    """``+12%``, ``-40%``; with nothing before, a word saying so."""
    if before <= 0:
        return t("stats.report.no_base")
    return f"{100 * (now - before) / before:+.0f}%"


def _span(limits: AnomalyThresholds) -> int:
    return max(AVERAGE_DAYS, limits.leave_streak_days)


def daily_from(info: GroupInfo, days: dict[date, Totals], day: date, limits: AnomalyThresholds) -> Daily:
    comparison = compare(days, day, first_seen(info, days))
    return Daily(info.ref, info, comparison, find_anomalies(days, comparison, limits))


async def daily_of(info: GroupInfo, day: date, limits: AnomalyThresholds) -> Daily:
    """``day`` (a local day of the group) against the days before it."""
    days = await days_of(info.ref, day - timedelta(days=_span(limits)), day)
    return daily_from(info, days, day, limits)


def anomaly_lines(t: T, daily: Daily, prefix: str = "· ") -> list[str]:
    return [prefix + t(f"stats.report.anomaly.{a.kind}", **a.params) for a in daily.anomalies]


def _extras(t: T, figures: Totals) -> str:
    extras = []
    if figures["checkins"]:
        extras.append(t("stats.summary.checkins", count=number(figures["checkins"])))
    if figures["points"]:
        extras.append(t("stats.summary.points", count=number(figures["points"])))
    if figures["packets_sent"] or figures["packets_grabbed"]:
        extras.append(t("stats.summary.packets", sent=number(figures["packets_sent"]),
                        grabbed=number(figures["packets_grabbed"])))
    if figures["ads_removed"]:
        extras.append(t("stats.summary.ads", count=number(figures["ads_removed"])))
    return t("stats.summary.separator").join(extras)


def daily_text(t: T, daily: Daily) -> str:
    c = daily.comparison
    y = c.yesterday
    lines = [t("stats.report.daily_title", group=daily.group.name or daily.group.key,
               weekday=t(f"stats.weekday.{c.day.weekday()}"), day=c.day.strftime("%m-%d"),
               tz=daily.info.timezone.key)]
    if c.known_days:
        lines.append(t("stats.report.messages", messages=number(y["messages"]),
                       change=change(t, y["messages"], c.average["messages"]),
                       average=number(c.average["messages"]), speakers=number(y["speakers"]),
                       speakers_average=number(c.average["speakers"]), n=c.known_days))
    else:
        lines.append(t("stats.report.messages_new", messages=number(y["messages"]),
                       speakers=number(y["speakers"])))
    lines.append(t("stats.summary.members", joins=number(y["joins"]), leaves=number(y["leaves"]),
                   net=f"{y['joins'] - y['leaves']:+,d}"))
    extras = _extras(t, y)
    if extras:
        lines.append(extras)
    if daily.anomalies:
        lines.append(t("stats.report.attention"))
        lines.extend(anomaly_lines(t, daily))
    else:
        lines.append(t("stats.report.calm"))
    return "\n".join(lines)


async def trend_png(t: T, group: GroupRef, days: int, by_day: dict[date, Totals]) -> bytes:
    ordered = sorted(by_day)
    return await draw(
        "trend_chart", ordered, [by_day[d]["messages"] for d in ordered],
        [by_day[d]["speakers"] for d in ordered],
        [by_day[d]["joins"] - by_day[d]["leaves"] for d in ordered],
        title=t("stats.chart.trend_title", group=group.name or group.key, days=days),
        labels={"messages": t("stats.chart.messages"), "speakers": t("stats.chart.speakers"),
                "net": t("stats.chart.net")},
    )


def _why(t: T, health: Health) -> str:
    return t("stats.summary.separator").join(
        t(f"stats.health.why.{key}", **params) for key, params in health.reasons
    )


async def weekly_content(t: T, info: GroupInfo, last: date, settings: StatsSettings) -> Outgoing:
    """The week ending ``last`` against the one before, the health class (and its change), the
    busiest hours, and the 30-day trend chart."""
    group = info.ref
    totals, _ = await period_totals(group, last - timedelta(days=6), last)
    before, _ = await period_totals(group, last - timedelta(days=13), last - timedelta(days=7))
    days = await days_of(group, last - timedelta(days=TREND_DAYS - 1), last)
    health = health_of(days, info, last, settings.health)
    lines = [
        t("stats.report.weekly_title", group=group.name or group.key,
          first=(last - timedelta(days=6)).strftime("%m-%d"), last=last.strftime("%m-%d"),
          tz=info.timezone.key),
        t("stats.report.weekly_messages", messages=number(totals["messages"]),
          change=change(t, totals["messages"], before["messages"]), speakers=number(totals["speakers"]),
          previous_speakers=number(before["speakers"])),
        t("stats.summary.members", joins=number(totals["joins"]), leaves=number(totals["leaves"]),
          net=f"{totals['joins'] - totals['leaves']:+,d}"),
    ]
    extras = _extras(t, totals)
    if extras:
        lines.append(extras)
    cls = t(f"stats.class.{health.cls}")
    week_ago = last - timedelta(days=7)
    seen = first_seen(info, days)
    known_then = (before["messages"] or before["joins"]) and (seen is None or seen <= week_ago)
    previous = health_of(days, info, week_ago, settings.health) if known_then else None
    if previous is not None and previous.cls != health.cls:
        lines.append(t("stats.report.health_changed", previous=t(f"stats.class.{previous.cls}"), cls=cls,
                       why=_why(t, health)))
    else:
        lines.append(t("stats.report.health", cls=cls, why=_why(t, health)))
    grid = await heatmap(group, last - timedelta(days=settings.heatmap_days - 1), last)
    hours = best_hours_of_day(grid)
    if hours:
        lines.append(t("stats.summary.best", hours=t("stats.summary.separator").join(
            f"{h:02d}:00" for h in hours)))
    png = await trend_png(t, group, TREND_DAYS, days)
    return Outgoing((Text("\n".join(lines)), Image(png, f"stats-week-{last:%Y%m%d}.png")))


# -- the digests in HQ ---------------------------------------------------------------------------
def _group_line(t: T, daily: Daily) -> str:
    c, ref = daily.comparison, daily.group
    return t("stats.report.hq_row", group=ref.name or ref.key, platform=ref.platform,
             messages=number(c.yesterday["messages"]),
             change=change(t, c.yesterday["messages"], c.average["messages"]) if c.known_days
             else t("stats.report.no_base"),
             speakers=number(c.yesterday["speakers"]), joins=number(c.yesterday["joins"]),
             leaves=number(c.yesterday["leaves"]))


async def dailies(scope: Scope, groups: list[GroupInfo], config: StatsConfig) -> list[Daily]:
    """Each group's local yesterday against its own average, in three queries."""
    yesterdays = {g.ref: local_today(scope, g) - timedelta(days=1) for g in groups}
    span = max(_span(config.for_group(g.ref).anomalies) for g in groups)
    fleet = await fleet_days(min(yesterdays.values()) - timedelta(days=span), max(yesterdays.values()))
    result = []
    for info in groups:
        day = yesterdays[info.ref]
        days = fleet.get((info.ref.platform, info.ref.key), {})
        result.append(daily_from(info, days, day, config.for_group(info.ref).anomalies))
    return result


def hq_daily_text(t: T, reports: list[Daily], shown: int) -> str:
    """Every group's yesterday on one page: those with an anomaly first, each with what is
    unusual; then the busiest of the others (``shown`` at most)."""
    busiest = sorted(reports, key=lambda d: (-d.comparison.yesterday["messages"], d.group.gid))
    attention = [d for d in busiest if d.anomalies]
    calm = [d for d in busiest if not d.anomalies]
    total = Totals()
    for daily in reports:
        total.add(daily.comparison.yesterday.values)
    lines = [
        t("stats.report.hq_daily_title", n=len(reports)),
        t("stats.report.hq_totals", messages=number(total["messages"]), joins=number(total["joins"]),
          leaves=number(total["leaves"])),
    ]
    if attention:
        lines.append(t("stats.report.hq_attention", n=len(attention)))
        for daily in attention:
            lines.append(_group_line(t, daily))
            lines.extend(anomaly_lines(t, daily, prefix="   – "))
    if calm:
        lines.append(t("stats.report.hq_calm", n=len(calm)))
        lines.extend(_group_line(t, daily) for daily in calm[:shown])
        if len(calm) > shown:
            lines.append(t("stats.report.hq_more", n=len(calm) - shown))
    return "\n".join(lines)


async def hq_weekly_content(
    scope: Scope, t: T, groups: list[GroupInfo], config: StatsConfig, last: date,
) -> Outgoing:
    """The fleet's week: groups by health class, the class changes since a week ago, the fleet
    chart and the trend of all the groups together."""
    wanted = {g.ref.gid for g in groups}
    now = [g for g in await fleet_health(scope, config, days_back=1) if g.ref.gid in wanted]
    before = [g for g in await fleet_health(scope, config, days_back=8) if g.ref.gid in wanted]
    counts = Counter(g.health.cls for g in now)
    lines = [
        t("stats.report.hq_weekly_title", n=len(now), first=(last - timedelta(days=6)).strftime("%m-%d"),
          last=last.strftime("%m-%d")),
        t("stats.report.hq_classes", classes=t("stats.summary.separator").join(
            f"{t(f'stats.class.{cls}')} {counts[cls]}" for cls in CLASSES if counts[cls])),
    ]
    changes = class_changes(now, before)
    if changes:
        lines.append(t("stats.report.hq_changes", n=len(changes)))
        for ref, old, new in sorted(changes, key=lambda c: (CLASSES.index(c[2]), c[0].gid)):
            lines.append(t("stats.report.hq_change_row", group=ref.name or ref.key, platform=ref.platform,
                           previous=t(f"stats.class.{old}"), cls=t(f"stats.class.{new}"),
                           action=t(f"stats.health.action.{new}")))
    else:
        lines.append(t("stats.report.hq_no_changes"))
    points = [(g.ref.name or g.ref.key, g.health.speakers, g.health.messages, g.health.cls) for g in now]
    fleet_png = await draw(
        "fleet_chart", points, title=t("stats.chart.fleet_title", days=14),
        xlabel=t("stats.chart.fleet_x"), ylabel=t("stats.chart.fleet_y"),
        classes={c: t(f"stats.class.{c}") for c in CLASSES}, labelled=config.fleet_labels,
    )
    first = last - timedelta(days=TREND_DAYS - 1)
    together = {first + timedelta(days=i): Totals() for i in range(TREND_DAYS)}
    for (platform, key), days in (await fleet_days(first, last)).items():
        if f"{platform}:{key}" in wanted:
            for day, figures in days.items():
                together[day].add(figures.values)
                together[day].values["speakers"] += figures["speakers"]
    everyone = GroupRef("", "", "", t("stats.report.all_groups"))
    trend = await trend_png(t, everyone, TREND_DAYS, together)
    return Outgoing((
        Text("\n".join(lines)), Image(trend, f"stats-fleet-week-{last:%Y%m%d}.png"),
        Image(fleet_png, f"stats-fleet-{last:%Y%m%d}.png"),
    ))
