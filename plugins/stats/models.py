"""Activity tables: hourly buckets per group, per-member daily message counts, and the daily
rows old hours are rolled up into.

``guild_id`` holds the group's stable key (``GroupRef.key``), not its current platform id: a
group the platform gave a new id (a Telegram group upgraded to a supergroup) keeps its figures.
``day`` and ``hour`` are the group's local date and hour (0-23) when the counted thing happened.
A year of 500 busy groups is about 500 x 24 x 90 hour rows (the raw window) plus 500 x 365 day
rows: rolling up keeps it small.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = [
    "COUNTERS", "StatsDay", "StatsExtra", "StatsHour", "StatsReport", "StatsSpeaker", "StatsSubscriber",
]

# The counters every bucket has, in the order of the tables' columns. ``speakers`` is distinct
# members who spoke; the rest are plain counts (``points``: points earned).
COUNTERS = (
    "messages", "speakers", "joins", "leaves", "checkins", "points",
    "packets_sent", "packets_grabbed", "ads_removed",
)


class _Counted(Model):
    # The counters of a period of one group (COUNTERS), shared by hours and days.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    day = fields.DateField()
    messages = fields.IntField(default=0)
    speakers = fields.IntField(default=0)
    joins = fields.IntField(default=0)
    leaves = fields.IntField(default=0)
    checkins = fields.IntField(default=0)
    points = fields.BigIntField(default=0)
    packets_sent = fields.IntField(default=0)
    packets_grabbed = fields.IntField(default=0)
    ads_removed = fields.IntField(default=0)

    class Meta:
        abstract = True


class StatsHour(_Counted):
    # One local hour of one group. Written only by batched upserts that add to the counters.
    hour = fields.SmallIntField()

    class Meta:
        table = "stats_hour"
        unique_together = (("platform", "guild_id", "day", "hour"),)


class StatsDay(_Counted):
    # One local day of one group, rolled up from its hours once they are older than raw_days;
    # ``speakers`` is the day's distinct speakers (not the sum of the hours').

    class Meta:
        table = "stats_day"
        unique_together = (("platform", "guild_id", "day"),)


class StatsSpeaker(Model):
    # Messages of one member in one group on one local day: distinct speakers of any period and
    # the top speakers. Dropped after raw_days (the day row keeps the day's speaker count).
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    day = fields.DateField()
    user_id = fields.CharField(max_length=32)
    messages = fields.IntField(default=0)

    class Meta:
        table = "stats_speaker"
        unique_together = (("platform", "guild_id", "day", "user_id"),)
        indexes = (("platform", "user_id"),)


class StatsExtra(Model):
    # A counter another plugin reports under a name the buckets have no column for; ``hour`` -1
    # once rolled up into its day.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    day = fields.DateField()
    hour = fields.SmallIntField()
    name = fields.CharField(max_length=32)
    value = fields.BigIntField(default=0)

    class Meta:
        table = "stats_extra"
        unique_together = (("platform", "guild_id", "day", "hour", "name"),)


class StatsSubscriber(Model):
    # An admin who asked for the group's reports in private (/stats report on). Their level is
    # checked again at each report: one who is no longer an admin gets nothing.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    user_id = fields.CharField(max_length=32)
    since = fields.DatetimeField()

    class Meta:
        table = "stats_subscriber"
        unique_together = (("platform", "guild_id", "user_id"),)
        indexes = (("platform", "user_id"),)


class StatsReport(Model):
    # A report claimed for a group's local day before it is sent (kind: daily, weekly, or
    # hq_daily / hq_weekly for the digest in the HQ group): each is sent at most once, whatever
    # restarts, catch-ups and DST folds happen.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    day = fields.DateField()
    kind = fields.CharField(max_length=16)
    sent_at = fields.DatetimeField()
    # Where it went: hq, admins (how many), group; "none" when no admin asked for it.
    delivered = fields.CharField(max_length=32, default="")

    class Meta:
        table = "stats_report"
        unique_together = (("platform", "guild_id", "day", "kind"),)
