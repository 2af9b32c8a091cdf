"""References a plugin keeps and passes around: a group, and a member of one.

A group's ``key`` is stable: it is the group's platform id when the bot first saw it, and it
stays when the platform changes the id (a Telegram group upgraded to a supergroup). Plugins key
their rows by it, so a migration is one update of the core's group row and no plugin re-keys
anything. ``id`` is the platform's current id, for talking to the platform.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GroupRef", "MemberRef"]


@dataclass(frozen=True, slots=True)
class GroupRef:
    platform: str
    key: str
    id: str
    name: str = ""

    @property
    def gid(self) -> str:
        """``platform:key``: unique across platforms."""
        return f"{self.platform}:{self.key}"


@dataclass(frozen=True, slots=True)
class MemberRef:
    """A user, in a group or (``group`` None) outside any: a private chat, a global balance."""

    platform: str
    user_id: str
    group: GroupRef | None = None

    @property
    def uid(self) -> str:
        return f"{self.platform}:{self.user_id}"

    def in_group(self, group: GroupRef | None) -> MemberRef:
        return MemberRef(self.platform, self.user_id, group)
