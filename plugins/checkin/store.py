"""Check-in state changes: each day is written in one transaction with its points change.

Check-in: one transaction locks the member's summary row (PostgreSQL; SQLite serializes
writers anyway), inserts the day with the next place of the group's day, recomputes the
member's streaks from their rows, and pays the reward and any milestone reached through the
Points service in the same transaction (``using=tx``). Either all of it commits or none of it:
a day is never recorded unpaid, and a failed payment leaves no day behind, so the member can
simply check in again. The unique (member, day) key turns a second tap, a concurrent tap or a
redelivered update into "already checked in"; the unique (group, day, place) key turns two
members taking the same place into a retry of the whole transaction, so places are exact and
gap-free.

A make-up card is the same: the day row, its charge (``Points.spend``) and the new streaks in
one transaction; too few points roll it all back.

Every points change still has a key derived from what it pays for (the member's day, the
card's day, the member's milestone), so a milestone is paid once ever per member and group.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from tortoise.exceptions import IntegrityError

from bot import MemberRef, Scope, Transaction
from plugins.checkin.config import CheckinSettings
from plugins.checkin.models import KIND_CHECKIN, KIND_MAKEUP, CheckIn, CheckinMember
from plugins.checkin.streaks import Streaks, extended, reward_for, streak_on, summarize
from plugins.points import LedgerResult, Points, Reason

__all__ = [
    "Checked",
    "MadeUp",
    "check_in",
    "day_key",
    "makeup_key",
    "member_row",
    "milestone_key",
    "streaks_of",
    "use_makeup",
]

# Attempts at taking the next place when other members take it at the same moment.
PLACE_ATTEMPTS = 50
T = TypeVar("T")
# What to tell the member once the day has committed; it runs before the after-commit work of
# the points change (a level-up announcement), so the reply comes first.
Tell = Callable[[T], Awaitable[object]]


def _tell_first(tx: Transaction, tell: Tell | None) -> list:
    """Registers ``tell`` as the transaction's first after-commit work; the caller puts the
    result in the returned list before the block ends."""
    done: list = []
    if tell is not None:
        tx.after_commit(lambda: tell(done[0]))
    return done


def _keys(member: MemberRef) -> dict[str, str]:
    assert member.group is not None, "check-ins belong to a group"
    return {"platform": member.platform, "guild_id": member.group.key, "user_id": member.user_id}


def _prefix(member: MemberRef) -> str:
    keys = _keys(member)
    return f"checkin:{keys['platform']}:{keys['guild_id']}:{keys['user_id']}"


def day_key(member: MemberRef, day: date) -> str:
    return f"{_prefix(member)}:{day.isoformat()}"


def makeup_key(member: MemberRef, day: date) -> str:
    return f"{_prefix(member)}:makeup:{day.isoformat()}"


def milestone_key(member: MemberRef, days: int) -> str:
    return f"{_prefix(member)}:milestone:{days}"


def streaks_of(member: CheckinMember) -> Streaks:
    return Streaks(member.streak, member.last_day, member.longest, member.total)


async def member_row(member: MemberRef) -> CheckinMember:
    """The member's summary row in the group, created at first use (outside any transaction:
    two first taps at once both find it afterwards)."""
    keys = _keys(member)
    row = await CheckinMember.filter(**keys).first()
    if row is None:
        try:
            row = await CheckinMember.create(**keys)
        except IntegrityError:
            row = await CheckinMember.get(**keys)
    return row


@dataclass(frozen=True, slots=True)
class Checked:
    """What a check-in did: the day's row, the member's streaks, whether the row is new (False:
    already checked in that day) and the milestones paid now as (days, points)."""

    row: CheckIn
    streaks: Streaks
    new: bool
    milestones: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MadeUp:
    """A make-up card used: its charge, the member's streaks after it, the streak on today."""

    paid: LedgerResult
    streaks: Streaks
    current: int
    milestones: list[tuple[int, int]]


def _days_of(member: MemberRef):
    return CheckIn.filter(**_keys(member))


async def _day_row(member: MemberRef, day: date, tx: Transaction | None = None) -> CheckIn | None:
    query = _days_of(member).filter(day=day)
    return await (query.using_db(tx.connection) if tx else query).first()


async def _lock(row: CheckinMember, tx: Transaction) -> CheckinMember:
    return await CheckinMember.filter(id=row.id).using_db(tx.connection).select_for_update().get()


async def _days(member: MemberRef, tx: Transaction) -> set[date]:
    return set(await _days_of(member).using_db(tx.connection).values_list("day", flat=True))


async def _store_streaks(row: CheckinMember, days: set[date], tx: Transaction) -> Streaks:
    streaks = summarize(days)
    await _save_streaks(row, streaks, tx)
    return streaks


