"""Prepared statements of the message-XP hot path.

Building an UPDATE through tortoise's query builder costs more than running it on SQLite, and
an award runs several per message that earns XP; these are written once per dialect instead.
``RETURNING`` (SQLite >= 3.35, PostgreSQL) reads the new balance in the same statement.

The set-based ones write every award of a group commit in one statement each (SQLite >= 3.35
for ``UPDATE ... FROM`` with ``RETURNING``): one round trip to the database thread whatever
the batch's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import count
from typing import Any

from bot import PlainSQL
from plugins.points.changes import LevelChange
from plugins.points.levels import Curve
from plugins.points.models import Activity, Balance, LedgerEntry

__all__ = [
    "ACTIVITY_REASON", "award_activities", "claim_activities", "create_activities", "credit_balance",
    "raise_level", "upsert_credits", "write_entries",
]

ACTIVITY_REASON = "activity"  # the ledger's reason of message XP

_CREDIT = (
    'UPDATE "points_balance" SET "balance"="balance"+{},"lifetime_xp"="lifetime_xp"+{},'
    '"updated_at"={} WHERE "id"={} RETURNING "balance","lifetime_xp","level"'
)
# A level-up is in the tail of the message path (make bench times it): written as is, not built.
_RAISE_LEVEL = PlainSQL('UPDATE "points_balance" SET "level"={} WHERE "id"={} AND "level"<{}')
_UPDATED = Balance._meta.fields_map["updated_at"]
_AWARDED = Activity._meta.fields_map["last_award_at"]


def _numbered(template: str, sqlite: bool) -> str:
    numbers = count(1)
    return template.format(*("?" if sqlite else f"${next(numbers)}" for _ in range(template.count("{}"))))


_SQL = {sqlite: _numbered(_CREDIT, sqlite) for sqlite in (True, False)}


async def credit_balance(connection: Any, row_id: int, amount: int, xp: int, at: Any) -> dict:
    """Add points and XP to a balance row; its new balance, lifetime_xp and level."""
    rows = await connection.execute_query_dict(
        _SQL[_is_sqlite(connection)], [amount, xp, _UPDATED.to_db_value(at, None), row_id]
    )
    return rows[0]


async def raise_level(connection: Any, curve: Curve, row_id: int, row: dict) -> LevelChange | None:
    """Store the level a credit reached (``row``: the balance row after it), if higher."""
    reached = curve.level_for(row["lifetime_xp"])
    if reached <= row["level"]:
        return None
    # The stored level only rises, once per level: the conditional update decides who
    # announces it when two processes race.
    changed, _ = await connection.execute_query(_RAISE_LEVEL.on(connection), [reached, row_id, reached])
    return LevelChange(row["level"], reached) if changed else None


# -- set-based, one statement per batch ------------------------------------------------------------
_UPSERT = (
    'INSERT INTO "points_balance" '
    '("platform","scope","user_id","balance","lifetime_xp","level","updated_at") '
    "VALUES {} "
    'ON CONFLICT ("platform","scope","user_id") DO UPDATE SET '
    '"balance"="points_balance"."balance"+excluded."balance",'
    '"lifetime_xp"="points_balance"."lifetime_xp"+excluded."lifetime_xp","updated_at"=excluded."updated_at" '
    'RETURNING "id","platform","scope","user_id","balance","lifetime_xp","level"'
)
_CLAIMS = (
    'UPDATE "points_activity" SET "last_award_at"=v.column2,"day"=v.column3,"day_xp"=v.column4,'
    '"awards"="awards"+1 FROM (VALUES {}) AS v WHERE "points_activity"."id"=v.column1 '
    'AND "points_activity"."awards"=v.column5 RETURNING "points_activity"."id"'
)
_CREATE = (
    'INSERT INTO "points_activity" ("platform","guild_id","user_id","last_award_at","day","day_xp","awards") '
    'VALUES {} RETURNING "id","platform","guild_id","user_id"'
)
_ENTRY_FIELDS = (
    "platform", "scope", "guild_id", "user_id", "amount", "xp", "kind", "reason", "plugin", "actor", "key",
    "balance_after", "created_at",
)
_ENTRIES = (
    'INSERT INTO "points_ledger" (' + ",".join(f'"{f}"' for f in _ENTRY_FIELDS) + ') VALUES {} RETURNING "id"'
)
_CREATED = LedgerEntry._meta.fields_map["created_at"]
# PostgreSQL types the parameters of a VALUES list only from casts (an INSERT takes its columns').
_CLAIM_TYPES = ("bigint", "timestamptz", "varchar", "integer", "integer")


@cache
def _batch(template: str, rows: int, width: int, sqlite: bool, types: tuple[str, ...] | None = None) -> str:
    numbers = count(1)

    def parameter(column: int) -> str:
        if sqlite:
            return "?"
        return f"${next(numbers)}" + (f"::{types[column]}" if types else "")

    values = ",".join("(" + ",".join(parameter(c) for c in range(width)) + ")" for _ in range(rows))
    return template.format(values)


def _is_sqlite(connection: Any) -> bool:
    return connection.capabilities.dialect == "sqlite"


async def upsert_credits(
    connection: Any, credits: Sequence[tuple[str, str, str, int, int, Any]]
) -> dict[tuple[str, str, str], dict]:
    """Add (platform, scope, user_id, amount, xp, at) to balance rows, creating the missing
    ones, in one statement; each row after it (id, balance, lifetime_xp, level) by
    (platform, scope, user_id). A row may appear once per statement."""
    values = [
        v for platform, scope, user, amount, xp, at in credits
        for v in (platform, scope, user, amount, xp, 0, _UPDATED.to_db_value(at, None))
    ]
    sql = _batch(_UPSERT, len(credits), 7, _is_sqlite(connection))
    rows = await connection.execute_query_dict(sql, values)
    return {(r["platform"], r["scope"], r["user_id"]): r for r in rows}


async def claim_activities(connection: Any, claims: Sequence[tuple[int, int, Any, str, int]]) -> set[int]:
    """Record awards on activity rows, (row_id, version, at, day, day_xp) each, where nobody
    else did since that version; the ids of the rows claimed (a row that moved on is not)."""
    sqlite = _is_sqlite(connection)
    values = [
        v for row_id, version, at, day, day_xp in claims
        for v in (row_id, _AWARDED.to_db_value(at, None), day, day_xp, version)
    ]
    sql = _batch(_CLAIMS, len(claims), 5, sqlite, None if sqlite else _CLAIM_TYPES)
    return {r["id"] for r in await connection.execute_query_dict(sql, values)}


async def create_activities(
    connection: Any, rows: Sequence[tuple[str, str, str, Any, str, int]]
) -> dict[tuple[str, str, str], int]:
    """New activity rows of first awards, (platform, guild_id, user_id, at, day, day_xp) each;
    their ids by (platform, guild_id, user_id). A row another process created meanwhile raises
    IntegrityError."""
    values = [
        v for platform, guild, user, at, day, day_xp in rows
        for v in (platform, guild, user, _AWARDED.to_db_value(at, None), day, day_xp, 1)
    ]
    sql = _batch(_CREATE, len(rows), 7, _is_sqlite(connection))
    rows = await connection.execute_query_dict(sql, values)
    return {(r["platform"], r["guild_id"], r["user_id"]): r["id"] for r in rows}


async def write_entries(connection: Any, entries: Sequence[dict[str, Any]]) -> list[int]:
    """Ledger entries, each a dict of every column but ``id``, in one statement; their ids in
    order. A key already written raises IntegrityError (as the ORM's insert would)."""
    values = [
        _CREATED.to_db_value(entry[f], None) if f == "created_at" else entry[f]
        for entry in entries for f in _ENTRY_FIELDS
    ]
    sql = _batch(_ENTRIES, len(entries), len(_ENTRY_FIELDS), _is_sqlite(connection))
    return [r["id"] for r in await connection.execute_query_dict(sql, values)]


# -- PostgreSQL: a batch of awards in one statement ------------------------------------------------
# Each award claims its activity row (or creates it), credits its balance and writes its ledger
# entry; the data-modifying parts of one statement commit together, so the batch costs one round
# trip instead of BEGIN, three statements and COMMIT. A row another process moved on is not
# claimed and earns nothing; a key or activity row already written fails the whole statement
# (IntegrityError), as the separate statements would.
_AWARD_COLUMNS = (
    "n", "row_id", "version", "at", "day", "day_xp", "platform", "guild_id", "user_id", "scope", "amount",
    "xp", "key",
)
_AWARD_TYPES = (
    "integer", "bigint", "integer", "timestamptz", "varchar", "integer", "varchar", "varchar", "varchar",
    "varchar", "bigint", "bigint", "varchar",
)
_SAME_BALANCE = '(c."platform",c."scope",c."user_id")=(v."platform",v."scope",v."user_id")'
_AWARDS = (
    "WITH v(" + ",".join(f'"{c}"' for c in _AWARD_COLUMNS) + ") AS (VALUES {}), "
    'claimed AS (UPDATE "points_activity" AS a SET "last_award_at"=v."at","day"=v."day",'
    '"day_xp"=v."day_xp","awards"=a."awards"+1 FROM v WHERE a."id"=v."row_id" AND a."awards"=v."version" '
    'RETURNING v."n",a."id"), '
    'created AS (INSERT INTO "points_activity" '
    '("platform","guild_id","user_id","last_award_at","day","day_xp","awards") '
    'SELECT "platform","guild_id","user_id","at","day","day_xp",1 FROM v WHERE "row_id" IS NULL '
    'RETURNING "id","platform","guild_id","user_id"), '
    'won AS (SELECT "n","id" FROM claimed UNION ALL SELECT v."n",c."id" FROM created AS c JOIN v '
    'ON v."row_id" IS NULL '
    'AND (v."platform",v."guild_id",v."user_id")=(c."platform",c."guild_id",c."user_id")), '
    'credited AS (INSERT INTO "points_balance" '
    '("platform","scope","user_id","balance","lifetime_xp","level","updated_at") '
    'SELECT v."platform",v."scope",v."user_id",v."amount",v."xp",0,v."at" FROM v JOIN won USING ("n") '
    'ON CONFLICT ("platform","scope","user_id") DO UPDATE SET '
    '"balance"="points_balance"."balance"+excluded."balance",'
    '"lifetime_xp"="points_balance"."lifetime_xp"+excluded."lifetime_xp","updated_at"=excluded."updated_at" '
    'RETURNING "id","platform","scope","user_id","balance","lifetime_xp","level"), '
    'entries AS (INSERT INTO "points_ledger" (' + ",".join(f'"{f}"' for f in _ENTRY_FIELDS) + ") "
    'SELECT v."platform",v."scope",v."guild_id",v."user_id",v."amount",v."xp",'
    f"'earn','{ACTIVITY_REASON}','points',NULL,"
    'v."key",c."balance",v."at" FROM v JOIN won USING ("n") JOIN credited AS c ON ' + _SAME_BALANCE + ") "
    'SELECT won."n",won."id" AS "activity_id",c."id",c."balance",c."lifetime_xp",c."level" '
    'FROM won JOIN v USING ("n") JOIN credited AS c ON ' + _SAME_BALANCE
)


async def award_activities(
    connection: Any, awards: Sequence[tuple[Any, ...]]
) -> dict[int, tuple[int, dict]]:
    """PostgreSQL only, outside a transaction: awards of message XP, each (activity row id or
    None for a first award, its version, at, day, day_xp, platform, guild_id, user_id, balance
    scope, amount, xp, ledger key), no two on one balance row. For each award credited, by its
    index: its activity row's id and its balance row after it (id, balance, lifetime_xp, level)."""
    values = [
        v for n, (row_id, version, at, *rest) in enumerate(awards)
        for v in (n, row_id, version, _AWARDED.to_db_value(at, None), *rest)
    ]
    sql = _batch(_AWARDS, len(awards), len(_AWARD_COLUMNS), False, _AWARD_TYPES)
    rows = await connection.execute_query_dict(sql, values)
    return {r["n"]: (r["activity_id"], r) for r in rows}
