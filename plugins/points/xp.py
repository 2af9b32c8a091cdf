"""XP from activity: a random award per counted message, at most once per cooldown per member
per group, within an optional daily cap (group-local day).

The hot path is the message that earns nothing: the cooldown is decided from memory, so it
costs no query. The memory is a cache of the ``points_activity`` rows of the members who spoke
last (``[bot] member_cache`` of them; a group's are loaded at its first message), updated when
an award is decided, before it is written: a second message of the member that arrives while
the first award is being committed is already within the cooldown. A member missing from it
has no row yet when every row of their group is in memory; otherwise their row is read. An award
updates its row only if the row's version is still the one cached, so two processes sharing a
database cannot both award within one cooldown. An award of a Telegram update (a delivery its
platform may make again) is written by the batch that confirms the update (``xpbatch``), and its
level-up is announced once that has committed; any other (Discord, the console) by the group
commit of ``xpwriter``, its message waiting for it before announcing anything.

Rows are keyed by the group's stable key (``ctx.group.key``), never by its current id.
"""

from __future__ import annotations

import asyncio
import random
import sys
from collections.abc import Awaitable, Callable

from tortoise.connection import connections

from bot import Backlog, Batch, Context, GroupRef, MessageCreated, Recent
from plugins.points.changes import Applied
from plugins.points.config import PointsConfig
from plugins.points.levels import Curve
from plugins.points.models import Activity
from plugins.points.sql import raise_level
from plugins.points.xpbatch import BatchedAward, read_back, write_awards
from plugins.points.xpwriter import ActivityState, Award, AwardWriter, Credited, Outcome

__all__ = ["ActivityXp", "counts_for_xp"]

# What the service does once an award is committed: hooks, the level-up (announced in the
# message's channel, naming the member as the message did).
AfterCommit = Callable[[list[Applied], str | None, str | None], Awaitable[None]]
# Whether another plugin claims a message as its keyword (a check-in word): no chat XP then.
Claimed = Callable[[GroupRef, str], Awaitable[bool]]
Key = tuple[str, str, str]  # platform, group key, user id
_FIELDS = ("id", "user_id", "last_award_at", "day", "day_xp", "awards")
# Members' activity rows remembered, unless the config says ([bot] member_cache).
CACHE_SIZE = 10_000


def counts_for_xp(event: MessageCreated, min_length: int) -> bool:
    user = event.user
    return (
        event.guild is not None
        and user is not None
        and not user.is_bot
        and not user.is_channel
        and not event.message.forwarded
        and len(event.message.text.strip()) >= min_length
    )


