"""/redpacket: send a packet (拼手气 or equal shares), my packets, the group's history and
stats; the Grab button of a packet's message."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from tortoise.expressions import Subquery
from tortoise.functions import Count, Sum

from bot import Context, PermissionLevel, Rest
from plugins.points import InsufficientPoints
from plugins.redpacket import plugin
from plugins.redpacket.models import OPEN, RedPacket, RedPacketShare
from plugins.redpacket.service import PacketRefused, RedPackets
from plugins.redpacket.views import points, read_shares, user_names

__all__ = ["grab", "history", "mine", "send", "stats"]

# A first word that asks for equal shares (普通红包) instead of the lucky split.
EQUAL_WORDS = frozenset({"equal", "平分", "均分", "普通"})
LUCKY_WORDS = frozenset({"lucky", "拼手气"})


def _key(ctx: Context) -> str:
    """The command's idempotency key: a redelivered update makes no second packet."""
    event = ctx.event
    message = getattr(event, "message", None)
    ident = event.delivery_id or (message.id if message is not None else None)
    if ident is None:
        interaction = getattr(event, "interaction", None)
        ident = str(getattr(interaction, "id", "")) or secrets.token_hex(8)
    group = ctx.group.key if ctx.group else ""
    return f"redpacket:cmd:{ctx.platform}:{group}:{ident}"[:160]


def _local(ctx: Context, at: datetime) -> str:
    return at.astimezone(ctx.timezone).strftime("%m-%d %H:%M")


@plugin.command("redpacket", description="redpacket.cmd.send", guild_only=True, aliases=("发红包",))
async def send(ctx: Context, total: int, count: int, message: Rest = "") -> None:
    """/redpacket TOTAL COUNT [equal] [message]: TOTAL points in COUNT shares."""
    user, member = ctx.event.user, ctx.member
    assert user is not None and member is not None
    if user.is_bot or user.is_channel:
        await ctx.reply(ctx.t("redpacket.send.not_member"))
        return
    mode = "lucky"
    first, _, rest = message.strip().partition(" ")
    if first.casefold() in EQUAL_WORDS:
        mode, message = "equal", rest.strip()
    elif first.casefold() in LUCKY_WORDS:
        message = rest.strip()
    try:
        await ctx.service(RedPackets).create(
            member, total, count, key=_key(ctx), mode=mode, message=message, reply_to=ctx
        )
    except PacketRefused as exc:
        await ctx.reply(ctx.t(exc.key, **exc.params))
    except InsufficientPoints as exc:
        await ctx.reply(ctx.t("redpacket.send.no_points", needed=exc.needed, balance=exc.balance))


@plugin.button("grab")
async def grab(ctx: Context, payload: dict) -> None:
    """抢: the member sees what they got privately (an alert on Telegram, an ephemeral answer on
    Discord)."""
    text = await ctx.service(RedPackets).grab(ctx, payload.get("packet"))
    await ctx.answer(text, alert=True)


@plugin.command("redpacket mine", description="redpacket.cmd.mine", guild_only=True)
async def mine(ctx: Context) -> None:
    """My open packets in this group, and what I grabbed today (the group's day)."""
    group, member = ctx.group, ctx.member
    assert group is not None and member is not None
    lines = []
    open_packets = await RedPacket.filter(
        platform=group.platform, guild_id=group.key, sender_id=member.user_id, status=OPEN
    ).order_by("created_at")
    if open_packets:
        lines.append(ctx.t("redpacket.mine.open"))
        for packet in open_packets:
            shares = await read_shares(packet.id)
            lines.append(
                ctx.t(
                    "redpacket.mine.open_line", id=packet.id, taken=shares.taken, count=packet.count,
                    points=points(ctx, ctx.locale, packet.total - shares.granted),
                    time=_local(ctx, packet.expires_at),
                )
            )
    else:
        lines.append(ctx.t("redpacket.mine.none_open"))
    local = ctx.now.astimezone(ctx.timezone)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    grabs = await RedPacketShare.filter(
        member_id=member.user_id, grabbed_at__gte=start, grabbed_at__lt=start + timedelta(days=1),
        packet_id__in=Subquery(
            RedPacket.filter(platform=group.platform, guild_id=group.key).values("id")
        ),
    ).order_by("grabbed_at").values("amount")
    if grabs:
        amounts = [g["amount"] for g in grabs]
        lines.append(
            ctx.t("redpacket.mine.today", n=len(amounts), points=points(ctx, ctx.locale, sum(amounts)),
                  list=", ".join(str(a) for a in amounts))
        )
    else:
        lines.append(ctx.t("redpacket.mine.today_none"))
    await ctx.reply("\n".join(lines))