async def _save_streaks(row: CheckinMember, streaks: Streaks, tx: Transaction) -> None:
    await CheckinMember.filter(id=row.id).using_db(tx.connection).update(
        streak=streaks.streak, last_day=streaks.last_day, longest=streaks.longest,
        total=streaks.total,
    )


async def _next_place(member: MemberRef, day: date, tx: Transaction) -> int:
    keys = _keys(member)
    taken = await (
        CheckIn.filter(
            platform=keys["platform"], guild_id=keys["guild_id"], day=day, place__isnull=False
        )
        .using_db(tx.connection)
        .order_by("-place")
        .limit(1)
        .values_list("place", flat=True)
    )
    return (taken[0] if taken else 0) + 1


async def check_in(
    scope: Scope, member: MemberRef, settings: CheckinSettings, day: date, at: datetime,
    tell: Tell[Checked] | None = None,
) -> Checked:
    """Check ``member`` in for ``day`` (the local day the message was sent) and pay for it.
    ``tell``: what to say about a new check-in once it has committed."""
    points = scope.service(Points)
    summary = await member_row(member)
    for _ in range(PLACE_ATTEMPTS):
        try:
            async with scope.transaction() as tx:
                locked = await _lock(summary, tx)
                existing = await _day_row(member, day, tx)
                if existing is not None:
                    return Checked(existing, streaks_of(locked), False)
                told = _tell_first(tx, tell)
                place = await _next_place(member, day, tx)
                # Today after the last day counted: the summary says it all, no history read.
                streaks = extended(streaks_of(locked), day) or summarize(await _days(member, tx) | {day})
                streak = streaks.streak
                reward = reward_for(
                    streak, place, base=settings.base_points, step=settings.streak_step,
                    cap=settings.streak_cap, first=settings.first_bonuses,
                )
                row = await CheckIn.create(
                    **_keys(member), day=day, kind=KIND_CHECKIN, place=place, at=at,
                    streak=streak, reward=reward.total, settled=True, using_db=tx.connection,
                )
                await _save_streaks(summary, streaks, tx)
                if reward.total > 0:
                    await points.earn(
                        member, reward.total, key=day_key(member, day),
                        reason=Reason("checkin.reason.day", day=day.isoformat(), n=streak),
                        at=at, using=tx,
                    )
                milestones = await _pay_milestones(points, member, streak, settings, at, tx)
                told.append(Checked(row, streaks, True, milestones))
                return told[0]
        except IntegrityError:
            # Either this member's day exists now (a concurrent tap won) or another member took
            # the same place: everything was rolled back, look again.
            existing = await _day_row(member, day)
            if existing is not None:
                return Checked(existing, streaks_of(await CheckinMember.get(id=summary.id)), False)
    raise RuntimeError(f"no free check-in place for {member.group} on {day}")


async def use_makeup(
    scope: Scope, member: MemberRef, settings: CheckinSettings, day: date, today: date,
    at: datetime, tell: Tell[MadeUp] | None = None,
) -> MadeUp | None:
    """Pay ``settings.makeup_cost`` so the missed ``day`` counts; None when the day already
    counts. Raises InsufficientPoints (nothing changed) when the member cannot pay. ``tell``:
    what to say once the card has committed."""
    points = scope.service(Points)
    summary = await member_row(member)
    try:
        async with scope.transaction() as tx:
            await _lock(summary, tx)
            if await _day_row(member, day, tx) is not None:
                return None
            told = _tell_first(tx, tell)
            await CheckIn.create(
                **_keys(member), day=day, kind=KIND_MAKEUP, at=at, settled=True,
                using_db=tx.connection,
            )
            paid = await points.spend(
                member, settings.makeup_cost, key=makeup_key(member, day),
                reason=Reason("checkin.reason.makeup", day=day.isoformat()), at=at, using=tx,
            )
            streaks = await _store_streaks(summary, await _days(member, tx), tx)
            current = streak_on(streaks, today)
            milestones = await _pay_milestones(points, member, current, settings, at, tx)
            told.append(MadeUp(paid, streaks, current, milestones))
            return told[0]
    except IntegrityError:
        return None  # the day was written at the same moment (a double tap): it counts


async def _pay_milestones(
    points: Points, member: MemberRef, streak: int, settings: CheckinSettings, at: datetime,
    tx: Transaction,
) -> list[tuple[int, int]]:
    """Pay every milestone ``streak`` has reached that was never paid to this member in this
    group (a milestone added to the config later is paid at the next check-in past it);
    returns the (days, points) paid now."""
    paid = []
    for days, amount in sorted(settings.milestones.items()):
        if days > streak or amount <= 0:
            continue
        result = await points.earn(
            member, amount, key=milestone_key(member, days),
            reason=Reason("checkin.reason.milestone", n=days), at=at, using=tx,
        )
        if result.applied:
            paid.append((days, amount))
    return paid
