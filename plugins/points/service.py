"""The ``Points`` service: the only way points and XP change.

Every change is a ledger entry written in the same transaction as its balance row; with
``using=tx`` that transaction is the caller's (a savepoint in it), so a plugin's own row and
its points change commit together or not at all. Debits are conditional updates
(``balance >= amount``, row count checked) because SQLite has no row locks; idempotency rides
on the entry's unique ``key``: a key already used returns the first result, and a concurrent
duplicate loses on the unique index (only the savepoint rolls back) and returns the winner's
result. Hooks, level-up announcements and rewards are after-commit work of the transaction:
they run once it has committed, and never when it failed.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from tortoise.connection import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from bot import (
    GroupRef,
    MemberRef,
    Mention,
    Outgoing,
    PlainSQL,
    PlatformError,
    Recent,
    Scope,
    Text,
    Transaction,
)
from plugins.points.changes import Applied, LevelChange
from plugins.points.config import PointsConfig
from plugins.points.levels import Curve, title_for
from plugins.points.models import GLOBAL_SCOPE, Balance
from plugins.points.reasons import Reason, stored
from plugins.points.rewards import grant_rewards
from plugins.points.sql import credit_balance, raise_level, write_entries
from plugins.points.xp import ActivityXp

__all__ = ["InsufficientPoints", "LedgerResult", "Points", "Standing"]

log = logging.getLogger(__name__)
# The second entry of a transfer (the credit) carries the caller's key plus this suffix.
CREDIT_SUFFIX = "#credit"
RowKey = tuple[str, str, str]  # (platform, balance scope, user_id)


@dataclass(frozen=True)
class LedgerResult:
    applied: bool  # False when this idempotency key was already used (nothing changed now)
    amount: int  # the amount of the (first) application
    balance: int  # the member's balance after the (first) application
    entry_id: int


class InsufficientPoints(Exception):
    """A spend, penalty or transfer larger than the balance; nothing was changed."""

    def __init__(self, balance: int, needed: int) -> None:
        super().__init__(f"balance {balance} is less than {needed}")
        self.balance = balance
        self.needed = needed


@dataclass(frozen=True)
class Standing:
    balance: int
    lifetime_xp: int
    level: int


def _positive(amount: int) -> None:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValueError(f"amount must be a positive whole number, not {amount!r}")


def _group_key(member: MemberRef) -> str | None:
    return member.group.key if member.group is not None else None


class Points:
    """Built once with the points plugin's scope; every plugin gets its own handle
    (``ctx.service(Points)``, see :meth:`for_caller`). See docs/points.md for the contract."""

    def __init__(self, scope: Scope) -> None:
        self._scope = scope
        # The plugin whose ledger entries this handle writes (``for_caller``).
        self._source = scope.plugin
        self.config: PointsConfig = scope.config or PointsConfig()
        self.curve = Curve(self.config)
        # Balance row ids by (platform, scope, user), learned from committed transactions only:
        # a row created in a transaction that rolled back must not be remembered. A data
        # deletion clears it. The members who were credited last ([bot] member_cache): an id
        # that goes is read again.
        self._rows: Recent[RowKey, int] = Recent(scope.member_cache)
        self.activity = ActivityXp(
            self.config, self.curve, self.balance_scope, self._after, self._claimed,
            cache_size=scope.member_cache,
        )

    def for_caller(self, scope: Scope) -> Points:
        """The handle plugin ``scope.plugin`` uses: the same caches, its name on every entry."""
        handle = copy.copy(self)
        handle._source = scope.plugin
        return handle

    # -- the contract ----------------------------------------------------------------------------
    async def earn(
        self,
        member: MemberRef,
        amount: int,
        *,
        key: str,
        reason: str | Reason,
        xp: int | None = None,
        actor: str | None = None,
        at: datetime | None = None,
        using: Transaction | None = None,
    ) -> LedgerResult:
        """Credit earned points (kind ``earn``). ``xp``: XP to add with it; None = the points
        also count as XP when ``earn_counts_as_xp`` is on."""
        _positive(amount)
        if xp is None:
            xp = amount if self.config.earn_counts_as_xp else 0
        if xp < 0:
            raise ValueError("xp cannot be negative")
        return await self.credit(
            member, amount, xp=xp, kind="earn", key=key, reason=reason, actor=actor, at=at, using=using
        )

    async def refund(
        self,
        member: MemberRef,
        amount: int,
        *,
        key: str,
        reason: str | Reason,
        actor: str | None = None,
        at: datetime | None = None,
        using: Transaction | None = None,
    ) -> LedgerResult:
        """Give back points (kind ``refund``); never counts as XP."""
        _positive(amount)
        return await self.credit(
            member, amount, xp=0, kind="refund", key=key, reason=reason, actor=actor, at=at, using=using
        )

    async def spend(
        self,
        member: MemberRef,
        amount: int,
        *,
        key: str,
        reason: str | Reason,
        actor: str | None = None,
        at: datetime | None = None,
        using: Transaction | None = None,
    ) -> LedgerResult:
        """Take points the member pays (kind ``spend``); raises InsufficientPoints."""
        return await self._debit(
            member, amount, kind="spend", key=key, reason=reason, actor=actor, allow_negative=False,
            at=at, using=using,
        )

    async def penalty(
        self,
        member: MemberRef,
        amount: int,
        *,
        key: str,
        reason: str | Reason,
        actor: str | None = None,
        allow_negative: bool = False,
        at: datetime | None = None,
        using: Transaction | None = None,
    ) -> LedgerResult:
        """Take points as a penalty (kind ``penalty``); below zero only with allow_negative."""
        return await self._debit(
            member, amount, kind="penalty", key=key, reason=reason, actor=actor,
            allow_negative=allow_negative, at=at, using=using,
        )

    async def transfer(
        self,
        sender: MemberRef,
        receiver: MemberRef,
        amount: int,
        *,
        key: str,
        reason: str | Reason,
        actor: str | None = None,
        at: datetime | None = None,
        using: Transaction | None = None,
    ) -> LedgerResult:
        """Move points between members of one balance scope: two entries summing to zero
        (kind ``transfer``). The result is the sender's. Never adds XP. Raises
        InsufficientPoints."""
        _positive(amount)
        if sender.platform != receiver.platform:
            raise ValueError("a transfer stays on one platform")
        if sender.user_id == receiver.user_id:
            raise ValueError("cannot transfer to oneself")
        scope = self.balance_scope(sender.group)
        if self.balance_scope(receiver.group) != scope:
            raise ValueError("a transfer stays within one balance (one group, or global)")
        platform, now = sender.platform, at or self._scope.now
        learned: dict[RowKey, int] = {}
        try:
            async with self._scope.transaction(using) as tx:
                if (first := await _existing(key)) is not None:
                    return first
                # Missing rows are created in user order, so two first transfers between the
                # same two members cannot wait on each other's new row.
                ids = {
                    user: await self._row_id((platform, scope, user), learned)
                    for user in sorted((sender.user_id, receiver.user_id))
                }
                source, target = ids[sender.user_id], ids[receiver.user_id]
                # Rows in id order, so two opposite transfers cannot deadlock on PostgreSQL.
                if source < target:
                    await _take(source, amount, allow_negative=False)
                    await _give(target, amount)
                else:
                    await _give(target, amount)
                    await _take(source, amount, allow_negative=False)
                rows = {
                    r["id"]: r["balance"]
                    for r in await Balance.filter(id__in=[source, target]).values("id", "balance")
                }
                common = {
                    "platform": platform, "scope": scope, "xp": 0, "kind": "transfer",
                    "reason": stored(reason), "plugin": self._source, "actor": actor, "created_at": now,
                }
                connection = connections.get("default")  # the transaction's
                debit_id = await _write_entry(
                    connection, user_id=sender.user_id, guild_id=_group_key(sender), amount=-amount,
                    key=key, balance_after=rows[source], **common,
                )
                await _write_entry(
                    connection, user_id=receiver.user_id, guild_id=_group_key(receiver), amount=amount,
                    key=key + CREDIT_SUFFIX, balance_after=rows[target], **common,
                )
                applied = [
                    Applied(sender, -amount, rows[source], "transfer"),
                    Applied(receiver, amount, rows[target], "transfer"),
                ]
                tx.after_commit(partial(self._committed, learned, applied))
        except IntegrityError:
            return await _first_or_raise(key)
        return LedgerResult(True, amount, rows[source], debit_id)

    async def balance(self, member: MemberRef) -> int:
        return (await self.standing(member)).balance

    async def standing(self, member: MemberRef) -> Standing:
        row = (
            await Balance.filter(
                platform=member.platform, scope=self.balance_scope(member.group), user_id=member.user_id
            )
            .first()
            .values("balance", "lifetime_xp", "level")
        )
        if row is None:
            return Standing(0, 0, 0)
        return Standing(row["balance"], row["lifetime_xp"], self.curve.level_for(row["lifetime_xp"]))

    async def rank(self, member: MemberRef) -> int:
        """1 + the members of the same balance scope with more lifetime XP."""
        mine = await self.standing(member)
        above = await Balance.filter(
            platform=member.platform, scope=self.balance_scope(member.group),
            lifetime_xp__gt=mine.lifetime_xp,
        ).count()
        return above + 1

    def title(self, level: int, locale: str) -> str:
        return title_for(self.config, level, locale)

    # -- additions -------------------------------------------------------------------------------
    def balance_scope(self, group: GroupRef | None) -> str:
        """Where a group's balances live: the group's key, or everywhere (config scope =
        "global"). Raises ValueError for no group when points are kept per group."""
        if self.config.scope == "global":
            return GLOBAL_SCOPE
        if group is None:
            raise ValueError('member.group is required: points are kept per group (scope = "group")')
        return group.key

    async def credit(
        self,
        member: MemberRef,
        amount: int,
        *,
        xp: int,
        kind: str,
        key: str,
        reason: str | Reason,
        actor: str | None = None,
        at: datetime | None = None,
        using: Transaction | None = None,
    ) -> LedgerResult:
        """Add ``amount`` points (>= 0) and ``xp`` XP (>= 0) as one entry; earn and refund are
        this with checks. Also used for imports (XP only)."""
        if amount < 0 or xp < 0 or amount + xp == 0:
            raise ValueError("a credit adds a positive amount of points or XP")
        scope = self.balance_scope(member.group)
        now = at or self._scope.now
        learned: dict[RowKey, int] = {}
        try:
            async with self._scope.transaction(using) as tx:
                if (first := await _existing(key)) is not None:
                    return first
                row_id = await self._row_id((member.platform, scope, member.user_id), learned)
                row = await credit_balance(tx.connection, row_id, amount, xp, now)
                entry_id = await _write_entry(
                    tx.connection, platform=member.platform, scope=scope, guild_id=_group_key(member),
                    user_id=member.user_id, amount=amount, xp=xp, kind=kind, reason=stored(reason),
                    plugin=self._source, actor=actor, key=key, balance_after=row["balance"],
                    created_at=now,
                )
                level = await raise_level(tx.connection, self.curve, row_id, row)
                applied = [Applied(member, amount, row["balance"], kind, level)]
                tx.after_commit(partial(self._committed, learned, applied))
        except IntegrityError:
            return await _first_or_raise(key)
        return LedgerResult(True, amount, row["balance"], entry_id)

    def forget_caches(self) -> None:
        """Drop what is remembered of rows (after a data deletion; as after a restart)."""
        self._rows.clear()
        self.activity.forget()

    # -- inside transactions ---------------------------------------------------------------------
    async def _debit(
        self,
        member: MemberRef,
        amount: int,
        *,
        kind: str,
        key: str,
        reason: str | Reason,
        actor: str | None,
        allow_negative: bool,
        at: datetime | None,
        using: Transaction | None,
    ) -> LedgerResult:
        _positive(amount)
        scope = self.balance_scope(member.group)
        now = at or self._scope.now
        learned: dict[RowKey, int] = {}
        try:
            async with self._scope.transaction(using) as tx:
                if (first := await _existing(key)) is not None:
                    return first
                row_id = await self._row_id((member.platform, scope, member.user_id), learned)
                await _take(row_id, amount, allow_negative)
                balance = await _balance_of(row_id)
                entry_id = await _write_entry(
                    connections.get("default"), platform=member.platform, scope=scope,
                    guild_id=_group_key(member), user_id=member.user_id, amount=-amount, xp=0, kind=kind,
                    reason=stored(reason), plugin=self._source, actor=actor, key=key, balance_after=balance,
                    created_at=now,
                )
                applied = [Applied(member, -amount, balance, kind)]
                tx.after_commit(partial(self._committed, learned, applied))
        except IntegrityError:
            return await _first_or_raise(key)
        return LedgerResult(True, amount, balance, entry_id)

    async def _row_id(self, key: RowKey, learned: dict[RowKey, int]) -> int:
        """The balance row's id, created (empty: consistent with an empty ledger) if needed,
        inside the current transaction. An id not known yet is put in ``learned``, remembered
        once the transaction has committed."""
        cached = self._rows.get(key)
        if cached is not None:
            return cached
        connection = connections.get("default")  # the transaction's
        # Never fails on the unique key whoever wins a concurrent creation, and takes no lock on a
        # row that exists: a lock here, in user order, could cross a transfer that found both ids
        # cached and locks in id order (a deadlock PostgreSQL detected under load).
        rows = await connection.execute_query_dict(
            _NEW_BALANCE_ROW.on(connection), [*key, _UPDATED_AT.to_db_value(self._scope.now, None)]
        )
        if not rows:
            rows = await connection.execute_query_dict(_BALANCE_ROW_ID.on(connection), list(key))
        learned[key] = rows[0]["id"]
        return rows[0]["id"]

    async def _claimed(self, group: GroupRef, text: str) -> bool:
        return any(await self._scope.emit("points_keyword", group=group, text=text))

    # -- after the commit ------------------------------------------------------------------------
    async def _committed(self, learned: dict[RowKey, int], applied: list[Applied]) -> None:
        for key, row_id in learned.items():
            self._rows[key] = row_id
        await self._after(applied)

    async def _after(
        self, applied: list[Applied], channel_id: str | None = None, name: str | None = None
    ) -> None:
        """Hooks and level-ups of committed changes. ``channel_id``/``name``: where the change
        was caused (a message) and what the member was called there."""
        for change in applied:
            if change.amount:
                await self._scope.emit(
                    "points_changed", member=change.member, amount=change.amount,
                    balance=change.balance, kind=change.kind, plugin=self._source,
                )
            if change.level is not None:
                await self._level_up(change.member, change.level, channel_id, name)

    async def _level_up(
        self, member: MemberRef, change: LevelChange, channel_id: str | None, name: str | None
    ) -> None:
        scope, group = self._scope, member.group
        locale = await scope.group_locale(group)
        title = self.title(change.new, locale)
        await scope.emit("level_up", member=member, level=change.new, title=title)
        adapter = scope.adapter(member.platform)
        if adapter is None or group is None:
            return  # maintenance commands (imports) run without adapters: nobody to tell
        if self.config.announce_level_up and await self._worth_announcing(group, change, locale):
            try:
                message = await self._announcement(member, change.new, locale, name)
                if channel_id is not None:  # where the message that earned it was sent
                    await scope.send_to_channel(member.platform, channel_id, message)
                else:
                    await scope.send_to(group, message)
            except PlatformError as exc:
                log.warning("%s: level-up of %s not announced: %s", member.platform, member.user_id, exc)
        # Platform calls address the group by its current id.
        await grant_rewards(adapter, self.config, group.id, member.user_id, change)

    async def _worth_announcing(self, group: GroupRef, change: LevelChange, locale: str) -> bool:
        """Every level, except in a quiet group: only a level that brings a new title."""
        if self.title(change.old, locale) != self.title(change.new, locale):
            return True
        return not any(await self._scope.emit("points_quiet", group=group))

    async def _announcement(
        self, member: MemberRef, level: int, locale: str, name: str | None
    ) -> Outgoing:
        if name is None:
            names = await self._scope.roster.names(member.platform, [member.user_id])
            name = names.get(member.user_id) or member.user_id
        title = self.title(level, locale)
        text = self._scope.translate(locale, "points.level_up", level=level, title=title)
        return Outgoing((Mention(member.user_id, name, notify=True), Text(" " + text)))


async def _give(row_id: int, amount: int) -> None:
    await Balance.filter(id=row_id).update(balance=F("balance") + amount)


async def _take(row_id: int, amount: int, allow_negative: bool) -> None:
    query = Balance.filter(id=row_id)
    if not allow_negative:
        query = query.filter(balance__gte=amount)
    if not await query.update(balance=F("balance") - amount):
        raise InsufficientPoints(await _balance_of(row_id), amount)


async def _balance_of(row_id: int) -> int:
    row = await Balance.filter(id=row_id).first().values("balance")
    assert row is not None
    return row["balance"]


# A member's balance row, made sure of: created empty, or (no row returned) found by the second
# statement, which under READ COMMITTED sees a row a concurrent transaction has just committed.
_NEW_BALANCE_ROW = PlainSQL(
    'INSERT INTO "points_balance" ("platform","scope","user_id","balance","lifetime_xp","level",'
    '"updated_at") VALUES ({},{},{},0,0,0,{}) ON CONFLICT ("platform","scope","user_id") '
    'DO NOTHING RETURNING "id"'
)
_BALANCE_ROW_ID = PlainSQL(
    'SELECT "id" FROM "points_balance" WHERE "platform"={} AND "scope"={} AND "user_id"={}'
)
_UPDATED_AT = Balance._meta.fields_map["updated_at"]
# Asked before every credit and debit (is this key's entry written already?): written once, not
# built by the query builder each time.
_EXISTING = PlainSQL('SELECT "id","amount","balance_after" FROM "points_ledger" WHERE "key"={} LIMIT 1')


async def _write_entry(connection: Any, **values: Any) -> int:
    """A ledger entry written (a duplicate key raises IntegrityError); its id."""
    return (await write_entries(connection, [values]))[0]


async def _existing(key: str) -> LedgerResult | None:
    connection = connections.get("default")  # the transaction's, inside one
    rows = await connection.execute_query_dict(_EXISTING.on(connection), [key])
    if not rows:
        return None
    row = rows[0]
    return LedgerResult(False, abs(row["amount"]), row["balance_after"], row["id"])


async def _first_or_raise(key: str) -> LedgerResult:
    """After an IntegrityError: the concurrent winner's result for this key."""
    first = await _existing(key)
    if first is None:
        raise RuntimeError(f"ledger write failed on a unique index but key {key!r} is absent")
    return first

