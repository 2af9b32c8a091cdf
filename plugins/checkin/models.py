"""Check-in tables: one row per member per group per local day, a per-member summary, and the
reminder sent per group per day.

``guild_id`` holds the group's stable key (``GroupRef.key``), not its current platform id: a
group the platform gave a new id (a Telegram group upgraded to a supergroup) keeps its rows.
For every group that never changed id the two are the same, so the column kept its name.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = [
    "KIND_CHECKIN",
    "KIND_MAKEUP",
    "CheckIn",
    "CheckinGroup",
    "CheckinMember",
    "CheckinReminder",
    "CheckinReply",
    "CheckinSummary",
]

KIND_CHECKIN = "checkin"
KIND_MAKEUP = "makeup"


class CheckIn(Model):
    # One local day of one member in one group: a check-in, or a make-up card for a missed day.
    # The unique (member, group, day) key is what makes double taps, concurrent taps and
    # redelivered updates count once; the unique (group, day, place) key makes "#3 today" exact
    # when several members check in at the same moment (make-ups have no place: NULLs differ);
    # it also serves as the index of a group's day.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    user_id = fields.CharField(max_length=32)
    day = fields.DateField()
    kind = fields.CharField(max_length=8, default=KIND_CHECKIN)
    place = fields.IntField(null=True)
    # The platform's time of the message (a make-up: when the card was used).
    at = fields.DatetimeField()
    # The streak this day completed (what "already checked in" shows), and what it earned.
    streak = fields.IntField(default=0)
    reward = fields.IntField(default=0)
    # Always True: a day is written in the same transaction as its points change (its reward,
    # a make-up card's cost), so no row exists unpaid. Kept from the time the two were written
    # one after the other; migration 0002 settled the rows of that time.
    settled = fields.BooleanField(default=True)

    class Meta:
        table = "checkin_day"
        unique_together = (
            ("platform", "guild_id", "user_id", "day"),
            ("platform", "guild_id", "day", "place"),
        )


class CheckinMember(Model):
    # A member's streaks in one group, recomputed from the day rows in the same transaction as
    # every change to them, so leaderboards and reminders need not read the whole history.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    user_id = fields.CharField(max_length=32)
    # No longer written: names come from the roster (``scope.roster.names``).
    name = fields.CharField(max_length=128, default="")
    # The run of consecutive days ending at last_day.
    streak = fields.IntField(default=0)
    last_day = fields.DateField(null=True)
    longest = fields.IntField(default=0)
    total = fields.IntField(default=0)
    # False after /checkin remind off.
    remind = fields.BooleanField(default=True)

    class Meta:
        table = "checkin_member"
        unique_together = (("platform", "guild_id", "user_id"),)
        indexes = (("platform", "guild_id", "last_day"),)


class CheckinReminder(Model):
    # The reminder of one group's day: claimed before it is posted, so it is posted once.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    day = fields.DateField()
    at = fields.DatetimeField()
    at_risk = fields.IntField(default=0)

    class Meta:
        table = "checkin_reminder"
        unique_together = (("platform", "guild_id", "day"),)


class CheckinGroup(Model):
    # A group's own choice made with /checkin quiet on|off; without a row, the config decides.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    quiet = fields.BooleanField()

    class Meta:
        table = "checkin_group"
        unique_together = (("platform", "guild_id"),)


class CheckinReply(Model):
    # A quiet group's check-in reply, to be removed at delete_at (kept here across restarts).
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    channel_id = fields.CharField(max_length=64)
    message_id = fields.CharField(max_length=64)
    delete_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "checkin_reply"


class CheckinSummary(Model):
    # The morning summary of one quiet group's day: claimed before it is posted, so once.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    day = fields.DateField()
    at = fields.DatetimeField()
    checked = fields.IntField(default=0)

    class Meta:
        table = "checkin_summary"
        unique_together = (("platform", "guild_id", "day"),)
