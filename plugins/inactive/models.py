"""Tables of the inactive plugin: sweeps (a preview, its confirmation, warning, run and undo),
one row per selected member and what happened to them, the allow-list, and for the messages
rule: members' daily message counts, when the counting first saw each member, and the counting
sessions that say since when the counts are complete.

``guild_id`` holds the group's stable key (``GroupRef.key``), not its current platform id: a
group the platform gave a new id (a Telegram supergroup upgrade) keeps its rows. For every
group that never changed id the two are the same.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = [
    "OPEN",
    "Candidate",
    "CountingSession",
    "DayCount",
    "FirstCounted",
    "Protected",
    "Sweep",
]

# Sweep.status: preview -> warned -> running -> done | halted; preview -> superseded | expired;
# preview/warned -> cancelled; done/halted -> undone.
OPEN = ("preview", "warned", "running")


class Sweep(Model):
    # One elimination: the members a preview selected, then (after an admin's Confirm, or in
    # auto mode) their warning, the removal at the deadline and its undo. A scheduled sweep
    # carries its job slot: unique, so a slot makes one sweep whatever restarts happen.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    status = fields.CharField(max_length=12, default="preview")
    created_at = fields.DatetimeField()
    created_by = fields.CharField(max_length=64, null=True)
    slot = fields.DatetimeField(null=True)
    # How many members the rules selected in all (the sweep keeps at most max_per_run of them).
    eligible = fields.IntField(default=0)
    confirmed_at = fields.DatetimeField(null=True)
    confirmed_by = fields.CharField(max_length=64, null=True)
    deadline = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    # Why a run stopped (a platform refusal), for the report.
    halted_reason = fields.CharField(max_length=200, default="")
    undone_at = fields.DatetimeField(null=True)
    undone_by = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "inactive_sweep"
        unique_together = (("platform", "guild_id", "slot"),)
        indexes = (("platform", "guild_id", "status"),)


class Candidate(Model):
    # One selected member of a sweep, with the rule that selected them and a snapshot of their
    # activity. state: pending -> removing (written before the platform call) -> removed |
    # failed; pending -> spared (reason); removed -> undone.
    id = fields.BigIntField(primary_key=True)
    sweep_id = fields.BigIntField()
    user_id = fields.CharField(max_length=32)
    name = fields.CharField(max_length=128, default="")
    rule = fields.CharField(max_length=16)
    joined_at = fields.DatetimeField(null=True)
    last_active_at = fields.DatetimeField(null=True)
    message_count = fields.IntField(default=0)
    # Messages rule: their messages in its window; onboarding / ads rules: since when the other
    # plugin says so (the form was asked, the last ladder step was taken).
    recent = fields.IntField(null=True)
    flagged_at = fields.DatetimeField(null=True)
    state = fields.CharField(max_length=10, default="pending")
    reason = fields.CharField(max_length=32, default="")
    acted_at = fields.DatetimeField(null=True)
    # How the warning reached them: "dm", "group" (named in the group), "" (not yet). Written
    # after it went out: a crash in between warns them twice, never not at all.
    warned = fields.CharField(max_length=8, default="")

    class Meta:
        table = "inactive_candidate"
        unique_together = (("sweep_id", "user_id"),)


class Protected(Model):
    # The allow-list (/inactive protect @user): never selected in this group.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    user_id = fields.CharField(max_length=32)
    added_by = fields.CharField(max_length=64, null=True)
    added_at = fields.DatetimeField()

    class Meta:
        table = "inactive_protected"
        unique_together = (("platform", "guild_id", "user_id"),)


class DayCount(Model):
    # Messages and commands of one member in one group on one local day, added in batches.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    day = fields.DateField()
    user_id = fields.CharField(max_length=32)
    messages = fields.IntField(default=0)

    class Meta:
        table = "inactive_day"
        # Also serves the window query (platform, group, day range).
        unique_together = (("platform", "guild_id", "day", "user_id"),)


class FirstCounted(Model):
    # When the counting first saw a member speak in a group: with the roster's join time, whether
    # the bot has known them for a whole window. Kept while they are counted, unlike the days.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    user_id = fields.CharField(max_length=32)
    at = fields.DatetimeField()

    class Meta:
        table = "inactive_first"
        unique_together = (("platform", "guild_id", "user_id"),)


class CountingSession(Model):
    # One process counting messages, from its start to its clean stop. ``since``: the counts
    # are complete from then on (a crash loses the unwritten batch, so the next session starts
    # again from its own start). ``beat_at``: its last written batch (another process whose
    # beat stops is taken for crashed).
    id = fields.BigIntField(primary_key=True)
    started_at = fields.DatetimeField()
    since = fields.DatetimeField()
    beat_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)
    clean = fields.BooleanField(default=False)

    class Meta:
        table = "inactive_counting"
