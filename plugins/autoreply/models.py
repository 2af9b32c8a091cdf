"""Keyword replies: one row per (group, kind, keyword).

``guild_id`` holds the group's stable key (``GroupRef.key``), not its current platform id.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = ["AutoReply", "KINDS"]

KINDS = ("exact", "contains", "regex")


class AutoReply(Model):
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    # exact (the whole message), contains, or regex (RE2, linear time: no catastrophic
    # backtracking whatever the pattern).
    kind = fields.CharField(max_length=8)
    # As typed; matching uses the normalised form (plugins.autoreply.matching).
    keyword = fields.CharField(max_length=255)
    reply = fields.TextField()
    # The message the answer copies (platform, channel, message, URL buttons): its photo,
    # file and formatting; ``reply`` is then its text, sent where it cannot be copied.
    source = fields.JSONField(null=True)
    created_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()

    class Meta:
        table = "autoreply_rule"
        unique_together = (("platform", "guild_id", "kind", "keyword"),)
