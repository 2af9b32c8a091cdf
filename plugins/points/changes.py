"""What a committed change did, handed to the after-commit work (hooks, level-ups)."""

from __future__ import annotations

from dataclasses import dataclass

from bot import MemberRef

__all__ = ["Applied", "LevelChange"]


@dataclass(frozen=True)
class LevelChange:
    old: int
    new: int


@dataclass(frozen=True)
class Applied:
    member: MemberRef
    amount: int
    balance: int
    kind: str
    level: LevelChange | None = None
