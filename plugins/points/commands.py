"""Member and admin commands: /me, /rank, /top, /points give|take|pay|history|export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from tortoise.functions import Sum

from bot import Context, File, MemberRef, Outgoing, PermissionLevel, Rest, Text, User
from plugins.points import csvio, plugin
from plugins.points.levels import progress_bar
from plugins.points.models import GLOBAL_SCOPE, Balance, LedgerEntry
from plugins.points.service import InsufficientPoints, Points

__all__ = ["export", "give", "history", "me", "pay", "rank", "take", "top"]

Period = Literal["day", "week", "month", "all"]
# Rows of a global board read at a time while looking for this group's members.
BOARD_PAGE = 200


# -- standing ------------------------------------------------------------------------------------
@plugin.command("me", description="points.cmd.me", guild_only=True)
async def me(ctx: Context) -> None:
    assert ctx.event.user is not None
    await ctx.reply(await _card(ctx, ctx.event.user))


@plugin.command("rank", description="points.cmd.rank", guild_only=True)
async def rank(ctx: Context, member: User | None = None) -> None:
    assert ctx.event.user is not None
    await ctx.reply(await _card(ctx, member or ctx.event.user))


async def _card(ctx: Context, user: User) -> str:
    points = ctx.service(Points)
    member = _member(ctx, user)
    standing = await points.standing(member)
    done, span = points.curve.progress(standing.lifetime_xp)
    place = await points.rank(member)
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


# -- leaderboards --------------------------------------------------------------------------------
@plugin.command("top", description="points.cmd.top")
async def top(ctx: Context, period: Period = "all", where: Literal["group", "global"] = "group") -> None:
    everywhere = where == "global"
    if everywhere and await ctx.level() < PermissionLevel.OWNER:
        level = ctx.t("bot.level.owner")
        await ctx.reply(ctx.t("bot.error.no_permission", level=level, command="top … global"))
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
        rows = [
            (r["user_id"], int(r["total"]))
            for r in await query.annotate(total=Sum("xp")).group_by("user_id")
            .order_by("-total", "user_id").limit(limit).values("user_id", "total")
        ]
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
    """By lifetime XP (the level): in the group, or (``everywhere``) across all groups."""
    platform = ctx.platform
    if not everywhere:
        assert ctx.group is not None
        query = Balance.filter(
            platform=platform, scope=points.balance_scope(ctx.group), lifetime_xp__gt=0
        ).order_by("-lifetime_xp", "user_id")
        if points.config.scope != "global":
            rows = await query.limit(limit).values_list("user_id", "lifetime_xp")
            return [(user_id, xp) for user_id, xp in rows]
        # One balance everywhere: this group's board lists this group's current members.
        found: list[tuple[str, int]] = []
        offset = 0
        while len(found) < limit:
            page = await query.offset(offset).limit(BOARD_PAGE).values_list("user_id", "lifetime_xp")
            members = await ctx.roster.current(ctx.group, [user_id for user_id, _ in page])
            found += [(user_id, xp) for user_id, xp in page if user_id in members]
            if len(page) < BOARD_PAGE:
                break
            offset += BOARD_PAGE
        return found[:limit]
    if points.config.scope == "global":
        rows = await Balance.filter(platform=platform, scope=GLOBAL_SCOPE, lifetime_xp__gt=0).order_by(
            "-lifetime_xp", "user_id").limit(limit).values_list("user_id", "lifetime_xp")
        return [(user_id, xp) for user_id, xp in rows]
    totals = await (
        Balance.filter(platform=platform, lifetime_xp__gt=0).annotate(total=Sum("lifetime_xp"))
        .group_by("user_id").order_by("-total", "user_id").limit(limit).values("user_id", "total")
    )
    return [(r["user_id"], int(r["total"])) for r in totals]


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


# -- admins: give and take -----------------------------------------------------------------------
@plugin.command("points give", description="points.cmd.give", level=PermissionLevel.ADMIN, guild_only=True)
async def give(ctx: Context, member: User, amount: int, reason: Rest = "") -> None:
    if not await _valid_amount(ctx, amount) or not await _valid_target(ctx, member):
        return
    points = ctx.service(Points)
    # Granted points are not activity: they never raise a level.
    result = await points.earn(
        _member(ctx, member), amount, xp=0, key=_action_key(ctx, "give"), reason=reason or "",
        actor=ctx.user_key, at=ctx.event.timestamp,
    )
    await ctx.audit("points.give", f"{ctx.platform}:{member.id}", amount=amount, reason=reason)
    await ctx.reply(
        ctx.t("points.give.done", amount=amount, name=member.display_name, balance=result.balance)
    )


@plugin.command("points take", description="points.cmd.take", level=PermissionLevel.ADMIN, guild_only=True)
async def take(ctx: Context, member: User, amount: int, reason: Rest = "") -> None:
    if not await _valid_amount(ctx, amount) or not await _valid_target(ctx, member):
        return
    points = ctx.service(Points)
    try:
        result = await points.penalty(
            _member(ctx, member), amount, key=_action_key(ctx, "take"), reason=reason or "",
            actor=ctx.user_key, at=ctx.event.timestamp,
        )
    except InsufficientPoints as exc:
        await ctx.reply(ctx.t("points.take.too_much", name=member.display_name, balance=exc.balance))
        return
    await ctx.audit("points.take", f"{ctx.platform}:{member.id}", amount=amount, reason=reason)
    await ctx.reply(
        ctx.t("points.take.done", amount=amount, name=member.display_name, balance=result.balance)
    )


# -- members: pay and history --------------------------------------------------------------------
@plugin.command("points pay", description="points.cmd.pay", guild_only=True)
async def pay(ctx: Context, member: User, amount: int) -> None:
    points = ctx.service(Points)
    sender = ctx.event.user
    assert sender is not None
    if not points.config.pay_enabled:
        await ctx.reply(ctx.t("points.pay.disabled"))
        return
    if not await _valid_amount(ctx, amount) or not await _valid_target(ctx, member):
        return
    if member.id == sender.id:
        await ctx.reply(ctx.t("points.pay.self"))
        return
    try:
        result = await points.transfer(
            _member(ctx, sender), _member(ctx, member), amount, key=_action_key(ctx, "pay"),
            reason="", actor=ctx.user_key, at=ctx.event.timestamp,
        )
    except InsufficientPoints as exc:
        await ctx.reply(ctx.t("points.error.insufficient", balance=exc.balance, amount=amount))
        return
    await ctx.reply(
        ctx.t("points.pay.done", amount=amount, name=member.display_name, balance=result.balance)
    )


@plugin.command("points history", description="points.cmd.history", guild_only=True)
async def history(ctx: Context, member: User | None = None) -> None:
    caller = ctx.event.user
    assert caller is not None
    user = member or caller
    if user.id != caller.id and await ctx.level() < PermissionLevel.ADMIN:
        await ctx.reply(ctx.t("points.history.not_yours"))
        return
    points = ctx.service(Points)
    entries = await (
        LedgerEntry.filter(platform=ctx.platform, scope=points.balance_scope(ctx.group), user_id=user.id)
        .order_by("-id").limit(points.config.top_size)
        .values("created_at", "amount", "xp", "kind", "reason", "plugin")
    )
    if not entries:
        await ctx.reply(ctx.t("points.history.empty", name=user.display_name))
        return
    lines = [ctx.t("points.history.head", name=user.display_name)]
    for entry in entries:
        when = entry["created_at"].astimezone(ctx.timezone).strftime("%m-%d %H:%M")
        xp = f" (+{entry['xp']} XP)" if entry["xp"] else ""
        lines.append(f"{when}  {entry['amount']:+d}{xp}  {_describe(ctx, entry)}")
    await ctx.reply("\n".join(lines))


def _describe(ctx: Context, entry: dict) -> str:
    kind = ctx.t(f"points.kind.{entry['kind']}")
    reason = entry["reason"]
    if entry["plugin"] == "points" and reason in ("activity", "import"):
        reason = ctx.t(f"points.reason.{reason}")
    return f"{kind} · {reason}" if reason else kind


# -- export --------------------------------------------------------------------------------------
@plugin.command(
    "points export", description="points.cmd.export", level=PermissionLevel.ADMIN, guild_only=True
)
async def export(ctx: Context) -> None:
    points = ctx.service(Points)
    scope = points.balance_scope(ctx.group)
    balances = await csvio.balances_csv(ctx.roster, ctx.platform, scope)
    ledger = await csvio.ledger_csv(ctx.platform, scope)
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
async def _valid_amount(ctx: Context, amount: int) -> bool:
    if amount <= 0:
        await ctx.reply(ctx.t("points.error.amount", amount=amount))
        return False
    return True


async def _valid_target(ctx: Context, member: User) -> bool:
    if member.is_bot or member.is_channel:
        await ctx.reply(ctx.t("points.error.bot", name=member.display_name))
        return False
    return True


def _member(ctx: Context, user: User) -> MemberRef:
    """``user`` as a member of the event's group."""
    return MemberRef(ctx.platform, user.id, ctx.group)


def _action_key(ctx: Context, verb: str) -> str:
    """The idempotency key of a command's change: the platform's delivery or message id plus
    its time, so a redelivered command applies once and a restarted console never collides."""
    event = ctx.event
    message = getattr(event, "message", None)
    ident = event.delivery_id or (message.id if message is not None else "")
    millis = int(event.timestamp.timestamp() * 1000)
    user = event.user.id if event.user else ""
    group = ctx.group.key if ctx.group else None
    return f"points:{verb}:{event.platform}:{group}:{user}:{ident}:{millis}"