@plugin.command(
    "redpacket history", description="redpacket.cmd.history", guild_only=True, level=PermissionLevel.ADMIN
)
async def history(ctx: Context) -> None:
    """The group's latest packets: when, who, how much, how far grabbed, how it ended."""
    group = ctx.group
    assert group is not None
    size = ctx.service(RedPackets).settings(group).list_size
    packets = await RedPacket.filter(platform=group.platform, guild_id=group.key).order_by(
        "-created_at", "-id"
    ).limit(size)
    if not packets:
        await ctx.reply(ctx.t("redpacket.history.none"))
        return
    names = await user_names(ctx, group.platform, sorted({p.sender_id for p in packets}), ctx.locale)
    lines = [ctx.t("redpacket.history.header")]
    for packet in packets:
        shares = await read_shares(packet.id)
        lines.append(
            ctx.t(
                "redpacket.history.line", id=packet.id, time=_local(ctx, packet.created_at),
                sender=names[packet.sender_id], points=points(ctx, ctx.locale, packet.total),
                taken=shares.taken, count=packet.count, granted=points(ctx, ctx.locale, shares.granted),
                status=ctx.t(f"redpacket.status.{packet.status}"),
            )
        )
    await ctx.reply("\n".join(lines))


@plugin.command("redpacket stats", description="redpacket.cmd.stats", guild_only=True)
async def stats(ctx: Context) -> None:
    """Packets sent and points grabbed in this group (all time, this week), and the week's top
    senders. Weeks start on Monday in the group's timezone."""
    group = ctx.group
    assert group is not None
    local = ctx.now.astimezone(ctx.timezone)
    week = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    packets = RedPacket.filter(platform=group.platform, guild_id=group.key)
    lines = []
    for since, key in ((None, "redpacket.stats.all"), (week, "redpacket.stats.week")):
        chosen = packets.filter(created_at__gte=since) if since else packets
        sent = await chosen.count()
        granted = await RedPacketShare.filter(
            member_id__isnull=False, packet_id__in=Subquery(chosen.values("id"))
        ).annotate(total=Sum("amount")).first().values("total")
        lines.append(ctx.t(key, n=sent, points=points(ctx, ctx.locale, (granted or {}).get("total") or 0)))
    size = ctx.service(RedPackets).settings(group).list_size
    top = await packets.filter(created_at__gte=week).annotate(
        sent=Sum("total"), n=Count("id")
    ).group_by("sender_id").order_by("-sent", "sender_id").limit(size).values("sender_id", "sent", "n")
    if top:
        names = await user_names(ctx, group.platform, [row["sender_id"] for row in top], ctx.locale)
        lines.append(ctx.t("redpacket.stats.top"))
        for rank, row in enumerate(top, 1):
            lines.append(
                ctx.t("redpacket.stats.top_line", rank=rank, name=names[row["sender_id"]],
                      points=points(ctx, ctx.locale, row["sent"]), n=row["n"])
            )
    else:
        lines.append(ctx.t("redpacket.stats.top_none"))
    await ctx.reply("\n".join(lines))
