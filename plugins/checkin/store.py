"""Check-in state changes: each day is written in one transaction with its points change.

Check-in: one transaction reads the member's summary row and locks it (PostgreSQL; SQLite
serializes writers anyway), inserts the day with the next place of the group's day, works the
member's streaks out from the summary (from their days only where it cannot tell, as for a day
before the last one), and pays the reward and any milestone reached through the Points service
in the same transaction (``using=tx``). Either all of it commits or none of it: a day is never
recorded unpaid, and a failed payment leaves no day behind, so the member can simply check in
again. The unique (member, day) key turns a second tap, a concurrent tap or a redelivered update
into "already checked in"; the unique (group, day, place) key turns two members taking the same
place into a retry of the whole transaction, so places are exact and gap-free.

A check-in is the message path's busiest write, so its own statements are plain SQL
(:class:`bot.storage.PlainSQL`), not built by the ORM each time: one for a repeat, three for a
new day. The first finds the summary row by its unique key and locks it, with the member's row
of the day and the group's own quiet choice joined to it: a repeat ends there. The second
inserts the day with its place and place bonus worked out in the same statement. The third
updates the summary. A member's first check-in in a group adds their summary row (and reads it
again) in the same transaction. Milestones known to be paid (``PaidMilestones``) are not asked
of the ledger again at every check-in of a long streak.

A make-up card is the same: the day row, its charge (``Points.spend``) and the new streaks in
one transaction; too few points roll it all back.

Every points change still has a key derived from what it pays for (the member's day, the
card's day, the member's milestone), so a milestone is paid once ever per member and group.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, partial
from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError

from bot import MemberRef, PlainSQL, Scope, Transaction
from plugins.checkin import plugin
from plugins.checkin.config import CheckinSettings
from plugins.checkin.models import KIND_CHECKIN, KIND_MAKEUP, CheckIn, CheckinMember
from plugins.checkin.streaks import Streaks, extended, reward_for, streak_on, summarize
from plugins.points import LedgerResult, Points, Reason

__all__ = [
    "Checked",
    "MadeUp",
    "PaidMilestones",
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

# What a check-in decides on, in one statement by the unique keys: the member's summary row
# (locked on PostgreSQL), their row of the day if there is one, and the group's own quiet choice.
_STATE = """SELECT m."id",m."streak",m."last_day",m."longest",m."total",d."id" AS "day_id",d."kind",
d."place",d."at",d."streak" AS "day_streak",d."reward",g."quiet" FROM "checkin_member" m
LEFT JOIN "checkin_day" d ON d."platform"=m."platform" AND d."guild_id"=m."guild_id"
AND d."user_id"=m."user_id" AND d."day"={}
LEFT JOIN "checkin_group" g ON g."platform"=m."platform" AND g."guild_id"=m."guild_id"
WHERE m."platform"={} AND m."guild_id"={} AND m."user_id"={}{lock}"""
_LOCKED_STATE = PlainSQL(_STATE, sqlite={"lock": ""}, postgres={"lock": " FOR UPDATE OF m"})
_READ_STATE = PlainSQL(_STATE, sqlite={"lock": ""}, postgres={"lock": ""})
_NEW_MEMBER = PlainSQL(
    'INSERT INTO "checkin_member" ("platform","guild_id","user_id","name","streak","last_day",'
    '"longest","total","remind") VALUES ({},{},{},\'\',0,NULL,0,0,TRUE) '
    'ON CONFLICT ("platform","guild_id","user_id") DO NOTHING RETURNING "id"'
)
_SAVE_STREAKS = PlainSQL(
    'UPDATE "checkin_member" SET "streak"={},"last_day"={},"longest"={},"total"={} WHERE "id"={}'
)
_AT = CheckIn._meta.fields_map["at"]
# Members whose paid milestones are remembered at most; past that the memory starts again.
MEMO_LIMIT = 100_000


@plugin.service
class PaidMilestones:
    """Up to which streak every milestone of a member's is known to be paid, by the id of their
    summary row (the plugin's own service: one per running bot), so a check-in does not ask the
    ledger again about each milestone a long streak passed. A milestone is paid once ever and
    its ledger entry goes only with the member's data, summary row included: a member who was
    forgotten and comes back has a new row id and starts from nothing. Learned once the
    payment (or the ledger's "already paid") has committed; a restart forgets, so a milestone
    added to the config is paid at the next check-in past it."""

    def __init__(self, scope: Scope) -> None:
        self._upto: dict[int, int] = {}

    def upto(self, summary_id: int) -> int:
        return self._upto.get(summary_id, 0)

    def learn(self, summary_id: int, streak: int) -> None:
        if streak > self._upto.get(summary_id, 0):
            if len(self._upto) >= MEMO_LIMIT:
                self._upto.clear()
            self._upto[summary_id] = streak

    def forget(self) -> None:
        self._upto.clear()


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
    already checked in that day), the milestones paid now as (days, points), and the group's
    own quiet choice (``/checkin quiet``; None: it made none, the config decides), read with
    the rest so the reply needs no statement of its own."""

    row: CheckIn
    streaks: Streaks
    new: bool
    milestones: list[tuple[int, int]] = field(default_factory=list)
    quiet: bool | None = None


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


@cache
def _insert_day(bonuses: int) -> PlainSQL:
    """The day's row with the next place of the group's day and its reward (base and streak
    bonus, plus the bonus of that place when it is one of the first ``bonuses``), in one
    statement; the unique (group, day, place) key refuses a place taken at the same moment."""
    first = "".join(f" WHEN {n} THEN {{}}" for n in range(1, bonuses + 1))
    bonus = f'CASE n."place"{first} ELSE 0 END' if bonuses else "0"
    return PlainSQL(
        'INSERT INTO "checkin_day" ("platform","guild_id","user_id","day","kind","place","at",'
        f'"streak","reward","settled") SELECT {{}},{{}},{{}},{{}},{{}},n."place",{{}},{{}},{{}}+{bonus},'
        'TRUE FROM (SELECT COALESCE((SELECT "place" FROM "checkin_day" WHERE "platform"={} '
        'AND "guild_id"={} AND "day"={} AND "place" IS NOT NULL ORDER BY "place" DESC LIMIT 1),0)+1 '
        'AS "place") n RETURNING "id","place","reward"'
    )


def _date(value: Any) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


async def _state(connection: Any, statement: PlainSQL, ids: list[str], day: date) -> dict | None:
    rows = await connection.execute_query_dict(statement.on(connection), [day, *ids])
    return rows[0] if rows else None


def _summary(state: dict) -> Streaks:
    return Streaks(state["streak"], _date(state["last_day"]), state["longest"], state["total"])


def _quiet(state: dict) -> bool | None:
    return None if state["quiet"] is None else bool(state["quiet"])


def _already(state: dict, keys: dict[str, str], day: date) -> Checked:
    row = CheckIn(
        id=state["day_id"], **keys, day=day, kind=state["kind"], place=state["place"],
        at=_AT.to_python_value(state["at"]), streak=state["day_streak"], reward=state["reward"],
        settled=True,
    )
    return Checked(row, _summary(state), False, quiet=_quiet(state))


async def check_in(
    scope: Scope, member: MemberRef, settings: CheckinSettings, day: date, at: datetime,
    tell: Tell[Checked] | None = None,
) -> Checked:
    """Check ``member`` in for ``day`` (the local day the message was sent) and pay for it.
    ``tell``: what to say about a new check-in once it has committed."""
    points = scope.service(Points)
    memo = scope.service(PaidMilestones)
    keys = _keys(member)
    ids = [keys["platform"], keys["guild_id"], keys["user_id"]]
    bonuses = settings.first_bonuses
    insert_day = _insert_day(len(bonuses))
    for _ in range(PLACE_ATTEMPTS):
        try:
            async with scope.transaction() as tx:
                connection = tx.connection
                state = await _state(connection, _LOCKED_STATE, ids, day)
                created = False
                if state is None:
                    # The member's first check-in in the group: their summary row first (or a
                    # concurrent first tap's, once that has committed), then the same read.
                    created = bool(await connection.execute_query_dict(_NEW_MEMBER.on(connection), ids))
                    state = await _state(connection, _LOCKED_STATE, ids, day)
                    if state is None:
                        continue  # forgotten at this very moment: start again
                if state["day_id"] is not None:
                    return _already(state, keys, day)
                told = _tell_first(tx, tell)
                summary_id = state["id"]
                # Today after the last day counted: the summary says it all, no history read;
                # nor for a summary row made just now (a member's days come after it).
                before = _summary(state)
                streaks = extended(before, day) or (
                    Streaks(1, day, 1, 1) if created else summarize(await _days(member, tx) | {day})
                )
                streak = streaks.streak
                reward = reward_for(
                    streak, None, base=settings.base_points, step=settings.streak_step,
                    cap=settings.streak_cap, first=bonuses,
                )
                [added] = await connection.execute_query_dict(
                    insert_day.on(connection),
                    [
                        *ids, day, KIND_CHECKIN, _AT.to_db_value(at, None), streak, reward.total,
                        *bonuses, *ids[:2], day,
                    ],
                )
                row = CheckIn(
                    id=added["id"], **keys, day=day, kind=KIND_CHECKIN, place=added["place"], at=at,
                    streak=streak, reward=added["reward"], settled=True,
                )
                await connection.execute_query(
                    _SAVE_STREAKS.on(connection),
                    [streak, streaks.last_day, streaks.longest, streaks.total, summary_id],
                )
                if row.reward > 0:
                    await points.earn(
                        member, row.reward, key=day_key(member, day),
                        reason=Reason("checkin.reason.day", day=day.isoformat(), n=streak),
                        at=at, using=tx,
                    )
                known = memo.upto(summary_id)
                milestones = await _pay_milestones(points, member, streak, settings, at, tx, known)
                if streak > known and any(days <= streak for days in settings.milestones):
                    tx.after_commit(partial(_learn, memo, summary_id, streak))
                told.append(Checked(row, streaks, True, milestones, _quiet(state)))
                return told[0]
        except IntegrityError:
            # Either this member's day exists now (a concurrent tap won) or another member took
            # the same place: everything was rolled back, look again.
            state = await _state(CheckIn._meta.db, _READ_STATE, ids, day)
            if state is not None and state["day_id"] is not None:
                return _already(state, keys, day)
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


async def _learn(memo: PaidMilestones, summary_id: int, streak: int) -> None:
    memo.learn(summary_id, streak)


async def _pay_milestones(
    points: Points, member: MemberRef, streak: int, settings: CheckinSettings, at: datetime,
    tx: Transaction, known: int = 0,
) -> list[tuple[int, int]]:
    """Pay every milestone ``streak`` has reached that was never paid to this member in this
    group (a milestone added to the config later is paid at the next check-in past it);
    returns the (days, points) paid now. ``known``: the milestones up to this streak are
    known to be paid (``PaidMilestones``), the ledger is not asked about them."""
    paid = []
    for days, amount in sorted(settings.milestones.items()):
        if days > streak or days <= known or amount <= 0:
            continue
        result = await points.earn(
            member, amount, key=milestone_key(member, days),
            reason=Reason("checkin.reason.milestone", n=days), at=at, using=tx,
        )
        if result.applied:
            paid.append((days, amount))
    return paid
