"""Broadcast tables: the HQ, group tags and leaders, broadcasts and their delivery queue, and
scheduled posts (each occurrence of one is a broadcast of its own).

``guild_id`` columns hold the group's stable key (``GroupRef.key``), not its current platform
id: a Telegram group upgraded to a supergroup keeps its tags, leader and deliveries. For every
group that never changed id the two are the same.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = [
    "PENDING", "SENDING", "SENT", "FAILED", "UNKNOWN", "CANCELLED", "RECALL", "RECALLED",
    "RECALL_FAILED", "Broadcast", "Delivery", "GroupLeader", "GroupTag", "Headquarters",
    "Schedule",
]

# Delivery states. pending -> sending (claimed) -> sent | failed | unknown; pending -> cancelled;
# sent -> recall (asked to delete) -> recalled | not_recalled.
PENDING, SENDING, SENT, FAILED, UNKNOWN, CANCELLED = (
    "pending", "sending", "sent", "failed", "unknown", "cancelled"
)
RECALL, RECALLED, RECALL_FAILED = "recall", "recalled", "not_recalled"


class Headquarters(Model):
    # The one HQ group of the bot (name "hq"): where broadcasts are written and reported.
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=16, unique=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    set_by = fields.CharField(max_length=64)
    set_at = fields.DatetimeField()

    class Meta:
        table = "broadcast_hq"


class GroupTag(Model):
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    tag = fields.CharField(max_length=32)

    class Meta:
        table = "broadcast_tag"
        unique_together = (("platform", "guild_id", "tag"),)
        indexes = (("tag",),)


class GroupLeader(Model):
    # The member who answers for a group (群负责人): confirms each broadcast copy.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    user_id = fields.CharField(max_length=32)
    name = fields.CharField(max_length=128, default="")

    class Meta:
        table = "broadcast_leader"
        unique_together = (("platform", "guild_id"),)


class Broadcast(Model):
    id = fields.BigIntField(primary_key=True)
    # The HQ group it was written in, and by whom ("platform:user_id").
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    author = fields.CharField(max_length=64)
    # The message: stored elements (plugins.broadcast.content), and its plain text.
    elements = fields.JSONField()
    text = fields.TextField()
    # The HQ message it copies (platform, channel, message, media, buttons), or None: the
    # elements are the message.
    source = fields.JSONField(null=True)
    tags = fields.JSONField()
    # "HH:MM" in each group's timezone, or None: now.
    at = fields.CharField(max_length=5, null=True)
    pin = fields.BooleanField(default=False)
    # draft (a preview) -> confirmed | cancelled. Confirmed once: a conditional update.
    status = fields.CharField(max_length=12, default="draft")
    created_at = fields.DatetimeField()
    confirmed_at = fields.DatetimeField(null=True)
    targets = fields.IntField(default=0)
    # The live progress message in HQ.
    progress_channel = fields.CharField(max_length=32, null=True)
    progress_message = fields.CharField(max_length=32, null=True)
    # When the final summary was posted (claimed by a conditional update: posted once).
    reported_at = fields.DatetimeField(null=True)
    # When its text was last replaced (/broadcast edit): copies asked to show it before then
    # show it once edited.
    edited_at = fields.DatetimeField(null=True)
    # An occurrence of a scheduled post: the schedule and the local slot ("2026-03-29T09:00"),
    # unique together, so a slot becomes one broadcast however often the tick sees it.
    schedule_id = fields.BigIntField(null=True)
    occurrence = fields.CharField(max_length=16, null=True)

    class Meta:
        table = "broadcast"
        unique_together = (("schedule_id", "occurrence"),)


class Delivery(Model):
    # One copy of one broadcast for one group: the unique key makes it one row, the status
    # transitions (conditional updates) make it one send.
    id = fields.BigIntField(primary_key=True)
    broadcast_id = fields.BigIntField()
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    status = fields.CharField(max_length=12, default=PENDING)
    # When it is meant to go out (the group's local time), and when it may be tried next.
    due_at = fields.DatetimeField()
    next_at = fields.DatetimeField()
    attempts = fields.IntField(default=0)
    claimed_at = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=32, null=True)
    channel_id = fields.CharField(max_length=32, null=True)
    message_id = fields.CharField(max_length=32, null=True)
    sent_at = fields.DatetimeField(null=True)
    error = fields.CharField(max_length=300, null=True)
    # The first failure that left the copy in doubt, on a platform whose sends are idempotent:
    # sent again with the same key while Discord still remembers it.
    doubt_since = fields.DatetimeField(null=True)
    # Pinned (the broadcast's ``pin``), or why not.
    pinned_at = fields.DatetimeField(null=True)
    pin_error = fields.CharField(max_length=300, null=True)
    # The leader's "received".
    confirmed_at = fields.DatetimeField(null=True)
    confirmed_by = fields.CharField(max_length=32, null=True)
    # An edit of the copy was asked at this time (/broadcast edit; tried at ``next_at``):
    # cleared once the copy shows the text the broadcast had then or later. Why the last
    # edit failed, if it did.
    edit_at = fields.DatetimeField(null=True)
    edited_at = fields.DatetimeField(null=True)
    edit_error = fields.CharField(max_length=300, null=True)

    class Meta:
        table = "broadcast_delivery"
        unique_together = (("broadcast_id", "platform", "guild_id"),)
        # ("broadcast_id", "status"): one broadcast's copies in a state (/broadcast status, edit).
        indexes = (("status", "next_at"), ("status", "edit_at"), ("broadcast_id", "status"))


class Schedule(Model):
    # A post repeated on a cron spec in each target group's own timezone.
    id = fields.BigIntField(primary_key=True)
    # The group it was written in (its key), and by whom ("platform:user_id").
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    author = fields.CharField(max_length=64)
    # Local cron spec ("0 9 * * *"); with ``best``, the hour is each group's busiest.
    spec = fields.CharField(max_length=64)
    best = fields.BooleanField(default=False)
    # Where it goes: None = the group it was written in; [] = every group but HQ; tags.
    tags = fields.JSONField(null=True)
    elements = fields.JSONField()
    text = fields.TextField()
    source = fields.JSONField(null=True)
    paused = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()
    # Slots up to here were turned into broadcasts.
    checked_until = fields.DatetimeField()

    class Meta:
        table = "broadcast_schedule"
