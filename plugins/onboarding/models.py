"""Onboarding tables: form sessions (the gate's durable state), profiles, welcome state.

Every ``guild_id`` column holds the group's stable key (``GroupRef.key``), not its current
platform id: the key stays when Telegram upgrades a group to a supergroup, so no row moves. For
every group never migrated the key is the id, so the columns and the rows stored before keys
existed are already right (no schema or data migration).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = ["FormSession", "Profile", "WelcomeState"]


class FormSession(Model):
    # One form a member is asked to fill in a group: "join" (the gate) or "edit" (/profile edit).
    # Every step is written before the next question is sent, so a restart resumes it.

    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    user_id = fields.CharField(max_length=32)
    user_name = fields.CharField(max_length=128, default="")
    purpose = fields.CharField(max_length=8, default="join")
    # pending, completed, timed_out, left
    status = fields.CharField(max_length=12, default="pending")
    # The gate at the time of the join: off, restrict, join_request.
    gate = fields.CharField(max_length=16, default="off")
    keys = fields.JSONField(default=list)
    step = fields.IntField(default=0)
    answers = fields.JSONField(default=dict)
    locale = fields.CharField(max_length=8, default="zh")
    created_at = fields.DatetimeField()
    # When the first question reached the member (None: not yet, e.g. private chat closed).
    started_at = fields.DatetimeField(null=True)
    deadline = fields.DatetimeField(null=True)
    reminded_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    # When the member stopped it with /cancel: it waits for /form (or the welcome's button);
    # no message, /start, reminder or other form starts it again.
    cancelled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "onboarding_session"
        unique_together = (("platform", "guild_id", "user_id", "purpose"),)
        # The jobs of every minute: forms to remind (pending, not reminded, old enough) and
        # profile edits left open.
        indexes = (
            ("status", "deadline"), ("platform", "user_id", "status"),
            ("status", "purpose", "gate", "reminded_at", "created_at"), ("purpose", "created_at"),
        )


class Profile(Model):
    # A member's completed answers in one group: the directory entry.

    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    user_id = fields.CharField(max_length=32)
    user_name = fields.CharField(max_length=128, default="")
    answers = fields.JSONField(default=dict)
    completed_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "onboarding_profile"
        unique_together = (("platform", "guild_id", "user_id"),)
        indexes = (("platform", "user_id"),)


class WelcomeState(Model):
    # The group's latest welcome (to delete it when the next one is posted) and join-flood state.

    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    channel_id = fields.CharField(max_length=32, null=True)
    message_id = fields.CharField(max_length=32, null=True)
    # A flood in progress: its first join, its latest join, how many joined in it.
    flood_started_at = fields.DatetimeField(null=True)
    flood_last_at = fields.DatetimeField(null=True)
    flood_count = fields.IntField(default=0)

    class Meta:
        table = "onboarding_welcome"
        unique_together = (("platform", "guild_id"),)
