"""Daily message counts per member, for the rule "fewer than M messages in the last K days".

Nothing is written per message: a message adds to a dict in memory, and the pending counts are
written in one transaction by the ``inactive.flush`` job (every minute), when ``FLUSH_SIZE``
members are pending, before every read and at a clean stop. A failed write keeps its counts for
the next batch.

A crash loses the counts not yet written (at most about a minute). So the counts are trusted
only from a known time on (``complete_since``): each process records a counting session; one
that starts after a clean stop (within ``MAX_GAP``) carries the previous session's time on, any
other start (after a crash, a long stop, or beside another process whose fate is unknown)
restarts it at its own start, and another process that stops writing for ``STALE`` is taken for
crashed and restarts it too. The rule selects nobody on a window that begins before that time.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from bot import GroupRef, PlainSQL, Recent, Scope
from plugins.inactive.models import CountingSession, DayCount, FirstCounted

__all__ = ["FLUSH_SIZE", "MAX_GAP", "STALE", "MessageCounts"]

# Members' counts pending: write them now rather than at the next minute.
FLUSH_SIZE = 5_000
# A clean stop longer than this breaks the counts: Telegram redelivers a stopped bot's updates
# for 24 hours, later ones are lost.
MAX_GAP = timedelta(hours=24)
# Another process that has written no batch for this long is taken for crashed.
STALE = timedelta(minutes=5)

Key = tuple[str, str, str]  # platform, group key, user id


_ADD = PlainSQL(
    'INSERT INTO "inactive_day" ("platform","guild_id","day","user_id","messages") '
    'VALUES ({},{},{},{},{}) ON CONFLICT ("platform","guild_id","day","user_id") '
    'DO UPDATE SET "messages"="inactive_day"."messages"+EXCLUDED."messages"'
)
_FIRST = PlainSQL(
    'INSERT INTO "inactive_first" ("platform","guild_id","user_id","at") '
    'VALUES ({},{},{},{}) ON CONFLICT ("platform","guild_id","user_id") DO NOTHING'
)
_AT = FirstCounted._meta.fields_map["at"]


class MessageCounts:
    """The plugin's counter (its own service: one per running bot)."""

    def __init__(self, scope: Scope) -> None:
        self._scope = scope
        self._days: dict[tuple[str, str, date, str], int] = {}
        self._first: dict[Key, datetime] = {}
        # First sightings known to be written, of the members who spoke last ([bot]
        # member_cache): one that goes costs a no-op insert when they speak again.
        self._written: Recent[Key, bool] = Recent(scope.member_cache)
        self._session: int | None = None
        self._lock = asyncio.Lock()

    # -- the message path (no database) ----------------------------------------------------------
    def message(self, group: GroupRef, user_id: str, at: datetime, local_day: date) -> None:
        day = (group.platform, group.key, local_day, user_id)
        self._days[day] = self._days.get(day, 0) + 1
        key = (group.platform, group.key, user_id)
        if self._written.get(key) is None and (key not in self._first or at < self._first[key]):
            self._first[key] = at

    @property
    def pending(self) -> int:
        return len(self._days)

    async def flush_if_full(self) -> None:
        if self.pending >= FLUSH_SIZE and not self._lock.locked():
            await self.flush()

    # -- writing ---------------------------------------------------------------------------------
    async def flush(self) -> None:
        """Write the pending counts and this session's beat in one transaction."""
        async with self._lock:
            days, self._days = self._days, {}
            first, self._first = self._first, {}
            try:
                async with in_transaction() as connection:
                    sqlite = connection.capabilities.dialect == "sqlite"
                    if days:
                        rows = [
                            [p, g, d.isoformat() if sqlite else d, u, n] for (p, g, d, u), n in days.items()
                        ]
                        await connection.execute_many(_ADD.on(connection), rows)
                    if first:
                        rows = [[*key, _AT.to_db_value(at, None)] for key, at in first.items()]
                        await connection.execute_many(_FIRST.on(connection), rows)
                    if self._session is not None:
                        await CountingSession.filter(id=self._session).using_db(connection).update(
                            beat_at=self._scope.now
                        )
            except Exception:
                self._merge_back(days, first)
                raise
            for key in first:
                self._written[key] = True

    def _merge_back(self, days: dict, first: dict) -> None:
        for key, n in days.items():
            self._days[key] = self._days.get(key, 0) + n
        for key, at in first.items():
            if key not in self._first or at < self._first[key]:
                self._first[key] = at

    # -- sessions --------------------------------------------------------------------------------
    async def open(self) -> None:
        """Start this process's session (at start-up, before any message is counted)."""
        now = self._scope.now
        async with in_transaction() as connection:
            # Silent too long: crashed. Any other open session may be alive (another process)
            # or crashed a moment ago: either way this one cannot carry the counts on.
            await CountingSession.filter(ended_at=None, beat_at__lt=now - STALE).using_db(
                connection
            ).update(ended_at=now, clean=False)
            running = await CountingSession.filter(ended_at=None).using_db(connection).count()
            last = await CountingSession.exclude(ended_at=None).using_db(connection).order_by("-id").first()
            since = now
            if not running and last is not None and last.clean and now - last.ended_at <= MAX_GAP:
                # Counting stopped cleanly and not for long: no message was lost.
                since = last.since
            session = await CountingSession.create(
                started_at=now, since=since, beat_at=now, using_db=connection
            )
        self._session = session.id

    async def close(self) -> None:
        """A clean stop: the last counts are written, then the session ends cleanly (a failed
        write leaves it open, so the next start counts from scratch)."""
        if self._session is None:
            return
        await self.flush()
        await CountingSession.filter(id=self._session).update(ended_at=self._scope.now, clean=True)
        self._session = None

    async def complete_since(self) -> datetime | None:
        """From when every message is counted (None: this process is not counting)."""
        if self._session is None:
            return None
        now = self._scope.now
        stale = await CountingSession.filter(ended_at=None, beat_at__lt=now - STALE).exclude(
            id=self._session
        ).update(ended_at=now, clean=False)
        if stale:
            await CountingSession.filter(id=self._session).update(since=now)
        running = await CountingSession.filter(ended_at=None).values_list("since", flat=True)
        return max(running, default=None)

    # -- reading ---------------------------------------------------------------------------------
    async def window(self, group: GroupRef, first_day: date) -> dict[str, int]:
        """Each member's messages from ``first_day`` (local) on; members without any are absent."""
        await self.flush()
        rows = await DayCount.filter(
            platform=group.platform, guild_id=group.key, day__gte=first_day
        ).group_by("user_id").annotate(n=Sum("messages")).values_list("user_id", "n")
        return {user_id: int(n) for user_id, n in rows}

    async def counted_by(self, group: GroupRef, at: datetime) -> set[str]:
        """Members the counting first saw speak at or before ``at``."""
        await self.flush()
        rows = await FirstCounted.filter(platform=group.platform, guild_id=group.key, at__lte=at).values_list(
            "user_id", flat=True
        )
        return set(rows)

    async def prune(self, before: date) -> int:
        """Drop the days no window reaches any more."""
        return await DayCount.filter(day__lt=before).delete()

    async def forget(self, platform: str, user_id: str) -> None:
        """A member's counts go (``/forgetme``), pending ones included."""
        await self.flush()
        await DayCount.filter(platform=platform, user_id=user_id).delete()
        await FirstCounted.filter(platform=platform, user_id=user_id).delete()
        for key in [k for k in self._written if k[0] == platform and k[2] == user_id]:
            self._written.pop(key)
