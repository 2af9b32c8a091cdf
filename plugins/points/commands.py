"""Member and admin commands: /me, /rank, /top, /points give|take|pay|history|export."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Literal

from tortoise.functions import Sum

from bot import Context, File, MemberRef, Outgoing, PermissionLevel, Text, User
from plugins.points import csvio, plugin
from plugins.points.levels import progress_bar
from plugins.points.members import in_group
from plugins.points.models import GLOBAL_SCOPE, Balance, LedgerEntry
from plugins.points.reasons import readable
from plugins.points.service import CREDIT_SUFFIX, Points, Standing

__all__ = ["export", "history", "me", "rank", "top"]

Period = Literal["day", "week", "month", "all"]
# Rows of a board read at a time while looking for the group's current members.
BOARD_PAGE = 200


# -- standing ------------------------------------------------------------------------------------
@plugin.command("me", description="points.cmd.me", guild_only=True)
async def me(ctx: Context) -> None:
    assert ctx.event.user is not None
    await ctx.reply(await _card(ctx, ctx.event.user))


@plugin.command("rank", description="points.cmd.rank", guild_only=True)
async def rank(ctx: Context, member: User | None = None) -> None:
    assert ctx.event.user is not None and ctx.group is not None
    if member is not None and not await in_group(ctx, member.id):
        await ctx.reply(ctx.t("points.outside.card", name=member.display_name))
        return
    await ctx.reply(await _card(ctx, member or ctx.event.user))


async def _card(ctx: Context, user: User) -> str:
    points = ctx.service(Points)
    member = _member(ctx, user)
    standing = await points.standing(member)
    done, span = points.curve.progress(standing.lifetime_xp)
    place = await points.rank(member) if points.config.scope == "global" else await _place(ctx, standing)
    lines = [
        ctx.t("points.me.head", name=user.display_name, level=standing.level,
              title=points.title(standing.level, ctx.locale)),
        ctx.t("points.me.balance", balance=standing.balance, xp=standing.lifetime_xp),
        progress_bar(done, span)
        + (" " + ctx.t("points.me.next", left=span - done, level=standing.level + 1) if span else ""),
        ctx.t("points.me.rank_global" if points.config.scope == "global" else "points.me.rank",
              rank=place),
    ]
    return "\n".join(lines)


async def _place(ctx: Context, standing: Standing) -> int:
    """1 + the group's current members with more lifetime XP (who left is not ranked)."""
    assert ctx.group is not None
    above = await Balance.filter(
        platform=ctx.platform, scope=ctx.group.key, lifetime_xp__gt=standing.lifetime_xp
    ).values_list("user_id", flat=True)
    return len(await ctx.roster.current(ctx.group, list(above))) + 1


# -- leaderboards --------------------------------------------------------------------------------
@plugin.command("top", description="points.cmd.top")
async def top(ctx: Context, period: Period = "all", where: Literal["group", "global"] = "group") -> None:
    everywhere = where == "global"
    if everywhere and await ctx.level() < PermissionLevel.OWNER:
        await ctx.refuse(PermissionLevel.OWNER, ctx.t("points.top.global_command"))
        return
    if not everywhere and ctx.group is None:
        await ctx.reply(ctx.t("bot.error.guild_only", command="top"))
        return
    points = ctx.service(Points)
    limit = points.config.top_size
    if period == "all":
        rows = await _top_all(ctx, points, limit, everywhere)
    else:
        since = _period_start(ctx, period)
        query = LedgerEntry.filter(platform=ctx.platform, created_at__gte=since, xp__gt=0)
        if not everywhere:
            assert ctx.group is not None
            query = query.filter(guild_id=ctx.group.key)
        totals = query.annotate(total=Sum("xp")).group_by("user_id").order_by("-total", "user_id")

        async def page(offset: int, size: int) -> list[tuple[str, int]]:
            found = await totals.offset(offset).limit(size).values("user_id", "total")
            return [(r["user_id"], int(r["total"])) for r in found]

        rows = await _current_only(ctx, page, limit, everywhere)
    heading = ctx.t(f"points.top.{period}") + (" · " + ctx.t("points.top.global") if everywhere else "")
    if not rows:
        await ctx.reply(f"{heading}\n{ctx.t('points.top.empty')}")
        return
    names = await _names(ctx, [user_id for user_id, _ in rows])
    lines = [heading]
    for place, (user_id, total) in enumerate(rows, 1):
        name = names.get(user_id, user_id)
        if period == "all":
            level = points.curve.level_for(total)
            lines.append(ctx.t("points.top.line_all", place=place, name=name, level=level,
                               title=points.title(level, ctx.locale), xp=total))
        else:
            lines.append(ctx.t("points.top.line", place=place, name=name, xp=total))
    await ctx.reply("\n".join(lines))


