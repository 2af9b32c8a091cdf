"""What members read: the packet's message (open, emptied, expired), durations and lists.

Texts of the packet's message are in the group's language (everyone reads it, and it is
edited by other members' grabs and by the expiry job); times in the group's timezone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import Button, Outgoing, Scope, Text
from plugins.redpacket.models import EXPIRED, FINISHED, RedPacket, RedPacketShare
from plugins.redpacket.store import FORGOTTEN

__all__ = ["Shares", "duration", "packet_message", "points", "read_shares", "user_names"]

# Lines of who got what on a finished packet; more are counted.
MAX_LINES = 30


@dataclass(frozen=True)
class Shares:
    taken: int
    granted: int
    # (user id, amount, grabbed at) in the order grabbed.
    grabs: list[tuple[str, int, datetime | None]]

    @property
    def luckiest(self) -> tuple[str, int] | None:
        """The largest share; on a tie, the first to grab it (as WeChat shows one 手气最佳)."""
        if not self.grabs:
            return None
        user, amount, _ = max(self.grabs, key=lambda g: (g[1], -self.grabs.index(g)))
        return user, amount


async def read_shares(packet_id: int) -> Shares:
    rows = await RedPacketShare.filter(packet_id=packet_id, member_id__isnull=False).order_by(
        "grabbed_at", "seq"
    ).values("member_id", "amount", "grabbed_at")
    grabs = [(r["member_id"], r["amount"], r["grabbed_at"]) for r in rows]
    return Shares(len(grabs), sum(g[1] for g in grabs), grabs)


async def user_names(scope: Scope, platform: str, user_ids: list[str], locale: str) -> dict[str, str]:
    """Display names; a forgotten member is "someone", a user never seen their id."""
    known = await scope.roster.names(platform, [u for u in user_ids if not u.startswith(FORGOTTEN)])
    someone = scope.translate(locale, "redpacket.someone")
    return {u: someone if u.startswith(FORGOTTEN) else known.get(u) or u for u in user_ids}


def points(scope: Scope, locale: str, n: int) -> str:
    """An amount with its unit in ``locale`` ("1 point", "5 points", "5 积分")."""
    return scope.translate(locale, "redpacket.unit.points", n=n)


def duration(scope: Scope, locale: str, delta: timedelta) -> str:
    seconds = max(1, int(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(scope.translate(locale, "redpacket.time.hours", n=hours))
    if minutes:
        parts.append(scope.translate(locale, "redpacket.time.minutes", n=minutes))
    if seconds and not hours:
        parts.append(scope.translate(locale, "redpacket.time.seconds", n=seconds))
    return scope.translate(locale, "redpacket.time.join").join(parts)


async def packet_message(
    scope: Scope, packet: RedPacket, shares: Shares, locale: str, timezone: ZoneInfo,
    button_id: str | None = None,
) -> Outgoing:
    """The packet's message in its current state; an open packet has its Grab button
    (``button_id``: the token it was sent with, so an edit keeps the same button)."""
    t = scope.translate
    luckiest = shares.luckiest
    ids = [packet.sender_id, *(g[0] for g in shares.grabs)]
    names = await user_names(scope, packet.platform, ids, locale)
    sender = names[packet.sender_id]
    title = "redpacket.packet.equal" if packet.mode == "equal" else "redpacket.packet.lucky"
    lines = [t(locale, title, sender=sender)]
    lines.append("「" + (packet.message or t(locale, "redpacket.packet.greeting")) + "」")
    total = points(scope, locale, packet.total)
    lines.append(t(locale, "redpacket.packet.size", n=packet.count, points=total))
    if packet.status in (FINISHED, EXPIRED):
        if packet.status == FINISHED:
            took = (packet.closed_at or packet.created_at) - packet.created_at
            lines.append(
                t(locale, "redpacket.packet.finished", n=packet.count, points=total,
                  duration=duration(scope, locale, took))
            )
        else:
            lines.append(
                t(locale, "redpacket.packet.expired", taken=shares.taken, count=packet.count,
                  points=points(scope, locale, packet.refunded), sender=sender)
            )
        for user, amount, _ in shares.grabs[:MAX_LINES]:
            line = t(locale, "redpacket.packet.line", name=names[user], points=points(scope, locale, amount))
            if luckiest is not None and user == luckiest[0] and packet.count > 1 and packet.mode != "equal":
                line += t(locale, "redpacket.packet.luckiest")
            lines.append(line)
        if len(shares.grabs) > MAX_LINES:
            lines.append(t(locale, "redpacket.packet.more", n=len(shares.grabs) - MAX_LINES))
        return Outgoing((Text("\n".join(lines)),))
    lines.append(t(locale, "redpacket.packet.progress", taken=shares.taken, count=packet.count,
                   points=points(scope, locale, shares.granted)))
    if luckiest is not None and packet.mode != "equal":
        lines.append(t(locale, "redpacket.packet.best_so_far", name=names[luckiest[0]],
                       points=points(scope, locale, luckiest[1])))
    until = packet.expires_at.astimezone(timezone).strftime("%m-%d %H:%M")
    lines.append(t(locale, "redpacket.packet.until", time=until))
    button = Button(t(locale, "redpacket.button.grab"), "grab", {"packet": packet.id}, id=button_id)
    return Outgoing((Text("\n".join(lines)),)).with_buttons([button])
