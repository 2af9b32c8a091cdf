"""The ``Points`` service: the only way points and XP change.

Every change is a ledger entry written in the same transaction as its balance row. Debits are
conditional updates (``balance >= amount``, row count checked) because SQLite has no row locks;
idempotency rides on the entry's unique ``key``: a key already used returns the first result,
and a concurrent duplicate loses on the unique index and returns the winner's result.
Hooks, level-up announcements and rewards run after the commit.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from bot import Mention, Outgoing, PlatformError, Text
from bot.storage.models import Account
from plugins.points.changes import Applied, LevelChange
from plugins.points.config import PointsConfig
from plugins.points.levels import Curve, title_for
from plugins.points.models import GLOBAL_SCOPE, Balance, LedgerEntry
from plugins.points.rewards import grant_rewards
from plugins.points.sql import credit_balance
from plugins.points.xp import ActivityXp

if TYPE_CHECKING:
    from bot import App

__all__ = ["InsufficientPoints", "LedgerResult", "Points", "Standing", "forget_all_caches"]

log = logging.getLogger(__name__)
# The second entry of a transfer (the credit) carries the caller's key plus this suffix.
CREDIT_SUFFIX = "#credit"


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


class Points:
    """Built once per app (``ctx.service(Points)``); see docs/points.md for the contract."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.config: PointsConfig = app.plugin_config("points") or PointsConfig()
        self.curve = Curve(self.config)
        # Balance row ids by (platform, scope, user): rows are never re-keyed while running
        # except by a guild migration or a data deletion, which clear this cache.
        self._rows: dict[tuple[str, str, str], int] = {}
        self.activity = ActivityXp(self)
        _built.add(self)

    # -- the contract ----------------------------------------------------------------------------
    async def earn(
        self,
        platform: str,
        guild_id: str | None,
        user_id: str,
        amount: int,
        *,
        key: str,
        reason: str,
        plugin: str,
        actor: str | None = None,
        xp: int | None = None,
        at: datetime | None = None,
    ) -> LedgerResult:
        """Credit earned points (kind ``earn``). ``xp``: XP to add with it; None = the points
        also count as XP when ``earn_counts_as_xp`` is on."""
        _positive(amount)
        if xp is None:
            xp = amount if self.config.earn_counts_as_xp else 0
        if xp < 0:
            raise ValueError("xp cannot be negative")
        return await self.credit(
            platform, guild_id, user_id, amount, xp=xp, kind="earn", key=key, reason=reason,
            plugin=plugin, actor=actor, at=at,
        )

    async def refund(
        self,
        platform: str,
        guild_id: str | None,
        user_id: str,
        amount: int,
        *,
        key: str,
        reason: str,
        plugin: str,
        actor: str | None = None,
        at: datetime | None = None,
    ) -> LedgerResult:
        """Give back points (kind ``refund``); never counts as XP."""
        _positive(amount)
        return await self.credit(
            platform, guild_id, user_id, amount, xp=0, kind="refund", key=key, reason=reason,
            plugin=plugin, actor=actor, at=at,
        )

    async def spend(
        self,
        platform: str,
        guild_id: str | None,
        user_id: str,
        amount: int,
        *,
        key: str,
        reason: str,
        plugin: str,
        actor: str | None = None,
        at: datetime | None = None,
    ) -> LedgerResult:
        """Take points the member pays (kind ``spend``); raises InsufficientPoints."""
        return await self._debit(
            platform, guild_id, user_id, amount, kind="spend", key=key, reason=reason,
            plugin=plugin, actor=actor, allow_negative=False, at=at,
        )

    async def penalty(
        self,
        platform: str,
        guild_id: str | None,
        user_id: str,
        amount: int,
        *,
        key: str,
        reason: str,
        plugin: str,
        actor: str | None = None,
        allow_negative: bool = False,
        at: datetime | None = None,
    ) -> LedgerResult:
        """Take points as a penalty (kind ``penalty``); below zero only with allow_negative."""
        return await self._debit(
            platform, guild_id, user_id, amount, kind="penalty", key=key, reason=reason,
            plugin=plugin, actor=actor, allow_negative=allow_negative, at=at,
        )

    async def transfer(
        self,
        platform: str,
        guild_id: str | None,
        from_user: str,
        to_user: str,
        amount: int,
        *,
        key: str,
        reason: str,
        plugin: str,
        actor: str | None = None,
        at: datetime | None = None,
    ) -> LedgerResult:
        """Move points between members: two entries summing to zero (kind ``transfer``). The
        result is the sender's. Never adds XP. Raises InsufficientPoints."""
        _positive(amount)
        if from_user == to_user:
            raise ValueError("cannot transfer to oneself")
        if (first := await _existing(key)) is not None:
            return first
        scope = self.scope_of(guild_id)
        source = await self._row_id(platform, scope, from_user)
        target = await self._row_id(platform, scope, to_user)
        now = at or self.app.clock.now()
        try:
            async with in_transaction():
                # Rows in id order, so two opposite transfers cannot deadlock on PostgreSQL.
                if source < target:
                    await _take(source, amount, allow_negative=False)
                    await _give(target, amount, 0)
                else:
                    await _give(target, amount, 0)
                    await _take(source, amount, allow_negative=False)
                rows = {
                    r["id"]: r["balance"]
                    for r in await Balance.filter(id__in=[source, target]).values("id", "balance")
                }
                common = {
                    "platform": platform, "scope": scope, "guild_id": guild_id, "xp": 0,
                    "kind": "transfer", "reason": reason[:200], "plugin": plugin, "actor": actor,
                    "created_at": now,
                }
                debit = await LedgerEntry.create(
                    user_id=from_user, amount=-amount, key=key, balance_after=rows[source], **common
                )
                await LedgerEntry.create(
                    user_id=to_user, amount=amount, key=key + CREDIT_SUFFIX,
                    balance_after=rows[target], **common,
                )
        except IntegrityError:
            return await _first_or_raise(key)
        await self._after(
            platform, guild_id, plugin,
            [
                Applied(from_user, -amount, rows[source], "transfer"),
                Applied(to_user, amount, rows[target], "transfer"),
            ],
        )
        return LedgerResult(True, amount, rows[source], debit.id)

    async def balance(self, platform: str, guild_id: str | None, user_id: str) -> int:
        return (await self.standing(platform, guild_id, user_id)).balance

    # -- additions -------------------------------------------------------------------------------
    def scope_of(self, guild_id: str | None) -> str:
        """Where balances live: the group, or everywhere (config scope = "global")."""
        if self.config.scope == "global":
            return GLOBAL_SCOPE
        if guild_id is None:
            raise ValueError('guild_id is required when points are kept per group (scope = "group")')
        return guild_id

    async def standing(self, platform: str, guild_id: str | None, user_id: str) -> Standing:
        row = (
            await Balance.filter(platform=platform, scope=self.scope_of(guild_id), user_id=user_id)
            .first()
            .values("balance", "lifetime_xp", "level")
        )
        if row is None:
            return Standing(0, 0, 0)
        return Standing(row["balance"], row["lifetime_xp"], self.curve.level_for(row["lifetime_xp"]))

    async def rank(self, platform: str, guild_id: str | None, user_id: str) -> int:
        """1 + the members of the scope with more lifetime XP."""
        scope = self.scope_of(guild_id)
        mine = await self.standing(platform, guild_id, user_id)
        above = await Balance.filter(
            platform=platform, scope=scope, lifetime_xp__gt=mine.lifetime_xp
        ).count()
        return above + 1

    def title(self, level: int, locale: str) -> str:
        return title_for(self.config, level, locale)

    async def credit(
        self,
        platform: str,
        guild_id: str | None,
        user_id: str,
        amount: int,
        *,
        xp: int,
        kind: str,
        key: str,
        reason: str,
        plugin: str,
        actor: str | None = None,
        at: datetime | None = None,
        channel_id: str | None = None,
        name: str | None = None,
    ) -> LedgerResult:
        """Add ``amount`` points (>= 0) and ``xp`` XP (>= 0) as one entry; earn and refund are
        this with checks. Also used for imports (XP only)."""
        if amount < 0 or xp < 0 or amount + xp == 0:
            raise ValueError("a credit adds a positive amount of points or XP")
        if (first := await _existing(key)) is not None:
            return first
        scope = self.scope_of(guild_id)
        row_id = await self._row_id(platform, scope, user_id)
        try:
            async with in_transaction() as connection:
                entry, change = await self._credit_in_transaction(
                    connection, row_id, platform, scope, guild_id, user_id, amount, xp, kind, key, reason,
                    plugin, actor, at or self.app.clock.now(),
                )
        except IntegrityError:
            return await _first_or_raise(key)
        applied = Applied(user_id, amount, entry.balance_after, kind, change)
        await self._after(platform, guild_id, plugin, [applied], channel_id=channel_id, name=name)
        return LedgerResult(True, amount, entry.balance_after, entry.id)

    # -- inside transactions ---------------------------------------------------------------------
    async def _credit_in_transaction(
        self,
        connection: Any,
        row_id: int,
        platform: str,
        scope: str,
        guild_id: str | None,
        user_id: str,
        amount: int,
        xp: int,
        kind: str,
        key: str,
        reason: str,
        plugin: str,
        actor: str | None,
        at: datetime,
    ) -> tuple[LedgerEntry, LevelChange | None]:
        row = await credit_balance(connection, row_id, amount, xp, at)
        entry = await LedgerEntry.create(
            platform=platform, scope=scope, guild_id=guild_id, user_id=user_id, amount=amount,
            xp=xp, kind=kind, reason=reason[:200], plugin=plugin, actor=actor, key=key,
            balance_after=row["balance"], created_at=at, using_db=connection,
        )
        return entry, await self._raise_level(connection, row_id, row)

    async def _raise_level(self, connection: Any, row_id: int, row: dict) -> LevelChange | None:
        """Store the level a credit reached (``row``: the balance row after it), if higher."""
        reached = self.curve.level_for(row["lifetime_xp"])
        if reached <= row["level"]:
            return None
        # The stored level only rises, once per level: the conditional update decides who
        # announces it when two processes race.
        if await Balance.filter(id=row_id, level__lt=reached).using_db(connection).update(level=reached):
            return LevelChange(row["level"], reached)
        return None

    async def _debit(
        self,
        platform: str,
        guild_id: str | None,
        user_id: str,
        amount: int,
        *,
        kind: str,
        key: str,
        reason: str,
        plugin: str,
        actor: str | None,
        allow_negative: bool,
        at: datetime | None,
    ) -> LedgerResult:
        _positive(amount)
        if (first := await _existing(key)) is not None:
            return first
        scope = self.scope_of(guild_id)
        row_id = await self._row_id(platform, scope, user_id)
        try:
            async with in_transaction():
                await _take(row_id, amount, allow_negative)
                balance = await _balance_of(row_id)
                entry = await LedgerEntry.create(
                    platform=platform, scope=scope, guild_id=guild_id, user_id=user_id,
                    amount=-amount, xp=0, kind=kind, reason=reason[:200], plugin=plugin,
                    actor=actor, key=key, balance_after=balance,
                    created_at=at or self.app.clock.now(),
                )
        except IntegrityError:
            return await _first_or_raise(key)
        await self._after(platform, guild_id, plugin, [Applied(user_id, -amount, balance, kind)])
        return LedgerResult(True, amount, balance, entry.id)

    async def _row_id(self, platform: str, scope: str, user_id: str) -> int:
        """The balance row's id, created (empty: consistent with an empty ledger) if needed."""
        key = (platform, scope, user_id)
        cached = self._rows.get(key)
        if cached is not None:
            return cached
        found = await Balance.filter(platform=platform, scope=scope, user_id=user_id).first().values("id")
        if found is None:
            try:
                row = await Balance.create(platform=platform, scope=scope, user_id=user_id)
                found = {"id": row.id}
            except IntegrityError:  # created concurrently
                found = await Balance.filter(platform=platform, scope=scope, user_id=user_id).first().values("id")
        assert found is not None
        self._rows[key] = found["id"]
        return found["id"]

    def forget_caches(self) -> None:
        self._rows.clear()
        self.activity.forget()

    # -- after the commit ------------------------------------------------------------------------
    async def _after(
        self,
        platform: str,
        guild_id: str | None,
        plugin: str,
        applied: list[Applied],
        *,
        channel_id: str | None = None,
        name: str | None = None,
    ) -> None:
        hooks = self.app.hooks
        for change in applied:
            if change.amount:
                await hooks.call(
                    "points_changed", platform=platform, guild_id=guild_id, user_id=change.user_id,
                    amount=change.amount, balance=change.balance, kind=change.kind, plugin=plugin,
                )
            if change.level is not None:
                await self._level_up(platform, guild_id, change.user_id, change.level, channel_id, name)

    async def _level_up(
        self,
        platform: str,
        guild_id: str | None,
        user_id: str,
        change: LevelChange,
        channel_id: str | None,
        name: str | None,
    ) -> None:
        locale = await self._group_locale(platform, guild_id)
        title = self.title(change.new, locale)
        await self.app.hooks.call(
            "level_up", platform=platform, guild_id=guild_id, user_id=user_id, level=change.new, title=title
        )
        adapter = self.app.adapters.get(platform)
        if adapter is None or guild_id is None:
            return  # maintenance commands (imports) run without adapters: nobody to tell
        try:
            if self.config.announce_level_up:
                if name is None:
                    account = await Account.filter(platform=platform, user_id=user_id).first().values("name")
                    name = account["name"] if account else user_id
                channel = channel_id or await self.app.main_channel(platform, guild_id)
                if channel is not None:
                    text = self.app.catalog.t("points.level_up", locale, level=change.new, title=title)
                    message = Outgoing((Mention(user_id, name, notify=True), Text(" " + text)))
                    await self.app.deliver(platform, channel, message, "points")
        except PlatformError as exc:
            log.warning("%s: level-up of %s not announced: %s", platform, user_id, exc)
        await grant_rewards(adapter, self.config, guild_id, user_id, change)

    async def _group_locale(self, platform: str, guild_id: str | None) -> str:
        if guild_id is not None:
            settings = await self.app.roster.guild(platform, guild_id)
            if settings.locale:
                return settings.locale
        return self.app.config.bot.locale


# Every Points service of this process: the core's hooks (a group migration, a data deletion)
# carry no app, yet must drop the caches of the rows they re-key or delete.
_built: weakref.WeakSet[Points] = weakref.WeakSet()


def forget_all_caches() -> None:
    for points in list(_built):
        points.forget_caches()


async def _give(row_id: int, amount: int, xp: int) -> None:
    updates: dict[str, Any] = {"balance": F("balance") + amount}
    if xp:
        updates["lifetime_xp"] = F("lifetime_xp") + xp
    await Balance.filter(id=row_id).update(**updates)


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


async def _existing(key: str) -> LedgerResult | None:
    row = await LedgerEntry.filter(key=key).first().values("id", "amount", "balance_after")
    if row is None:
        return None
    return LedgerResult(False, abs(row["amount"]), row["balance_after"], row["id"])


async def _first_or_raise(key: str) -> LedgerResult:
    """After an IntegrityError: the concurrent winner's result for this key."""
    first = await _existing(key)
    if first is None:
        raise RuntimeError(f"ledger write failed on a unique index but key {key!r} is absent")
    return first
