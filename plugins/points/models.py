"""Points tables: the ledger (every change, append-only), balances, and message-XP state.

Invariant checked by ``qunbot points verify``: each balance row's ``balance`` and
``lifetime_xp`` equal the sums of ``amount`` and ``xp`` over its ledger entries.

Groups are stored by their stable key (``GroupRef.key``) in the columns named ``guild_id`` and
``scope``: the key is the group's first platform id and stays when the platform changes the id
(a Telegram group upgraded to a supergroup), so no row is re-keyed then. For a group that never
changed id the key is its id, so rows written before keys existed need no migration.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = ["GLOBAL_SCOPE", "KINDS", "Activity", "Balance", "LedgerEntry"]

# The scope of balances kept across all groups (config scope = "global").
GLOBAL_SCOPE = "*"
KINDS = ("earn", "spend", "transfer", "penalty", "refund")


class LedgerEntry(Model):
    # One change of one member's points and/or XP. ``key`` is the caller's idempotency key.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    # The balance's scope: the group's key, or "*" for global balances.
    scope = fields.CharField(max_length=32)
    # The group's key where it happened (boards per group in global scope); None outside one.
    guild_id = fields.CharField(max_length=32, null=True)
    user_id = fields.CharField(max_length=32)
    amount = fields.BigIntField()
    xp = fields.BigIntField(default=0)
    kind = fields.CharField(max_length=16)
    reason = fields.CharField(max_length=200, default="")
    plugin = fields.CharField(max_length=32)
    actor = fields.CharField(max_length=48, null=True)
    key = fields.CharField(max_length=191, unique=True)
    balance_after = fields.BigIntField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "points_ledger"
        indexes = (
            ("platform", "scope", "user_id", "created_at"),
            ("platform", "guild_id", "created_at"),
        )


class Balance(Model):
    # ``scope``: the group's key, or "*" for global balances.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    scope = fields.CharField(max_length=32)
    user_id = fields.CharField(max_length=32)
    balance = fields.BigIntField(default=0)
    lifetime_xp = fields.BigIntField(default=0)
    # The highest level reached (announced and rewarded once); only ever rises.
    level = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "points_balance"
        unique_together = (("platform", "scope", "user_id"),)
        indexes = (("platform", "scope", "lifetime_xp"),)


class Activity(Model):
    # Message-XP state of a member in a group (``guild_id``: the group's key): the cooldown and
    # the daily cap. ``awards`` is a
    # version number: an award updates the row only if nobody else did since it was read.
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    user_id = fields.CharField(max_length=32)
    last_award_at = fields.DatetimeField()
    day = fields.CharField(max_length=10)
    day_xp = fields.IntField(default=0)
    awards = fields.IntField(default=0)
    # The ledger key of the award that claimed the row last, when a batch wrote it: that
    # batch's credit checks it was its own claim (plugins.points.xpbatch).
    last_key = fields.CharField(max_length=191, null=True)

    class Meta:
        table = "points_activity"
        unique_together = (("platform", "guild_id", "user_id"),)
