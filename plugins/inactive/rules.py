"""Who the rules select, before any live check: pure functions over roster entries.

A member's clock starts when the bot first saw them, so the reference of inactivity is their
last sighting: the later of their join and their last message or command. Nobody seen less
than one full window ago is selected by the inactivity rule, and nobody who joined within the
grace period is selected at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot import RosterEntry
from plugins.inactive.config import InactiveSettings

__all__ = [
    "RULE_CAPACITY",
    "RULE_INACTIVE",
    "Pick",
    "Selection",
    "is_channel_identity",
    "last_seen",
    "select",
]

RULE_INACTIVE = "inactive"
RULE_CAPACITY = "capacity"


@dataclass(frozen=True, slots=True)
class Pick:
    entry: RosterEntry
    rule: str
    seen: datetime


@dataclass(slots=True)
class Selection:
    # Least active first: every member the inactivity rule selects, then (capacity mode) the
    # other unprotected members by activity, of whom ``over`` minus the first list may go.
    inactive: list[Pick] = field(default_factory=list)
    by_capacity: list[Pick] = field(default_factory=list)
    members: int = 0
    # Members above the cap (0: not over it, or capacity mode off).
    over: int = 0

    @property
    def eligible(self) -> int:
        extra = max(0, self.over - len(self.inactive))
        return len(self.inactive) + min(extra, len(self.by_capacity))


def last_seen(entry: RosterEntry) -> datetime | None:
    times = [t for t in (entry.joined_at, entry.last_active_at) if t is not None]
    return max(times) if times else None


def is_channel_identity(user_id: str, group_id: str) -> bool:
    """A channel or the group itself speaking (Telegram's negative ids): never a member."""
    return user_id == group_id or user_id.startswith("-")


def _order(pick: Pick) -> tuple:
    return (pick.seen, pick.entry.message_count, pick.entry.user_id)


def select(
    entries: Sequence[RosterEntry],
    settings: InactiveSettings,
    now: datetime,
    *,
    group_id: str,
    excluded: Iterable[str] = (),
    removed: dict[str, datetime] | None = None,
) -> Selection:
    """The members the rules select in a group whose current members are ``entries``.

    ``excluded``: never selected (the allow-list, bots, the bot itself). ``removed``: members a
    sweep removed (user id -> when): still listed by a roster that did not see them go, so not
    counted unless the bot saw them after it.
    """
    skip = set(excluded)
    removed = removed or {}
    grace = now - timedelta(days=settings.grace_days)
    window = now - timedelta(days=settings.inactive_days) if settings.inactive_days else None
    present: list[Pick] = []
    members = 0
    for entry in entries:
        if not entry.is_member or is_channel_identity(entry.user_id, group_id):
            continue
        seen = last_seen(entry)
        if seen is None:
            continue
        gone = removed.get(entry.user_id)
        if gone is not None and seen <= gone:
            continue
        members += 1
        if entry.user_id in skip:
            continue
        if settings.grace_days and entry.joined_at is not None and entry.joined_at > grace:
            continue
        present.append(Pick(entry, RULE_INACTIVE, seen))
    selection = Selection(members=members)
    for pick in sorted(present, key=_order):
        if window is not None and pick.seen <= window:
            selection.inactive.append(pick)
        elif settings.cap:
            selection.by_capacity.append(Pick(pick.entry, RULE_CAPACITY, pick.seen))
    if settings.cap and members > settings.cap:
        selection.over = members - settings.cap
    else:
        selection.by_capacity = []
    return selection
