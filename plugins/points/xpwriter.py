"""Group commit of message-XP awards.

One transaction per award spends much of its time on BEGIN and COMMIT. Awards are instead
handed to one writer task: the awards that arrive while a commit is in flight are written
together in the next transaction, so a burst of messages from many groups costs one commit.
A lone award (sequential dispatch) is a batch of one: one transaction of as many statements
as before (a member's first award even saves the separate creation of their balance row).
Every message handler awaits its own award's outcome, so the award is durable before anything
about it (a level-up) is announced.

Within a batch each award still claims its activity row by version (another process may have
awarded since) and is skipped alone if the claim fails; a key seen twice in a batch is written
once. Should a statement fail anyway (a unique index, a deadlock), the batch is rolled back
and its awards are committed one by one, so the good ones are never lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.connection import connections
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from plugins.points.changes import LevelChange
from plugins.points.levels import Curve
from plugins.points.sql import (
    ACTIVITY_REASON,
    award_activities,
    claim_activities,
    create_activities,
    raise_level,
    upsert_credits,
    write_entries,
)

__all__ = ["ActivityState", "Award", "AwardWriter", "Credited", "Earning"]

log = logging.getLogger(__name__)
# Bounds a transaction's length and its statements' parameters (7 per award).
MAX_BATCH = 500


@dataclass(slots=True)
class ActivityState:
    row_id: int  # 0 while the row of a member's first award is being written
    last: float  # POSIX seconds of the last award (platform time)
    day: str  # group-local date of day_xp
    day_xp: int
    awards: int  # the row's version


@dataclass(slots=True)
class Credited:
    state: ActivityState  # the activity row after the award
    balance: int  # the balance after the award
    level: LevelChange | None


@dataclass(slots=True)
class Earning:
    """What one message earns, wherever it is written (here, or by its batch: xpbatch)."""

    member: tuple[str, str, str]  # (platform, group key, user_id): the activity row's key
    scope: str  # the balance row's
    amount: int
    xp: int
    entry_key: str
    at: datetime  # the message's (platform) time
    today: str
    day_xp: int  # the day's XP including this award


@dataclass(slots=True)
class Award(Earning):
    seen: ActivityState | None  # the activity row the award was decided on; None: no row yet
    done: asyncio.Future[Credited | None]


# What became of an award: credited, skipped (None: the row or key was taken), or an error.
Outcome = Credited | None | BaseException
Settle = Callable[[Award, Outcome], Awaitable[None]]


class AwardWriter:
    """The single writer of message-XP awards of one ``Points`` service. Its task runs only
    while there is something to write, so an idle bot (or a finished test) holds no task."""

    def __init__(self, curve: Curve, settle: Settle) -> None:
        self.curve = curve
        self._settle = settle
        self._queue: list[Award] = []
        self._task: asyncio.Task[None] | None = None

    def submit(self, award: Award) -> None:
        self._queue.append(award)
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._drain())

    async def flush(self) -> None:
        """Wait until every submitted award is written (at shutdown)."""
        while self._task is not None:
            await asyncio.wait([self._task])

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                await self._commit(batch)
        finally:
            self._task = None

    async def _commit(self, batch: list[Award]) -> None:
        try:
            outcomes: list[Outcome] = await self._write(batch)
        except Exception as exc:
            if len(batch) > 1:
                log.warning(
                    "%d XP awards not written together (%s); writing them one by one", len(batch), exc
                )
                for award in batch:
                    await self._commit([award])
                return
            outcomes = [None if isinstance(exc, IntegrityError) else exc]
        for award, outcome in zip(batch, outcomes, strict=True):
            await self._settle(award, outcome)

    async def _write(self, batch: list[Award]) -> list[Outcome]:
        outcomes: list[Outcome] = [None] * len(batch)
        keys: set[str] = set()
        live: list[int] = []
        for n, award in enumerate(batch):
            if award.entry_key not in keys:  # the same message twice earns once
                keys.add(award.entry_key)
                live.append(n)
        rounds = _rounds(live, [_balance_key(batch[n]) for n in live])
        connection = connections.get("default")
        if connection.capabilities.dialect == "postgres" and len(rounds) == 1:
            awards = [batch[n] for n in live]
            credited = await award_activities(connection, [_award_row(a) for a in awards])
            for i, (activity_id, row) in credited.items():
                award = awards[i]
                # Outside the award's statement: a level not stored (a crash between the two) is
                # stored by the member's next credit, which compares the level with the XP again.
                level = await raise_level(connection, self.curve, row["id"], row)
                state = ActivityState(activity_id, award.at.timestamp(), award.today, award.day_xp,
                                      award.seen.awards + 1 if award.seen else 1)
                outcomes[live[i]] = Credited(state, row["balance"], level)
            return outcomes
        entries: list[dict[str, Any]] = []
        async with in_transaction() as connection:
            states = await _claim(connection, [batch[n] for n in live])
            for round_ in rounds:
                round_ = [n for n in round_ if batch[n].member in states]
                if not round_:
                    continue
                rows = await upsert_credits(connection, [
                    (*_balance_key(batch[n]), batch[n].amount, batch[n].xp, batch[n].at) for n in round_
                ])
                for n in round_:
                    award = batch[n]
                    platform, group_key, user_id = award.member
                    row = rows[_balance_key(award)]
                    level = await raise_level(connection, self.curve, row["id"], row)
                    outcomes[n] = Credited(states[award.member], row["balance"], level)
                    entries.append({
                        "platform": platform, "scope": award.scope, "guild_id": group_key,
                        "user_id": user_id, "amount": award.amount, "xp": award.xp, "kind": "earn",
                        "reason": ACTIVITY_REASON, "plugin": "points", "actor": None,
                        "key": award.entry_key, "balance_after": row["balance"], "created_at": award.at,
                    })
            if entries:
                await write_entries(connection, entries)
        return outcomes


def _award_row(award: Award) -> tuple:
    seen = award.seen
    platform, group_key, user_id = award.member
    return (
        seen.row_id if seen else None, seen.awards if seen else 0, award.at, award.today, award.day_xp,
        platform, group_key, user_id, award.scope, award.amount, award.xp, award.entry_key,
    )


async def _claim(connection: Any, awards: list[Award]) -> dict[tuple[str, str, str], ActivityState]:
    """Record the awards on their activity rows: create the rows of first awards, and update the
    others only if their version is still the one the award was decided on. The new state of
    each row claimed, by member; a member missing lost the row to another process."""
    states: dict[tuple[str, str, str], ActivityState] = {}
    fresh = [a for a in awards if a.seen is None]
    if fresh:
        ids = await create_activities(connection, [(*a.member, a.at, a.today, a.day_xp) for a in fresh])
        for a in fresh:
            states[a.member] = ActivityState(ids[a.member], a.at.timestamp(), a.today, a.day_xp, 1)
    known = [(a, a.seen) for a in awards if a.seen is not None]
    if known:
        claimed = await claim_activities(
            connection, [(seen.row_id, seen.awards, a.at, a.today, a.day_xp) for a, seen in known]
        )
        for a, seen in known:
            if seen.row_id in claimed:
                states[a.member] = ActivityState(
                    seen.row_id, a.at.timestamp(), a.today, a.day_xp, seen.awards + 1
                )
    return states


def _balance_key(award: Award) -> tuple[str, str, str]:
    return award.member[0], award.scope, award.member[2]


def _rounds(items: list[int], keys: list[tuple[str, str, str]]) -> list[list[int]]:
    """Split so that no balance row appears twice in one round (one statement may update a row
    once), keeping each row's awards in order: with global balances a member's awards from two
    groups can meet in one batch."""
    rounds: list[list[int]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for item, key in zip(items, keys, strict=True):
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(item)
    return rounds
