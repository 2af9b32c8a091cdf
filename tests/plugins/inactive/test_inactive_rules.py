"""The selection over a large synthetic roster, with every protected kind mixed in and every rule
on: zero protected members selected, each rule selects exactly its own."""

import random
from datetime import UTC, datetime, timedelta

from bot import RosterEntry
from plugins.inactive.config import InactiveSettings
from plugins.inactive.rules import (
    RULE_ADS,
    RULE_CAPACITY,
    RULE_INACTIVE,
    RULE_MESSAGES,
    RULE_ONBOARDING,
    Evidence,
    select,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
WINDOW_START = datetime(2026, 5, 3, tzinfo=UTC)  # 30 days, today included
GROUP = "-1001"
ALL_RULES = InactiveSettings(min_messages=5, messages_days=30, onboarding_days=14, ads_last_step=True)
# Never selected, whatever the rules say of them.
PROTECTED = {"new", "allowed", "bot", "channel", "left", "removed"}
# What each selectable kind is selected for (None: by no rule).
EXPECTED = {
    "lurker": RULE_INACTIVE,
    "quiet": RULE_MESSAGES,
    "unfinished": RULE_ONBOARDING,
    "advertiser": RULE_ADS,
    "active": None,
    "recent_quiet": None,  # few messages, but first seen inside the window
}


def entry(user, days_seen, *, joined=None, messages=0, member=True, bot=False):
    seen = NOW - timedelta(days=days_seen)
    return RosterEntry(user, f"u{user}", joined, seen, messages, member, None, bot)


def synthetic(count: int, seed: int = 7):
    """``count`` members, each of one kind (``EXPECTED`` and ``PROTECTED``), and the evidence
    the plugin would gather: message counts, first sightings, the other plugins' flags."""
    rng = random.Random(seed)
    kinds = sorted(set(EXPECTED) | PROTECTED)
    entries, kind_of = [], {}
    evidence = Evidence(recent={}, window_start=WINDOW_START, counted_since=NOW - timedelta(days=60),
                        flagged={RULE_ONBOARDING: {}, RULE_ADS: {}})
    removed = {}
    for n in range(count):
        kind = rng.choice(kinds)
        user = f"-100{n}" if kind == "channel" else str(10_000 + n)
        kind_of[user] = kind
        quiet_days = rng.randint(1, 29)  # seen inside both windows
        if kind in ("lurker", "allowed", "bot", "removed"):
            entries.append(entry(user, rng.randint(31, 400), messages=rng.randint(0, 50), bot=kind == "bot"))
        elif kind == "new":
            entries.append(entry(user, 0, joined=NOW - timedelta(days=rng.randint(0, 6))))
        elif kind == "left":
            entries.append(entry(user, rng.randint(31, 400), member=False))
        else:
            entries.append(entry(user, quiet_days, messages=rng.randint(0, 50)))
        if kind == "removed":
            removed[user] = NOW - timedelta(days=1)
        # Evidence that would select them, for every kind but "active".
        if kind == "active":
            evidence.recent[user] = rng.randint(5, 200)
            evidence.counted_before.add(user)
            continue
        evidence.recent[user] = rng.randint(0, 4)
        if kind != "recent_quiet":  # first counted inside the window: not before it
            evidence.counted_before.add(user)
        if kind in ("unfinished", *PROTECTED):
            evidence.flagged[RULE_ONBOARDING][user] = NOW - timedelta(days=20)
        if kind in ("advertiser", *PROTECTED):
            evidence.flagged[RULE_ADS][user] = NOW - timedelta(days=2)
        if kind in ("unfinished", "advertiser"):
            evidence.recent[user] = 10  # spoke enough: only the flag selects them
    entries.append(RosterEntry(GROUP, "the group", None, NOW - timedelta(days=90), 3, True, None))
    kind_of[GROUP] = "channel"
    return entries, kind_of, evidence, removed


def test_ten_thousand_members_zero_protected_selected_every_rule_its_own():
    entries, kind_of, evidence, removed = synthetic(10_000)
    allowed = {u for u, k in kind_of.items() if k == "allowed"}
    selection = select(
        entries, ALL_RULES, NOW, group_id=GROUP, excluded=allowed, removed=removed, evidence=evidence
    )
    chosen = {p.entry.user_id: p.rule for p in selection.by_rule}
    assert not {u for u in chosen if kind_of[u] in PROTECTED}
    assert sum(1 for k in kind_of.values() if k == "bot") > 500  # bots were there, each flagged
    for kind, rule in EXPECTED.items():
        members = {u for u, k in kind_of.items() if k == kind}
        picked = {chosen[u] for u in members if u in chosen}
        assert picked == ({rule} if rule else set()), kind
        if rule:
            assert members <= set(chosen), kind
    # Least active first.
    seen = [p.seen for p in selection.by_rule]
    assert seen == sorted(seen)
    # Capacity mode on top: protected kinds are never among its picks either.
    capped = select(
        entries, ALL_RULES.model_copy(update={"cap": 100}), NOW,
        group_id=GROUP, excluded=allowed, removed=removed, evidence=evidence,
    )
    assert capped.by_capacity
    assert not {kind_of[p.entry.user_id] for p in capped.by_capacity} & PROTECTED


def test_the_messages_rule_needs_complete_counts_and_a_member_known_for_the_window():
    quiet = entry("1", 3, messages=2)
    settings = InactiveSettings(inactive_days=0, min_messages=5)
    known = Evidence(recent={"1": 2}, window_start=WINDOW_START, counted_before={"1"})
    assert [p.recent for p in select([quiet], settings, NOW, group_id=GROUP, evidence=known).by_rule] == [2]
    # Counts not complete for the window (a crash, a new install): nobody.
    incomplete = Evidence(recent=None, window_start=WINDOW_START, counted_before={"1"})
    assert select([quiet], settings, NOW, group_id=GROUP, evidence=incomplete).by_rule == []
    # First seen after the window began, and not seen joining: not known long enough.
    late = Evidence(recent={"1": 2}, window_start=WINDOW_START, counted_before=set())
    assert select([quiet], settings, NOW, group_id=GROUP, evidence=late).by_rule == []
    # ... unless the roster saw them join before it.
    joined = entry("1", 3, messages=2, joined=WINDOW_START - timedelta(days=1))
    assert len(select([joined], settings, NOW, group_id=GROUP, evidence=late).by_rule) == 1
    # Exactly M messages: not fewer than M.
    enough = Evidence(recent={"1": 5}, window_start=WINDOW_START, counted_before={"1"})
    assert select([quiet], settings, NOW, group_id=GROUP, evidence=enough).by_rule == []


def test_a_flag_rule_whose_plugin_is_not_enabled_selects_nobody():
    member = entry("1", 3)
    settings = InactiveSettings(inactive_days=0, onboarding_days=7, ads_last_step=True)
    nobody_answered = Evidence(flagged={RULE_ONBOARDING: None, RULE_ADS: None})
    assert select([member], settings, NOW, group_id=GROUP, evidence=nobody_answered).by_rule == []


def test_nobody_seen_for_less_than_one_window_is_selected():
    entries = [
        RosterEntry("1", "a", None, NOW - timedelta(days=30, seconds=1), 0, True, None),
        RosterEntry("2", "b", None, NOW - timedelta(days=29, hours=23), 0, True, None),
        # joined 40 days ago but spoke yesterday: the later sighting counts
        RosterEntry("3", "c", NOW - timedelta(days=40), NOW - timedelta(days=1), 1, True, None),
    ]
    selection = select(entries, InactiveSettings(), NOW, group_id=GROUP)
    assert [p.entry.user_id for p in selection.by_rule] == ["1"]


def test_capacity_mode_selects_down_to_the_cap_least_active_first():
    entries, kind_of, _, removed = synthetic(2_000, seed=3)
    allowed = {u for u, k in kind_of.items() if k == "allowed"}
    settings = InactiveSettings(inactive_days=0, cap=500, grace_days=7)
    selection = select(entries, settings, NOW, group_id=GROUP, excluded=allowed, removed=removed)
    assert selection.over == selection.members - 500
    picks = selection.by_capacity[: selection.over]
    assert all(p.rule == RULE_CAPACITY for p in picks)
    assert not {kind_of[p.entry.user_id] for p in picks} & PROTECTED
    assert selection.eligible == min(selection.over, len(selection.by_capacity))


def test_under_the_cap_nobody_goes_by_capacity():
    entries, *_ = synthetic(300, seed=5)
    selection = select(entries, InactiveSettings(inactive_days=0, cap=1000), NOW, group_id=GROUP)
    assert selection.over == 0 and selection.by_capacity == [] and selection.eligible == 0