async def _top_all(ctx: Context, points: Points, limit: int, everywhere: bool) -> list[tuple[str, int]]:
    """By lifetime XP (the level): the group's current members, or (``everywhere``) everyone
    still in some group."""
    platform = ctx.platform
    if not everywhere:
        assert ctx.group is not None
        query = Balance.filter(
            platform=platform, scope=points.balance_scope(ctx.group), lifetime_xp__gt=0
        ).order_by("-lifetime_xp", "user_id")

        async def page(offset: int, size: int) -> list[tuple[str, int]]:
            return list(await query.offset(offset).limit(size).values_list("user_id", "lifetime_xp"))

        return await _current_only(ctx, page, limit)
    if points.config.scope == "global":
        balances = Balance.filter(platform=platform, scope=GLOBAL_SCOPE, lifetime_xp__gt=0).order_by(
            "-lifetime_xp", "user_id")

        async def global_page(offset: int, size: int) -> list[tuple[str, int]]:
            return list(await balances.offset(offset).limit(size).values_list("user_id", "lifetime_xp"))

        return await _current_only(ctx, global_page, limit, everywhere=True)
    totals = (
        Balance.filter(platform=platform, lifetime_xp__gt=0).annotate(total=Sum("lifetime_xp"))
        .group_by("user_id").order_by("-total", "user_id")
    )

    async def summed_page(offset: int, size: int) -> list[tuple[str, int]]:
        found = await totals.offset(offset).limit(size).values("user_id", "total")
        return [(r["user_id"], int(r["total"])) for r in found]

    return await _current_only(ctx, summed_page, limit, everywhere=True)


async def _current_only(
    ctx: Context, page: Callable[[int, int], Awaitable[list[tuple[str, int]]]], limit: int,
    everywhere: bool = False,
) -> list[tuple[str, int]]:
    """The first ``limit`` rows of a board (read a page at a time) whose member is still in
    the group (``everywhere``: in some group): who left is not on its boards."""
    found: list[tuple[str, int]] = []
    offset = 0
    while len(found) < limit:
        rows = await page(offset, BOARD_PAGE)
        ids = [user_id for user_id, _ in rows]
        if everywhere:
            members = await ctx.roster.current_anywhere(ctx.platform, ids)
        else:
            assert ctx.group is not None
            members = await ctx.roster.current(ctx.group, ids)
        found += [(user_id, value) for user_id, value in rows if user_id in members]
        if len(rows) < BOARD_PAGE:
            break
        offset += BOARD_PAGE
    return found[:limit]


def _period_start(ctx: Context, period: str) -> datetime:
    """Local midnight starting the day, week (Monday) or month, in the group's timezone."""
    local = ctx.local_time.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "week":
        local -= timedelta(days=local.weekday())
    elif period == "month":
        local = local.replace(day=1)
    # In UTC: SQLite compares the stored (UTC) times as text, so an offset would shift the start.
    return local.astimezone(UTC)


async def _names(ctx: Context, user_ids: list[str]) -> dict[str, str]:
    known = await ctx.roster.names(ctx.platform, user_ids)
    return {user_id: known.get(user_id) or user_id for user_id in user_ids}


