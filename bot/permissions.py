"""Permission levels, ordered so that a check is one comparison."""

from __future__ import annotations

import enum

__all__ = ["PermissionLevel"]


class PermissionLevel(enum.IntEnum):
    MEMBER = 0
    MODERATOR = 1
    ADMIN = 2
    # Bot owners, listed in config as ``platform:user_id``; never derived from a platform role.
    OWNER = 3

    @classmethod
    def parse(cls, value: str | int | PermissionLevel) -> PermissionLevel:
        if isinstance(value, cls):
            return value
        if isinstance(value, int):
            return cls(value)
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown permission level {value!r} (member, moderator, admin, owner)"
            ) from None