class ActivityXp:
    """The message-XP rules of one ``Points`` service. ``balance_scope`` names the balance a
    group's awards go to; ``after`` runs the service's after-commit work of an award;
    ``claimed`` asks the other plugins whether a message is a keyword of theirs."""

    def __init__(
        self, config: PointsConfig, curve: Curve, balance_scope: Callable[[GroupRef], str],
        after: AfterCommit, claimed: Claimed, cache_size: int = CACHE_SIZE,
    ) -> None:
        self.config = config
        self._balance_scope = balance_scope
        self._after = after
        self._claimed = claimed
        self._states: Recent[Key, ActivityState] = Recent(cache_size, self._evicted)
        # Groups whose rows were loaded (at their first message since start)...
        self._warm: set[tuple[str, str]] = set()
        # ... and those whose every row is still in memory: there a member missing has none.
        self._complete: set[tuple[str, str]] = set()
        # Awards decided but not yet written, by member: a member's next award waits for it.
        self._pending: dict[Key, Award] = {}
        self.writer = AwardWriter(curve, self._settle)
        # Awards that ride the batch confirming their update, and the state each leaves, by
        # member, until that batch has committed (the state outlives the cache's eviction).
        self.backlog: Backlog[BatchedAward] = Backlog(self._dropped)
        self._unwritten: dict[Key, ActivityState] = {}

    def forget(self) -> None:
        self._states.clear()
        self._unwritten.clear()
        self._warm.clear()
        self._complete.clear()

    def drop_unwritten(self, platform: str, user_id: str) -> None:
        """A member's awards still waiting for their batch, which would bring back the rows a
        deletion of their data removes."""
        self.backlog.discard(lambda a: a.member[0] == platform and a.member[2] == user_id)

    def _evicted(self, key: Key, state: ActivityState) -> None:
        self._complete.discard((key[0], key[1]))

    async def on_message(self, ctx: Context, event: MessageCreated) -> None:
        config = self.config
        if not counts_for_xp(event, config.min_length) or ctx.group is None:
            return
        assert event.user is not None
        platform, group_key = event.platform, ctx.group.key
        if (platform, group_key) not in self._warm:
            await self._load_group(platform, group_key)
        key = (platform, group_key, event.user.id)
        at = event.timestamp.timestamp()
        state = self._states.get(key)
        if state is not None and at - state.last < config.cooldown_seconds:
            return  # the common case costs no hook call
        if await self._claimed(ctx.group, event.message.text):
            return
        while True:
            state = self._states.get(key) or self._unwritten.get(key)
            if state is not None and at - state.last < config.cooldown_seconds:
                return
            pending = self._pending.get(key)
            if pending is not None:
                # Past the cooldown of an award still being written (a short cooldown): decide
                # on the row as that award leaves it.
                await asyncio.wait([pending.done])
                continue
            if state is None and (platform, group_key) not in self._complete:
                # Not in memory (forgotten, or its group too large to load): the row, if any.
                found = await self._read(key)
                if key in self._pending or key in self._states:
                    continue  # an award was decided meanwhile: decide on it
                if found is not None:
                    self._states[key] = found
                    continue
            break
        today = sys.intern(ctx.local_time.date().isoformat())  # one string per day, not per member
        used = state.day_xp if state is not None and state.day == today else 0
        xp = random.randint(config.xp_min, config.xp_max)
        if config.daily_xp_cap:
            xp = min(xp, config.daily_xp_cap - used)
            if xp <= 0:
                return
        if config.activity_points == "same":
            amount = xp
        elif config.activity_points == "range":
            amount = random.randint(config.points_min, config.points_max)
        else:
            amount = 0
        if amount + xp == 0:
            return
        await self._award(ctx, event, state, today, used + xp, amount, xp)

    async def _award(
        self,
        ctx: Context,
        event: MessageCreated,
        state: ActivityState | None,
        today: str,
        day_xp: int,
        amount: int,
        xp: int,
    ) -> None:
        group, member = ctx.group, ctx.member
        assert group is not None and member is not None and event.user is not None
        key = (event.platform, group.key, event.user.id)
        scope = self._balance_scope(group)
        # The message (and its time) is the key: a redelivered message earns nothing again.
        millis = int(event.timestamp.timestamp() * 1000)
        entry_key = f"points:xp:{event.platform}:{group.key}:{event.message.id}:{millis}"
        channel_id = event.channel.id if event.channel else None
        # The cooldown holds from now on, for every message of the member still to come.
        version = state.awards if state is not None else 0
        row_id = state.row_id if state else 0
        after = ActivityState(row_id, event.timestamp.timestamp(), today, day_xp, version + 1)
        self._states[key] = after
        if Backlog.holding():
            self._unwritten[key] = after
            self.backlog.add(BatchedAward(
                key, scope, amount, xp, entry_key, event.timestamp, today, day_xp, version, member,
                channel_id, event.user.display_name,
            ))
            return
        award = Award(
            member=key, scope=scope, amount=amount, xp=xp, entry_key=entry_key, at=event.timestamp,
            today=today, day_xp=day_xp, seen=state, done=asyncio.get_running_loop().create_future(),
        )
        self._pending[key] = award
        self.writer.submit(award)
        # Shielded: a cancelled handler must not cancel the award the writer is committing.
        credited = await asyncio.shield(award.done)
        if credited is None:
            return
        await self._after(
            [Applied(member, amount, credited.balance, "earn", credited.level)], channel_id,
            event.user.display_name,
        )

    async def _settle(self, award: Award, outcome: Outcome) -> None:
        """The writer's word on an award: keep the state it wrote, or re-read the row that
        another process (or a failed write) left; then wake the message waiting for it."""
        key = award.member
        try:
            if isinstance(outcome, Credited):
                self._states[key] = outcome.state
            else:
                await self._reload(*key)
        except Exception as exc:  # the database went away: the award's own error says more
            outcome = outcome if isinstance(outcome, BaseException) else exc
        finally:
            if self._pending.get(key) is award:
                del self._pending[key]
        if isinstance(outcome, BaseException):
            award.done.set_exception(outcome)
        else:
            award.done.set_result(outcome)

    async def flush(self) -> None:
        await self.writer.flush()

    # -- awards that ride the batch ------------------------------------------------------------
    async def commit_batch(self, batch: Batch) -> None:
        """Write the awards of the deliveries ``batch`` confirms with it (``bot_commit_batch``)."""
        awards = batch.take_items(self.backlog)
        if awards:
            await write_awards(batch.connection, awards)
            batch.after_commit(lambda: self._credited(awards))

    async def _credited(self, awards: list[BatchedAward]) -> None:
        credits = await read_back([a.entry_key for a in awards])
        connection = connections.get("default")
        for award in awards:
            key = award.member
            credit = credits.get(award.entry_key)
            done = self._unwritten.get(key)
            if done is not None and done.awards == award.version + 1:
                del self._unwritten[key]  # the member's last award is written
            if credit is None:
                await self._reload(*key)  # another process awarded first: its row is the truth
                continue
            # The level, raised after the award's commit as for an award written alone: one not
            # stored (a crash between the two) is stored by the member's next credit.
            row = {"lifetime_xp": credit.lifetime_xp, "level": credit.level}
            level = await raise_level(connection, self.writer.curve, credit.row_id, row)
            await self._after(
                [Applied(award.ref, award.amount, credit.balance, "earn", level)],
                award.channel_id, award.name,
            )

    def _dropped(self, awards: list[BatchedAward]) -> None:
        """Awards of a delivery that was cancelled (at stop) and will come again: the members'
        rows are read afresh."""
        for award in awards:
            self._unwritten.pop(award.member, None)
            self._states.pop(award.member, None)
            self._complete.discard(award.member[:2])

    async def _load_group(self, platform: str, group_key: str) -> None:
        """The group's rows, the most recent awards first, as many as the cache holds; if that
        is all of them, a member missing from memory has no row there."""
        group = (platform, group_key)
        size = self._states.size
        rows = await Activity.filter(platform=platform, guild_id=group_key).order_by(
            "-last_award_at", "-id"
        ).limit(size + 1).values(*_FIELDS)
        if group in self._warm:
            return  # another message of the group loaded it meanwhile
        self._warm.add(group)
        if len(rows) <= size:
            self._complete.add(group)  # until one of its members is forgotten (_evicted)
        for row in reversed(rows[:size]):  # the most recent ends up the most recently used
            key = (platform, group_key, row["user_id"])
            if key not in self._states and key not in self._pending:
                self._states[key] = _state_of(row)

    async def _read(self, key: Key) -> ActivityState | None:
        platform, group_key, user_id = key
        row = await Activity.filter(platform=platform, guild_id=group_key, user_id=user_id).first().values(
            *_FIELDS
        )
        return _state_of(row) if row is not None else None

    async def _reload(self, platform: str, group_key: str, user_id: str) -> None:
        key = (platform, group_key, user_id)
        state = await self._read(key)
        if state is None:
            self._states.pop(key, None)
        else:
            self._states[key] = state


def _state_of(row: dict) -> ActivityState:
    return ActivityState(
        row["id"], row["last_award_at"].timestamp(), sys.intern(row["day"]), row["day_xp"], row["awards"]
    )
