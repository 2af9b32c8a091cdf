"""Who the rules select, before any live check: pure functions over roster entries and the
evidence the plugin gathered (``evidence``).

A member's clock starts when the bot first saw them, so the reference of inactivity is their
last sighting: the latest of their join, their last message or command, and the activity the
group also counts that the roster does not see (a red packet grabbed, the onboarding form
completed: ``Evidence.active``). Nobody seen less
than one full window ago is selected by the inactivity rule, nobody the bot has not known for a
whole window by the messages rule, and nobody who joined within the grace period by any rule.
Bots, channel identities and the allow-list are never selected.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot import RosterEntry
from plugins.inactive.config import InactiveSettings

__all__ = [
    "RULES",
    "RULE_ADS",
    "RULE_CAPACITY",
    "RULE_INACTIVE",
    "RULE_MESSAGES",
    "RULE_ONBOARDING",
    "Evidence",
    "Pick",
    "Selection",
    "is_channel_identity",
    "last_seen",
    "select",
]

RULE_INACTIVE = "inactive"
RULE_MESSAGES = "messages"
RULE_ONBOARDING = "onboarding"
RULE_ADS = "ads"
RULE_CAPACITY = "capacity"
# A member several rules select is listed under the first.
RULES = (RULE_INACTIVE, RULE_MESSAGES, RULE_ONBOARDING, RULE_ADS)


@dataclass(slots=True)
class Evidence:
    """What the rules need besides the roster. ``recent`` is None when the messages rule may
    not select (off, or its counts are not complete for the whole window); a flag rule's map is
    None when nobody answered (its plugin is not enabled)."""

    recent: dict[str, int] | None = None
    # The messages rule's window starts here (the group's local midnight).
    window_start: datetime | None = None
    # Members the counting first saw speak before the window began.
    counted_before: set[str] = field(default_factory=set)
    # From when the counts are complete (None: not counting).
    counted_since: datetime | None = None
    # Rule -> user id -> since when (onboarding asked, last ads step).
    flagged: dict[str, dict[str, datetime] | None] = field(default_factory=dict)
    # User id -> their latest activity the roster does not see (packets grabbed, forms).
    active: dict[str, datetime] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Pick:
    entry: RosterEntry
    rule: str
    seen: datetime
    # Messages rule: their messages in the window; flag rules: since when.
    recent: int | None = None
    flagged_at: datetime | None = None


@dataclass(slots=True)
class Selection:
    # Least active first: every member a rule selects, then (capacity mode) the other
    # unprotected members by activity, of whom ``over`` minus the first list may go.
    by_rule: list[Pick] = field(default_factory=list)
    by_capacity: list[Pick] = field(default_factory=list)
    members: int = 0
    # Members above the cap (0: not over it, or capacity mode off).
    over: int = 0

    @property
    def eligible(self) -> int:
        extra = max(0, self.over - len(self.by_rule))
        return len(self.by_rule) + min(extra, len(self.by_capacity))


def last_seen(entry: RosterEntry, active: dict[str, datetime] | None = None) -> datetime | None:
    """The latest of the member's join, last message or command, and ``active`` activity."""
    extra = active.get(entry.user_id) if active else None
    times = [t for t in (entry.joined_at, entry.last_active_at, extra) if t is not None]
    return max(times) if times else None


def is_channel_identity(user_id: str, group_id: str) -> bool:
    """A channel or the group itself speaking (Telegram's negative ids): never a member."""
    return user_id == group_id or user_id.startswith("-")


def known_since_window(entry: RosterEntry, seen: datetime, evidence: Evidence) -> bool:
    """Whether the bot has known the member since the messages window began: they joined, were
    last seen, or were first counted by then."""
    start = evidence.window_start
    if start is None:
        return False
    return (
        seen <= start
        or (entry.joined_at is not None and entry.joined_at <= start)
        or entry.user_id in evidence.counted_before
    )


def rule_of(
    entry: RosterEntry, seen: datetime, settings: InactiveSettings, window: datetime | None,
    evidence: Evidence,
) -> Pick | None:
    """The first rule that selects the member, as a pick; None when none does."""
    if window is not None and seen <= window:
        return Pick(entry, RULE_INACTIVE, seen)
    recent = evidence.recent
    if recent is not None and known_since_window(entry, seen, evidence):
        count = recent.get(entry.user_id, 0)
        if count < settings.min_messages:
            return Pick(entry, RULE_MESSAGES, seen, recent=count)
    for rule in (RULE_ONBOARDING, RULE_ADS):
        since = (evidence.flagged.get(rule) or {}).get(entry.user_id)
        if since is not None:
            return Pick(entry, rule, seen, flagged_at=since)
    return None


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
    evidence: Evidence | None = None,
) -> Selection:
    """The members the rules select in a group whose current members are ``entries``.

    ``excluded``: never selected (the allow-list, the bot itself). ``removed``: members a
    sweep removed (user id -> when): still listed by a roster that did not see them go, so not
    counted unless the bot saw them after it.
    """
    skip = set(excluded)
    removed = removed or {}
    evidence = evidence or Evidence()
    grace = now - timedelta(days=settings.grace_days)
    window = now - timedelta(days=settings.inactive_days) if settings.inactive_days else None
    picked: list[Pick] = []
    rest: list[Pick] = []
    members = 0
    for entry in entries:
        if not entry.is_member or is_channel_identity(entry.user_id, group_id):
            continue
        seen = last_seen(entry, evidence.active)
        if seen is None:
            continue
        gone = removed.get(entry.user_id)
        if gone is not None and seen <= gone:
            continue
        members += 1
        if entry.is_bot or entry.user_id in skip:
            continue
        if settings.grace_days and entry.joined_at is not None and entry.joined_at > grace:
            continue
        pick = rule_of(entry, seen, settings, window, evidence)
        if pick is not None:
            picked.append(pick)
        elif settings.cap:
            rest.append(Pick(entry, RULE_CAPACITY, seen))
    selection = Selection(by_rule=sorted(picked, key=_order), members=members)
    if settings.cap and members > settings.cap:
        selection.over = members - settings.cap
        selection.by_capacity = sorted(rest, key=_order)
    return selection
