"""Check-in state changes, each durable before anyone is told.

Check-in: one transaction locks the member's summary row (PostgreSQL; SQLite serializes
writers anyway), inserts the day with the next place of the group's day, and recomputes the
member's streaks from their rows. The unique (member, day) key turns a second tap, a concurrent
tap or a redelivered update into "already checked in"; the unique (group, day, place) key turns
two members taking the same place into a retry, so places are exact and gap-free.

The reward is paid after that commit under an idempotency key and the row is then marked
settled. A crash in between leaves an unsettled row that the next tap (that day, or the
member's next check-in) pays again under the same key: paid exactly once. Make-up cards are
claimed first as an unsettled row that does not count, then charged, then settled.
"""

from __future__ import annotations

from datetime import date, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from plugins.checkin.config import CheckinSettings
from plugins.checkin.models import KIND_CHECKIN, KIND_MAKEUP, CheckIn, CheckinMember
from plugins.checkin.streaks import Streaks, reward_for, run_ending, streak_on, summarize

__all__ = [
    "claim_makeup",
    "day_key",
    "drop_makeup",
    "makeup_key",
    "member_row",
    "milestone_key",
    "record_checkin",
    "settle_makeup",
    "streaks_of",
    "unsettled_checkins",
]

# Attempts at taking the next place when other members take it at the same moment.
PLACE_ATTEMPTS = 50


def day_key(row: CheckIn) -> str:
    return f"checkin:{row.platform}:{row.guild_id}:{row.user_id}:{row.day.isoformat()}"


def makeup_key(row: CheckIn) -> str:
    return f"checkin:{row.platform}:{row.guild_id}:{row.user_id}:makeup:{row.day.isoformat()}"


def milestone_key(platform: str, guild_id: str, user_id: str, days: int) -> str:
    return f"checkin:{platform}:{guild_id}:{user_id}:milestone:{days}"


def streaks_of(member: CheckinMember) -> Streaks:
    return Streaks(member.streak, member.last_day, member.longest, member.total)


async def member_row(platform: str, guild_id: str, user_id: str, name: str = "") -> CheckinMember:
    keys = {"platform": platform, "guild_id": guild_id, "user_id": user_id}
    member = await CheckinMember.filter(**keys).first()
    if member is None:
        try:
            member = await CheckinMember.create(**keys, name=name[:128])
        except IntegrityError:
            member = await CheckinMember.get(**keys)
    elif name and member.name != name[:128]:
        member.name = name[:128]
        await CheckinMember.filter(id=member.id).update(name=member.name)
    return member


def _days_of(member: CheckinMember):
    return CheckIn.filter(platform=member.platform, guild_id=member.guild_id, user_id=member.user_id)


async def _day_row(member: CheckinMember, day: date, conn=None) -> CheckIn | None:
    query = _days_of(member).filter(day=day)
    return await (query.using_db(conn) if conn else query).first()


async def _counted_days(member: CheckinMember, conn) -> set[date]:
    # A make-up counts once its cost is charged.
    days = await _days_of(member).filter(Q(kind=KIND_CHECKIN) | Q(settled=True)).using_db(conn).values_list(
        "day", flat=True
    )
    return set(days)


async def _store_streaks(member: CheckinMember, days: set[date], conn) -> Streaks:
    streaks = summarize(days)
    await CheckinMember.filter(id=member.id).using_db(conn).update(
        streak=streaks.streak, last_day=streaks.last_day, longest=streaks.longest, total=streaks.total
    )
    return streaks


async def _lock(member: CheckinMember, conn) -> CheckinMember:
    return await CheckinMember.filter(id=member.id).using_db(conn).select_for_update().get()


async def record_checkin(
    settings: CheckinSettings, member: CheckinMember, day: date, at: datetime
) -> tuple[CheckIn, Streaks, bool]:
    """Check ``member`` in for ``day``: (the day's row, their streaks, whether it is new)."""
    for _ in range(PLACE_ATTEMPTS):
        try:
            async with in_transaction() as conn:
                locked = await _lock(member, conn)
                existing = await _day_row(member, day, conn)
                if existing is not None:
                    return existing, streaks_of(locked), False
                taken = await (
                    CheckIn.filter(platform=member.platform, guild_id=member.guild_id, day=day, place__isnull=False)
                    .using_db(conn)
                    .order_by("-place")
                    .limit(1)
                    .values_list("place", flat=True)
                )
                place = (taken[0] if taken else 0) + 1
                days = await _counted_days(member, conn) | {day}
                streak = run_ending(days, day)
                reward = reward_for(
                    streak,
                    place,
                    base=settings.base_points,
                    step=settings.streak_step,
                    cap=settings.streak_cap,
                    first=settings.first_bonuses,
                )
                row = await CheckIn.create(
                    platform=member.platform,
                    guild_id=member.guild_id,
                    user_id=member.user_id,
                    day=day,
                    kind=KIND_CHECKIN,
                    place=place,
                    at=at,
                    streak=streak,
                    reward=reward.total,
                    settled=False,
                    using_db=conn,
                )
                return row, await _store_streaks(member, days, conn), True
        except IntegrityError:
            # Either this member's day exists now (a concurrent tap won) or another member
            # took the same place: look again.
            existing = await _day_row(member, day)
            if existing is not None:
                return existing, streaks_of(await CheckinMember.get(id=member.id)), False
    raise RuntimeError(f"no free check-in place for {member.platform}:{member.guild_id} on {day}")


async def unsettled_checkins(member: CheckinMember) -> list[CheckIn]:
    """Check-ins whose reward is not known to be paid (a crash between commit and payment)."""
    return await _days_of(member).filter(kind=KIND_CHECKIN, settled=False).order_by("day").all()


async def claim_makeup(member: CheckinMember, day: date, at: datetime) -> CheckIn | None:
    """A not-yet-counting make-up row for ``day``, or None when the day already counts."""
    try:
        return await CheckIn.create(
            platform=member.platform,
            guild_id=member.guild_id,
            user_id=member.user_id,
            day=day,
            kind=KIND_MAKEUP,
            at=at,
            settled=False,
        )
    except IntegrityError:
        row = await _day_row(member, day)
        if row is None or row.kind == KIND_CHECKIN or row.settled:
            return None
        return row  # a card whose use was interrupted (or is under way in a double tap): finish it


async def drop_makeup(row: CheckIn) -> None:
    await CheckIn.filter(id=row.id, settled=False).delete()


async def settle_makeup(member: CheckinMember, row: CheckIn, today: date) -> tuple[int, Streaks]:
    """The card is paid: the day counts. Returns (the streak before, the streaks now)."""
    async with in_transaction() as conn:
        locked = await _lock(member, conn)
        before = streak_on(streaks_of(locked), today)
        await CheckIn.filter(id=row.id).using_db(conn).update(settled=True)
        return before, await _store_streaks(member, await _counted_days(member, conn), conn)
