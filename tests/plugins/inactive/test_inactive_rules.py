"""The selection over a large synthetic roster, with every protected kind mixed in."""

import random
from datetime import UTC, datetime, timedelta

from bot import RosterEntry
from plugins.inactive.config import InactiveSettings
from plugins.inactive.rules import RULE_CAPACITY, select

NOW = datetime(2026, 6, 1, tzinfo=UTC)
GROUP = "-1001"


def synthetic(count: int, seed: int = 7) -> tuple[list[RosterEntry], dict[str, str]]:
    """``count`` members, each of one kind: lurkers, active, newcomers, allow-listed, bots,
    channel identities, the group itself, members who left, removed members."""
    rng = random.Random(seed)
    kinds = ["lurker", "active", "new", "allowed", "bot", "channel", "left", "removed"]
    entries, kind_of = [], {}
    for n in range(count):
        kind = rng.choice(kinds)
        user = f"-100{n}" if kind == "channel" else str(10_000 + n)
        days = rng.randint(31, 400) if kind in ("lurker", "allowed", "bot", "removed") else rng.randint(0, 29)
        seen = NOW - timedelta(days=days, minutes=rng.randint(0, 1000))
        joined = NOW - timedelta(days=rng.randint(0, 6)) if kind == "new" else None
        entries.append(
            RosterEntry(user, f"u{n}", joined, seen, rng.randint(0, 50), kind != "left", None)
        )
        kind_of[user] = kind
    entries.append(RosterEntry(GROUP, "the group", None, NOW - timedelta(days=90), 3, True, None))
    kind_of[GROUP] = "channel"
    return entries, kind_of


def test_ten_thousand_members_zero_protected_selected():
    entries, kind_of = synthetic(10_000)
    excluded = {u for u, k in kind_of.items() if k in ("allowed", "bot")}
    removed = {u: NOW - timedelta(days=1) for u, k in kind_of.items() if k == "removed"}
    selection = select(
        entries, InactiveSettings(), NOW, group_id=GROUP, excluded=excluded, removed=removed
    )
    chosen = {p.entry.user_id for p in selection.inactive}
    assert {kind_of[u] for u in chosen} == {"lurker"}
    assert chosen == {u for u, k in kind_of.items() if k == "lurker"}
    # Least active first.
    seen = [p.seen for p in selection.inactive]
    assert seen == sorted(seen)


def test_nobody_seen_for_less_than_one_window_is_selected():
    entries = [
        RosterEntry("1", "a", None, NOW - timedelta(days=30, seconds=1), 0, True, None),
        RosterEntry("2", "b", None, NOW - timedelta(days=29, hours=23), 0, True, None),
        # joined 40 days ago but spoke yesterday: the later sighting counts
        RosterEntry("3", "c", NOW - timedelta(days=40), NOW - timedelta(days=1), 1, True, None),
    ]
    selection = select(entries, InactiveSettings(), NOW, group_id=GROUP)
    assert [p.entry.user_id for p in selection.inactive] == ["1"]


def test_capacity_mode_selects_down_to_the_cap_least_active_first():
    entries, kind_of = synthetic(2_000, seed=3)
    excluded = {u for u, k in kind_of.items() if k in ("allowed", "bot")}
    settings = InactiveSettings(inactive_days=0, cap=500, grace_days=7)
    selection = select(entries, settings, NOW, group_id=GROUP, excluded=excluded)
    assert selection.over == selection.members - 500
    picks = selection.by_capacity[: selection.over]
    assert all(p.rule == RULE_CAPACITY for p in picks)
    assert all(kind_of[p.entry.user_id] in ("lurker", "active", "removed") for p in picks)
    assert selection.eligible == min(selection.over, len(selection.by_capacity))


def test_under_the_cap_nobody_goes_by_capacity():
    entries, _ = synthetic(300, seed=5)
    selection = select(entries, InactiveSettings(inactive_days=0, cap=1000), NOW, group_id=GROUP)
    assert selection.over == 0 and selection.by_capacity == [] and selection.eligible == 0
