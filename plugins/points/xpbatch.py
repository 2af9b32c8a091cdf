"""Message-XP awards committed with the batch that confirms their messages (issue #11's group
commit).

An award decided while an adapter handles a delivery its platform may make again (a Telegram
update) is kept in a :class:`bot.Backlog` instead of being committed on its own: the batch that
confirms the update writes it in the same transaction as the roster's activity, the counters
and the update's redelivery mark, so a crash loses the award together with the confirmation
(the update comes again and earns it then) or keeps both. One commit per batch instead of one
more per award: on PostgreSQL, where a commit waits for the disk, that is the award's cost.

The batch only writes (``bot_commit_batch``), so each award's statements are conditional rather
than read first: the activity row is claimed only at the version the award was decided on (and
created only if absent), and the balance and ledger entry are written only where that claim
holds (the row carries the award's ledger key), so an award another process pre-empted writes
nothing at all. The ledger entry reads the balance after the credit from the row itself. A
member's awards in one batch go in rounds, one per member per round, so each is credited before
the next one claims the row.

After the commit one query reads back which awards were credited (their entries) and the
balances they left; then the level is raised where it grew, and hooks and level-ups run, as
for an award committed alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.connection import connections

from bot import MemberRef, PlainSQL
from plugins.points.models import Activity
from plugins.points.sql import ACTIVITY_REASON
from plugins.points.xpwriter import Earning

__all__ = ["BatchedAward", "Credit", "read_back", "write_awards"]

_AT = Activity._meta.fields_map["last_award_at"]


@dataclass(slots=True)
class BatchedAward(Earning):
    version: int  # the activity row's version the award was decided on; 0: no row yet
    ref: MemberRef  # whom hooks and the level-up name
    channel_id: str | None  # where the message that earned it was sent
    name: str | None  # what the member was called there


@dataclass(frozen=True, slots=True)
class Credit:
    balance: int  # the balance right after the award (its ledger entry's)
    row_id: int  # the balance row
    lifetime_xp: int  # the balance row now
    level: int


# PostgreSQL types a parameter from its first use and the select lists of INSERT ... SELECT
# give none: every parameter is cast.
_TYPES = {"s": "::varchar", "i": "::bigint", "t": "::timestamptz"}
_NO_TYPES = {name: "" for name in _TYPES}


def _sql(template: str) -> PlainSQL:
    return PlainSQL(template, sqlite=_NO_TYPES, postgres=_TYPES)


_NOT_WRITTEN = 'NOT EXISTS (SELECT 1 FROM "points_ledger" WHERE "key"={key})'
# By the row's key, not its id: the id of a row created by an award of the batch before is not
# known yet.
_CLAIM = _sql(
    'UPDATE "points_activity" SET "last_award_at"={3}{t},"day"={4}{s},"day_xp"={5}{i},'
    '"awards"="awards"+1,"last_key"={7}{s} WHERE "platform"={0}{s} AND "guild_id"={1}{s} '
    'AND "user_id"={2}{s} AND "awards"={6}{i} AND ' + _NOT_WRITTEN.format(key="{7}{s}")
)
_CREATE = _sql(
    'INSERT INTO "points_activity" ("platform","guild_id","user_id","last_award_at","day","day_xp",'
    '"awards","last_key") SELECT {0}{s},{1}{s},{2}{s},{3}{t},{4}{s},{5}{i},1,{6}{s} WHERE '
    + _NOT_WRITTEN.format(key="{6}{s}")
    + ' ON CONFLICT ("platform","guild_id","user_id") DO NOTHING'
)
# The award's own claim holds: the row is marked with its key (and no later award moved it
# on, which one batch never does before its credit).
_CLAIMED = (
    'EXISTS (SELECT 1 FROM "points_activity" WHERE "platform"={p}{s} AND "guild_id"={g}{s} '
    'AND "user_id"={u}{s} AND "last_key"={key}{s})'
)
_CREDIT = _sql(
    'INSERT INTO "points_balance" ("platform","scope","user_id","balance","lifetime_xp","level",'
    '"updated_at") SELECT {0}{s},{1}{s},{2}{s},{3}{i},{4}{i},0,{5}{t} WHERE '
    + _CLAIMED.format(p="{0}", g="{6}", u="{2}", key="{7}", s="{s}")
    + " AND " + _NOT_WRITTEN.format(key="{7}{s}")
    + ' ON CONFLICT ("platform","scope","user_id") DO UPDATE SET '
    '"balance"="points_balance"."balance"+excluded."balance",'
    '"lifetime_xp"="points_balance"."lifetime_xp"+excluded."lifetime_xp",'
    '"updated_at"=excluded."updated_at"'
)
_ENTRY = _sql(
    'INSERT INTO "points_ledger" ("platform","scope","guild_id","user_id","amount","xp","kind",'
    '"reason","plugin","actor","key","balance_after","created_at") '
    "SELECT {0}{s},{1}{s},{2}{s},{3}{s},{4}{i},{5}{i},'earn','" + ACTIVITY_REASON + "','points',"
    'NULL,{6}{s},b."balance",{7}{t} FROM "points_balance" AS b '
    'WHERE b."platform"={0}{s} AND b."scope"={1}{s} AND b."user_id"={3}{s} AND '
    + _CLAIMED.format(p="{0}", g="{2}", u="{3}", key="{6}", s="{s}")
    + " AND " + _NOT_WRITTEN.format(key="{6}{s}")
)


async def write_awards(writes: Any, awards: Sequence[BatchedAward]) -> None:
    """Add the awards' statements to ``writes`` (the batch's ``connection``), in rounds."""
    for round_ in _rounds(awards):
        claims, creations, credits, entries = [], [], [], []
        for a in round_:
            platform, group_key, user_id = a.member
            at = _AT.to_db_value(a.at, None)
            if a.version:
                claims.append([platform, group_key, user_id, at, a.today, a.day_xp, a.version, a.entry_key])
            else:
                creations.append([platform, group_key, user_id, at, a.today, a.day_xp, a.entry_key])
            credits.append([platform, a.scope, user_id, a.amount, a.xp, at, group_key, a.entry_key])
            entries.append([platform, a.scope, group_key, user_id, a.amount, a.xp, a.entry_key, at])
        await writes.execute_many(_CLAIM.on(writes), claims)
        await writes.execute_many(_CREATE.on(writes), creations)
        await writes.execute_many(_CREDIT.on(writes), credits)
        await writes.execute_many(_ENTRY.on(writes), entries)


def _rounds(awards: Sequence[BatchedAward]) -> list[list[BatchedAward]]:
    """At most one award per member per round, each member's in order."""
    rounds: list[list[BatchedAward]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for award in awards:
        n = seen.get(award.member, 0)
        seen[award.member] = n + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(award)
    return rounds


async def read_back(keys: Sequence[str]) -> dict[str, Credit]:
    """The awards credited, by ledger key, with the balance each left and its row now."""
    connection = connections.get("default")
    sqlite = connection.capabilities.dialect == "sqlite"
    places = ",".join("?" if sqlite else f"${n}" for n in range(1, len(keys) + 1))
    rows = await connection.execute_query_dict(
        'SELECT l."key",l."balance_after",b."id",b."lifetime_xp",b."level" FROM "points_ledger" AS l '
        'JOIN "points_balance" AS b ON b."platform"=l."platform" AND b."scope"=l."scope" '
        f'AND b."user_id"=l."user_id" WHERE l."key" IN ({places})',
        list(keys),
    )
    return {
        r["key"]: Credit(r["balance_after"], r["id"], r["lifetime_xp"], r["level"]) for r in rows
    }
