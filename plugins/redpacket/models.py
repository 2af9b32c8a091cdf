"""Red packet tables: one row per packet and one per share, split when the packet is sent.

``guild_id`` holds the group's stable key (``GroupRef.key``), not its current platform id, so
a group the platform gives a new id keeps its packets.

Money-like state changes only by conditional statements: a grab claims one unclaimed share
(``member_id IS NULL AND NOT refunded``) in one ``UPDATE ... RETURNING``; the unique
(packet, member) key makes a second grab by the same member fail; the expiry claims the
packet (``status = 'open'``) and then every unclaimed share (``refunded``) in one transaction
with the refund, so a share is either granted or refunded, never both.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = ["EXPIRED", "FINISHED", "OPEN", "RedPacket", "RedPacketShare"]

OPEN, FINISHED, EXPIRED = "open", "finished", "expired"


class RedPacket(Model):
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    sender_id = fields.CharField(max_length=48)
    total = fields.IntField()
    count = fields.IntField()
    # "lucky" (拼手气) or "equal" (普通红包).
    mode = fields.CharField(max_length=8)
    message = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    status = fields.CharField(max_length=8, default=OPEN)
    # When it was emptied or expired.
    closed_at = fields.DatetimeField(null=True)
    # What went back to the sender at expiry.
    refunded = fields.IntField(default=0)
    # The plugin that made it (``redpacket`` for /redpacket, the caller of the service) and
    # its idempotency key: the same key twice makes one packet.
    source = fields.CharField(max_length=32)
    key = fields.CharField(max_length=160, unique=True)
    # Where its message is (set once posted), and the token of its Grab button (learned at the
    # first grab: edits keep the same button).
    channel_id = fields.CharField(max_length=32, null=True)
    message_id = fields.CharField(max_length=32, null=True)
    button_id = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "redpacket"
        indexes = (("platform", "guild_id", "created_at"), ("status", "expires_at"))


class RedPacketShare(Model):
    id = fields.BigIntField(primary_key=True)
    packet_id = fields.BigIntField()
    seq = fields.IntField()
    amount = fields.IntField()
    # Who grabbed it (NULL: still in the packet).
    member_id = fields.CharField(max_length=48, null=True)
    grabbed_at = fields.DatetimeField(null=True)
    # Went back to the sender at expiry.
    refunded = fields.BooleanField(default=False)

    class Meta:
        table = "redpacket_share"
        unique_together = (("packet_id", "seq"), ("packet_id", "member_id"))
