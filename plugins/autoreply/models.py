"""Keyword replies, one row per (group, kind, keyword), and saved notes, one row per (group,
name).

``guild_id`` holds the group's stable key (``GroupRef.key``), not its current platform id. A
row for every group (a bot owner's global rule or note) has ``platform`` and ``guild_id``
:data:`GLOBAL`.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = ["GLOBAL", "KINDS", "AutoReply", "Note"]

KINDS = ("exact", "contains", "regex")
GLOBAL = "*"


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


class Note(Model):
    # A saved text any member calls with #name (or /notes get name).
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)
    # Normalised (matching.normalise): #FAQ, #faq and #ＦＡＱ are one note.
    name = fields.CharField(max_length=64)
    # As the admin wrote it, for the listing.
    title = fields.CharField(max_length=64)
    text = fields.TextField()
    # As AutoReply.source: the message the note copies, ``text`` being its text.
    source = fields.JSONField(null=True)
    created_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()

    class Meta:
        table = "autoreply_note"
        unique_together = (("platform", "guild_id", "name"),)
