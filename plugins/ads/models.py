"""Ads tables: one row per judged message (its verdict and what was done), the whitelist the
admins keep, and the settings they changed.

``guild_id`` holds the group's stable key (``GroupRef.key``), not its current platform id: a
group the platform gave a new id keeps its rows.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = ["AdAllow", "AdGroup", "AdStrike", "STATUSES"]

# pending: waiting for a red packet until `deadline`; exempt: a packet came with it;
# removed: deleted, a strike on the ladder; watched: watch mode, nothing done;
# undone / pardoned: an admin took the strike back; reposted: the member reposted with a packet.
STATUSES = ("pending", "exempt", "removed", "watched", "undone", "pardoned", "reposted")


class AdStrike(Model):
    # One judged message. The unique (platform, group, channel, message) key makes a
    # redelivered update or an edit of the same message count once.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    channel_id = fields.CharField(max_length=32)
    message_id = fields.CharField(max_length=32)
    user_id = fields.CharField(max_length=32)
    at = fields.DatetimeField()
    deadline = fields.DatetimeField()
    status = fields.CharField(max_length=10)
    score = fields.FloatField(default=0)
    reasons = fields.CharField(max_length=500, default="")
    # The ad's text, for the "repost with a red packet" button.
    text = fields.TextField(default="")
    # The ladder step it took (1 = first in a row) and what that did.
    step = fields.IntField(default=0)
    action = fields.CharField(max_length=16, default="")
    decided_at = fields.DatetimeField(null=True)
    # The packet that exempted it, and its total.
    packet_id = fields.BigIntField(null=True)
    packet_total = fields.IntField(default=0)
    # The bot's notice / reminder in the group, removed later.
    notice_channel = fields.CharField(max_length=32, null=True)
    notice_id = fields.CharField(max_length=32, null=True)
    notice_until = fields.DatetimeField(null=True)
    undone_by = fields.CharField(max_length=48, null=True)

    class Meta:
        table = "ads_strike"
        unique_together = (("platform", "guild_id", "channel_id", "message_id"),)
        # ("notice_until",): the reminders whose minute is up, read by a job every minute.
        indexes = (("platform", "guild_id", "user_id", "at"), ("status", "deadline"), ("notice_until",))


class AdAllow(Model):
    # A whitelisted domain or username of one group.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    kind = fields.CharField(max_length=8)  # domain | username
    value = fields.CharField(max_length=128)
    added_by = fields.CharField(max_length=48, default="")
    at = fields.DatetimeField()

    class Meta:
        table = "ads_allow"
        unique_together = (("platform", "guild_id", "kind", "value"),)


class AdGroup(Model):
    # Settings an admin changed for one group (NULL: the config's).
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    mode = fields.CharField(max_length=8, null=True)
    min_total = fields.IntField(null=True)
    min_count = fields.IntField(null=True)
    grace_minutes = fields.FloatField(null=True)

    class Meta:
        table = "ads_group"
        unique_together = (("platform", "guild_id"),)