# -- history -------------------------------------------------------------------------------------
@plugin.command("points history", description="points.cmd.history", guild_only=True)
async def history(ctx: Context, member: User | None = None) -> None:
    caller = ctx.event.user
    assert caller is not None
    user = member or caller
    if user.id != caller.id and await ctx.level() < PermissionLevel.ADMIN:
        names = f"{ctx.t('points.names.points')} {ctx.t('points.names.points.history')}"
        await ctx.refuse(PermissionLevel.ADMIN, f"{names} @{user.display_name}")
        return
    points = ctx.service(Points)
    entries = await (
        LedgerEntry.filter(platform=ctx.platform, scope=points.balance_scope(ctx.group), user_id=user.id)
        .order_by("-id").limit(points.config.top_size)
        .values("created_at", "amount", "xp", "kind", "reason", "plugin", "key")
    )
    if not entries:
        await ctx.reply(ctx.t("points.history.empty", name=user.display_name))
        return
    others = await _counterparts(ctx, [e["key"] for e in entries if e["kind"] == "transfer"])
    lines = [ctx.t("points.history.head", name=user.display_name)]
    for entry in entries:
        when = entry["created_at"].astimezone(ctx.timezone).strftime("%m-%d %H:%M")
        xp = " " + ctx.t("points.history.xp", xp=entry["xp"]) if entry["xp"] else ""
        lines.append(f"{when}  {entry['amount']:+d}{xp}  {_describe(ctx, entry, others)}")
    await ctx.reply("\n".join(lines))


async def _counterparts(ctx: Context, keys: list[str]) -> dict[str, str]:
    """The other member of each transfer entry (by the entry's key): a transfer is a debit
    keyed K and a credit keyed K#credit."""
    pairs = {k.removesuffix(CREDIT_SUFFIX) if k.endswith(CREDIT_SUFFIX) else k + CREDIT_SUFFIX: k
             for k in keys}
    if not pairs:
        return {}
    rows = await LedgerEntry.filter(key__in=list(pairs)).values_list("key", "user_id")
    names = await _names(ctx, [user_id for _, user_id in rows])
    return {pairs[key]: names[user_id] for key, user_id in rows}


def _describe(ctx: Context, entry: dict, others: dict[str, str]) -> str:
    kind = ctx.t(f"points.kind.{entry['kind']}")
    reason = readable(entry["reason"], entry["plugin"], ctx.t)
    other = others.get(entry["key"])
    if other is not None:
        side = "to" if entry["amount"] < 0 else "from"
        kind = ctx.t(f"points.history.transfer_{side}", name=other)
    return f"{kind} · {reason}" if reason else kind


# -- export --------------------------------------------------------------------------------------
@plugin.command(
    "points export", description="points.cmd.export", level=PermissionLevel.ADMIN, guild_only=True
)
async def export(ctx: Context) -> None:
    points = ctx.service(Points)
    scope = points.balance_scope(ctx.group)
    balances = await csvio.balances_csv(ctx.roster, ctx.platform, scope)
    ledger = await csvio.ledger_csv(
        ctx.platform, scope, lambda reason, source: readable(reason, source, ctx.t), ctx.timezone
    )
    stamp = ctx.local_time.strftime("%Y%m%d-%H%M")
    name = "global" if scope == GLOBAL_SCOPE else scope
    await ctx.audit("points.export", None, scope=scope)
    await ctx.reply(
        Outgoing((
            Text(ctx.t("points.export.done")),
            File(balances, f"points-balances-{name}-{stamp}.csv", "text/csv"),
            File(ledger, f"points-ledger-{name}-{stamp}.csv", "text/csv"),
        )),
        private=True,
    )


# -- helpers -------------------------------------------------------------------------------------
def _member(ctx: Context, user: User) -> MemberRef:
    """``user`` as a member of the event's group."""
    return MemberRef(ctx.platform, user.id, ctx.group)
