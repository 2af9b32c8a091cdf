"""Core tables: accounts, guilds, the member roster, job runs, the audit log, sync state and
button tokens.

Platform ids are stored as text: they round-trip Telegram's 52-bit and Discord's 64-bit ids
without any integer-width question on either database.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = [
    "Account",
    "delete_core_user_data",
    "AuditEntry",
    "ButtonToken",
    "GuildSettings",
    "JobRun",
    "OutboxMessage",
    "RosterMember",
    "SyncState",
]


class Account(Model):
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    user_id = fields.CharField(max_length=32)
    name = fields.CharField(max_length=128, default="")
    username = fields.CharField(max_length=64, null=True, db_index=True)
    # Chosen with /lang; None = follow the group or the platform's language.
    locale = fields.CharField(max_length=8, null=True)
    is_bot = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "core_account"
        unique_together = (("platform", "user_id"),)


class GuildSettings(Model):
    # A group. ``group_key`` is its stable key (bot.GroupRef.key): the id it had when the bot
    # first saw it. Every table keyed by a group stores the key, so when the platform changes
    # the id (Telegram's supergroup upgrade) only ``guild_id`` here changes.

    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    group_key = fields.CharField(max_length=32)
    name = fields.CharField(max_length=128, default="")
    timezone = fields.CharField(max_length=64, null=True)
    locale = fields.CharField(max_length=8, null=True)
    # False once the bot left the group; its data is kept.
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "core_guild"
        unique_together = (("platform", "guild_id"), ("platform", "group_key"))


class RosterMember(Model):
    # What the bot knows of a group's members (Telegram cannot list them). ``guild_id`` holds
    # the group's stable key.

    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    user_id = fields.CharField(max_length=32)
    name = fields.CharField(max_length=128, default="")
    joined_at = fields.DatetimeField(null=True)
    last_active_at = fields.DatetimeField(null=True)
    message_count = fields.IntField(default=0)
    left_at = fields.DatetimeField(null=True)
    is_member = fields.BooleanField(default=True)
    # Bots are members too (they join and leave), but no member rule may select one.
    is_bot = fields.BooleanField(default=False)

    class Meta:
        table = "core_member"
        unique_together = (("platform", "guild_id", "user_id"),)
        # A member across every group (an owner's board, /forgetme).
        indexes = (("platform", "guild_id", "last_active_at"), ("platform", "user_id"))


class JobRun(Model):
    # One run of a scheduled slot. The unique key makes each slot run at most once, across
    # restarts and DST changes (aiocron may fire twice around one).

    id = fields.BigIntField(primary_key=True)
    job = fields.CharField(max_length=96)
    scope = fields.CharField(max_length=64)
    slot = fields.DatetimeField()
    started_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    status = fields.CharField(max_length=16, default="running")
    error = fields.TextField(null=True)

    class Meta:
        table = "core_job_run"
        unique_together = (("job", "scope", "slot"),)
        indexes = (("slot",),)  # the daily housekeeping deletes the old


class AuditEntry(Model):
    # ``guild_id``: the group's stable key.
    id = fields.BigIntField(primary_key=True)
    time = fields.DatetimeField()
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32, null=True)
    actor = fields.CharField(max_length=48, null=True)
    plugin = fields.CharField(max_length=32)
    action = fields.CharField(max_length=64)
    target = fields.CharField(max_length=48, null=True)
    detail = fields.JSONField(default=dict)

    class Meta:
        table = "core_audit"
        indexes = (("platform", "guild_id", "time"),)


class SyncState(Model):
    # Small key/value facts the core must remember (command-menu hashes, migrations seen, the
    # Telegram updates handled: a watermark and the ids above it, written once per batch).

    key = fields.CharField(max_length=128, primary_key=True)
    value = fields.TextField()

    class Meta:
        table = "core_sync_state"


class ButtonToken(Model):
    # A button's action and payload, kept server-side; the platform only sees ``id``.

    id = fields.CharField(max_length=24, primary_key=True)
    plugin = fields.CharField(max_length=32)
    action = fields.CharField(max_length=64)
    payload = fields.JSONField(default=dict)
    platform = fields.CharField(max_length=16)
    channel_id = fields.CharField(max_length=32, null=True)
    only_user = fields.CharField(max_length=48, null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "core_button"
        indexes = (("created_at",),)  # the daily housekeeping deletes the old


class OutboxMessage(Model):
    # A message to a channel that waits for the platform's flood limit (bot.outbox): kept
    # until it is sent, so a restart still sends it; deleted once sent.

    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    channel_id = fields.CharField(max_length=32)
    plugin = fields.CharField(max_length=32)
    content = fields.JSONField()
    created_at = fields.DatetimeField()
    attempts = fields.IntField(default=0)
    # Set when the platform refused it for good (kept a week for the operator to read).
    failed = fields.TextField(null=True)

    class Meta:
        table = "core_outbox"


async def delete_core_user_data(platform: str, user_id: str) -> None:
    """The core's rows about one user (the audit log keeps actions, not profiles)."""
    await Account.filter(platform=platform, user_id=user_id).delete()
    await RosterMember.filter(platform=platform, user_id=user_id).delete()
    await ButtonToken.filter(platform=platform, only_user=f"{platform}:{user_id}").delete()
