"""The writes of red packets: create (escrow), grab, finish, expire (refund).

Each is one transaction with its points change (the ``Points`` service joins it with
``using=tx``), and each decides by a conditional statement, so concurrent grabs, two bot
processes on one PostgreSQL database, redelivered updates and restarts change nothing twice:

- **create**: the packet row, its share rows and the sender's ``spend`` (key
  ``redpacket:<id>:escrow``) commit together; a short balance rolls all three back. The
  caller's idempotency key is unique on the packet.
- **grab**: one ``UPDATE ... RETURNING`` claims the first unclaimed share (PostgreSQL: the
  subquery locks it ``FOR UPDATE SKIP LOCKED``, so racing grabs take different shares instead
  of waiting; SQLite: the statement is the transaction's first, so it takes the write lock
  before it reads, as ``BEGIN IMMEDIATE`` would). The unique (packet, member) key refuses a
  second share to one member. The grabber's ``earn`` (key ``redpacket:<id>:grab:<seq>``, no
  XP) commits with it.
- **finish**: after each grab has committed, ``status`` goes from open to finished only if no
  share is left: the last grab to commit sees it, and exactly one caller wins.
- **expire**: ``status`` open -> expired, then every unclaimed share is marked refunded (on
  PostgreSQL this waits for a grab holding a share, then skips it), and the sender's
  ``refund`` (key ``redpacket:<id>:refund``) of their sum, all in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from bot import GroupRef, MemberRef, PlainSQL, Scope, Transaction
from plugins.points import Points
from plugins.redpacket.models import EXPIRED, FINISHED, OPEN, RedPacket, RedPacketShare
from plugins.redpacket.split import equal_split, lucky_split

__all__ = [
    "FORGOTTEN",
    "Grab",
    "create_packet",
    "expire_packet",
    "finish_packet",
    "grab_share",
    "sender_ref",
    "shares_left",
]

# The id a forgotten member's shares and packets keep (unique per row, names nobody).
FORGOTTEN = "forgotten:"

_GRAB = PlainSQL(
    'UPDATE "redpacket_share" SET "member_id"={},"grabbed_at"={} WHERE "id"=('
    'SELECT "id" FROM "redpacket_share" WHERE "packet_id"={} AND "member_id" IS NULL '
    'AND NOT "refunded" ORDER BY "seq" LIMIT 1{lock}) RETURNING "id","seq","amount"',
    sqlite={"lock": ""},
    postgres={"lock": " FOR UPDATE SKIP LOCKED"},
)
_LEFT = PlainSQL(
    'SELECT 1 AS "left" FROM "redpacket_share" WHERE "packet_id"={} AND "member_id" IS NULL '
    'AND NOT "refunded" LIMIT 1'
)
_REFUND = PlainSQL(
    'UPDATE "redpacket_share" SET "refunded"=TRUE WHERE "packet_id"={} AND "member_id" IS NULL '
    'AND NOT "refunded" RETURNING "amount"'
)
_FINISH = PlainSQL(
    'UPDATE "redpacket" SET "status"=\'finished\',"closed_at"={} WHERE "id"={} AND "status"=\'open\' '
    'AND NOT EXISTS (SELECT 1 FROM "redpacket_share" WHERE "packet_id"={} AND "member_id" IS NULL '
    'AND NOT "refunded") RETURNING "id"'
)
_GRABBED_AT = RedPacketShare._meta.fields_map["grabbed_at"]
_CLOSED_AT = RedPacket._meta.fields_map["closed_at"]


def sender_ref(packet: RedPacket, group: GroupRef | None = None) -> MemberRef:
    """The sender as a member of the packet's group (its balance lives under the key)."""
    group = group or GroupRef(packet.platform, packet.guild_id, packet.guild_id)
    return MemberRef(packet.platform, packet.sender_id, group)


