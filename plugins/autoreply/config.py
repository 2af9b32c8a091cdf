"""The ``[plugins.autoreply]`` section."""

from __future__ import annotations

from pydantic import Field

from bot import StrictModel

__all__ = ["AutoreplyConfig"]


class AutoreplyConfig(StrictModel):
    # Seconds before the same keyword answers again in the same group.
    cooldown_seconds: int = Field(default=60, ge=0, le=86400)
    # Seconds before the same #note is shown again in the same group (members call it on
    # purpose: only a burst of the same call is held back).
    note_cooldown_seconds: int = Field(default=10, ge=0, le=3600)
    # Keywords per group at most (and global keywords at most).
    max_rules: int = Field(default=200, ge=1, le=5000)
    # Notes per group at most (and global notes at most).
    max_notes: int = Field(default=200, ge=1, le=5000)
    # Longest RE2 pattern accepted.
    max_pattern: int = Field(default=200, ge=10, le=2000)
