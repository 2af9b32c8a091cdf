"""XP from activity: a random award per counted message, at most once per cooldown per member
per group, within an optional daily cap (group-local day).

The hot path is the message that earns nothing: the cooldown is decided from memory, so it
costs no query. The memory is a cache of the ``points_activity`` rows (loaded once per group);
an award updates its row only if the row's version is still the one cached, so two processes
sharing a database cannot both award within one cooldown.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot import Context, MessageCreated
from plugins.points.changes import Applied
from plugins.points.models import Activity
from plugins.points.sql import claim_activity

if TYPE_CHECKING:
    from plugins.points.service import Points

__all__ = ["ActivityXp", "counts_for_xp"]

ACTIVITY_REASON = "activity"


@dataclass(slots=True)
class _State:
    row_id: int
    last: float  # POSIX seconds of the last award (platform time)
    day: str  # group-local date of day_xp
    day_xp: int
    awards: int  # the row's version


class _Stale(Exception):
    """The activity row changed under us (another process awarded): skip this message."""


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
    def __init__(self, points: Points) -> None:
        self.points = points
        self.config = points.config
        self._states: dict[tuple[str, str, str], _State] = {}
        self._warm: set[tuple[str, str]] = set()

    def forget(self) -> None:
        self._states.clear()
        self._warm.clear()

    async def on_message(self, ctx: Context, event: MessageCreated) -> None:
        config = self.config
        if not counts_for_xp(event, config.min_length):
            return
        assert event.guild is not None and event.user is not None
        platform, guild_id, user_id = event.platform, event.guild.id, event.user.id
        if (platform, guild_id) not in self._warm:
            await self._load_guild(platform, guild_id)
        key = (platform, guild_id, user_id)
        state = self._states.get(key)
        at = event.timestamp.timestamp()
        if state is not None and at - state.last < config.cooldown_seconds:
            return
        today = ctx.local_time.date().isoformat()
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
        state: _State | None,
        today: str,
        day_xp: int,
        amount: int,
        xp: int,
    ) -> None:
        points = self.points
        assert event.guild is not None and event.user is not None
        platform, guild_id, user_id = event.platform, event.guild.id, event.user.id
        scope = points.scope_of(guild_id)
        row_id = await points._row_id(platform, scope, user_id)
        millis = int(event.timestamp.timestamp() * 1000)
        # The message (and its time) is the key: a redelivered message earns nothing again.
        entry_key = f"points:xp:{platform}:{guild_id}:{event.message.id}:{millis}"
        try:
            async with in_transaction() as connection:
                if state is None:
                    row = await Activity.create(
                        platform=platform, guild_id=guild_id, user_id=user_id,
                        last_award_at=event.timestamp, day=today, day_xp=day_xp, awards=1,
                        using_db=connection,
                    )
                    new_state = _State(row.id, event.timestamp.timestamp(), today, day_xp, 1)
                else:
                    if not await claim_activity(
                        connection, state.row_id, state.awards, event.timestamp, today, day_xp
                    ):
                        raise _Stale
                    new_state = _State(state.row_id, event.timestamp.timestamp(), today, day_xp, state.awards + 1)
                entry, change = await points._credit_in_transaction(
                    connection, row_id, platform, scope, guild_id, user_id, amount, xp, "earn", entry_key,
                    ACTIVITY_REASON, "points", None, event.timestamp,
                )
        except (_Stale, IntegrityError):
            await self._reload(platform, guild_id, user_id)
            return
        self._states[(platform, guild_id, user_id)] = new_state
        await points._after(
            platform, guild_id, "points",
            [Applied(user_id, amount, entry.balance_after, "earn", change)],
            channel_id=event.channel.id if event.channel else None,
            name=event.user.display_name,
        )

    async def _load_guild(self, platform: str, guild_id: str) -> None:
        rows = await Activity.filter(platform=platform, guild_id=guild_id).values(
            "id", "user_id", "last_award_at", "day", "day_xp", "awards"
        )
        for row in rows:
            self._states[(platform, guild_id, row["user_id"])] = _state_of(row)
        self._warm.add((platform, guild_id))

    async def _reload(self, platform: str, guild_id: str, user_id: str) -> None:
        row = await Activity.filter(platform=platform, guild_id=guild_id, user_id=user_id).first().values(
            "id", "user_id", "last_award_at", "day", "day_xp", "awards"
        )
        key = (platform, guild_id, user_id)
        if row is None:
            self._states.pop(key, None)
        else:
            self._states[key] = _state_of(row)


def _state_of(row: dict) -> _State:
    return _State(row["id"], row["last_award_at"].timestamp(), row["day"], row["day_xp"], row["awards"])