async def create_packet(
    scope: Scope,
    points: Points,
    member: MemberRef,
    total: int,
    count: int,
    *,
    mode: str,
    message: str,
    key: str,
    source: str,
    lifetime: timedelta,
    at: datetime,
    channel_id: str | None = None,
    using: Transaction | None = None,
) -> tuple[RedPacket, bool]:
    """The packet of ``key`` (and True when it was made now). Raises InsufficientPoints (then
    nothing was written) or ValueError for a total below the count."""
    assert member.group is not None
    first = await RedPacket.filter(key=key).first()
    if first is not None:
        return first, False
    shares = equal_split(total, count) if mode == "equal" else lucky_split(total, count)
    try:
        async with scope.transaction(using) as tx:
            packet = await RedPacket.create(
                platform=member.platform, guild_id=member.group.key, sender_id=member.user_id,
                total=total, count=count, mode=mode, message=message, created_at=at,
                expires_at=at + lifetime, status=OPEN, source=source, key=key, channel_id=channel_id,
                using_db=tx.connection,
            )
            await RedPacketShare.bulk_create(
                [
                    RedPacketShare(packet_id=packet.id, seq=seq, amount=amount)
                    for seq, amount in enumerate(shares)
                ],
                using_db=tx.connection,
            )
            await points.spend(
                member, total, key=f"redpacket:{packet.id}:escrow", reason=f"red packet #{packet.id}",
                actor=member.uid, at=at, using=tx,
            )
    except IntegrityError:
        # The same key, committed concurrently (a redelivered command handled twice at once).
        first = await RedPacket.filter(key=key).first()
        if first is None:
            raise
        return first, False
    return packet, True


@dataclass(frozen=True)
class Grab:
    seq: int
    amount: int
    new: bool  # False: the member had grabbed this share before (nothing changed now)


async def grab_share(
    scope: Scope, points: Points, packet: RedPacket, member: MemberRef, at: datetime
) -> Grab | None:
    """Claim one share of ``packet`` for ``member`` and pay it; None when none is left. A
    member who holds a share already gets it back (``new`` False) through the unique key:
    callers look that up first, as a press does, so a repeated press costs no write."""
    try:
        async with scope.transaction() as tx:
            connection = tx.connection
            rows = await connection.execute_query_dict(
                _GRAB.on(connection),
                [member.user_id, _GRABBED_AT.to_db_value(at, None), packet.id],
            )
            if not rows:
                return None
            seq, amount = rows[0]["seq"], rows[0]["amount"]
            await points.earn(
                member, amount, xp=0, key=f"redpacket:{packet.id}:grab:{seq}",
                reason=f"red packet #{packet.id}", actor=member.uid, at=at, using=tx,
            )
    except IntegrityError:
        # The same member grabbing twice at once: the unique (packet, member) key kept one.
        mine = await RedPacketShare.filter(packet_id=packet.id, member_id=member.user_id).first()
        if mine is None:
            raise
        return Grab(mine.seq, mine.amount, False)
    return Grab(seq, amount, True)


async def shares_left(packet_id: int) -> bool:
    """Whether a share of the packet is unclaimed (committed state: a share another grab holds
    locked, uncommitted, still counts)."""
    connection = RedPacketShare._meta.db
    return bool(await connection.execute_query_dict(_LEFT.on(connection), [packet_id]))


async def finish_packet(scope: Scope, packet_id: int, at: datetime) -> bool:
    """Mark the packet finished if it is open and empty; True for the one caller that did."""
    async with scope.transaction() as tx:
        connection = tx.connection
        rows = await connection.execute_query_dict(
            _FINISH.on(connection), [_CLOSED_AT.to_db_value(at, None), packet_id, packet_id]
        )
    return bool(rows)


async def expire_packet(
    scope: Scope, points: Points, packet: RedPacket, at: datetime, group: GroupRef | None
) -> str | None:
    """Close an open packet whose time is up: what is left goes back to the sender. Returns
    the outcome (``expired``, or ``finished`` when nothing was left), or None when another
    caller closed it."""
    async with scope.transaction() as tx:
        connection = tx.connection
        claimed = await RedPacket.filter(id=packet.id, status=OPEN).using_db(connection).update(
            status=EXPIRED, closed_at=at
        )
        if not claimed:
            return None
        rows = await connection.execute_query_dict(_REFUND.on(connection), [packet.id])
        left = sum(row["amount"] for row in rows)
        # A forgotten sender has no balance any more: the rest is not given back to nobody.
        if left and not packet.sender_id.startswith(FORGOTTEN):
            await points.refund(
                sender_ref(packet, group), left, key=f"redpacket:{packet.id}:refund",
                reason=f"red packet #{packet.id} expired", at=at, using=tx,
            )
        outcome = EXPIRED if left else FINISHED
        await RedPacket.filter(id=packet.id).using_db(connection).update(status=outcome, refunded=left)
    return outcome
