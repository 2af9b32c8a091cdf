"""XP from activity: a random award per counted message, at most once per cooldown per member
per group, within an optional daily cap (group-local day).

The hot path is the message that earns nothing: the cooldown is decided from memory, so it
costs no query. The memory is a cache of the ``points_activity`` rows (loaded once per group),
updated when an award is decided, before it is written: a second message of the member that
arrives while the first award is being committed is already within the cooldown. An award
updates its row only if the row's version is still the one cached, so two processes sharing a
database cannot both award within one cooldown. Awards are written by the group commit of
``xpwriter``; each message waits for its own award before announcing anything.
"""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING

from bot import Context, MessageCreated
from plugins.points.changes import Applied
from plugins.points.models import Activity
from plugins.points.xpwriter import ActivityState, Award, AwardWriter, Credited, Outcome

if TYPE_CHECKING:
    from plugins.points.service import Points

__all__ = ["ActivityXp", "counts_for_xp"]


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
        self._states: dict[tuple[str, str, str], ActivityState] = {}
        self._warm: set[tuple[str, str]] = set()
        # Awards decided but not yet written, by member: a member's next award waits for it.
        self._pending: dict[tuple[str, str, str], Award] = {}
        self.writer = AwardWriter(points, self._settle)

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
        at = event.timestamp.timestamp()
        while True:
            state = self._states.get(key)
            if state is not None and at - state.last < config.cooldown_seconds:
                return
            pending = self._pending.get(key)
            if pending is None:
                break
            # Past the cooldown of an award still being written (a short cooldown): decide
            # on the row as that award leaves it.
            await asyncio.wait([pending.done])
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
        state: ActivityState | None,
        today: str,
        day_xp: int,
        amount: int,
        xp: int,
    ) -> None:
        points = self.points
        assert event.guild is not None and event.user is not None
        platform, guild_id, user_id = event.platform, event.guild.id, event.user.id
        millis = int(event.timestamp.timestamp() * 1000)
        key = (platform, guild_id, user_id)
        award = Award(
            member=key, scope=points.scope_of(guild_id), amount=amount, xp=xp,
            # The message (and its time) is the key: a redelivered message earns nothing again.
            entry_key=f"points:xp:{platform}:{guild_id}:{event.message.id}:{millis}",
            at=event.timestamp, today=today, day_xp=day_xp, seen=state,
            done=asyncio.get_running_loop().create_future(),
        )
        # The cooldown holds from now on, for every message of the member still to come.
        version = state.awards if state is not None else 0
        self._states[key] = ActivityState(state.row_id if state else 0, award.at.timestamp(), today, day_xp, version + 1)
        self._pending[key] = award
        self.writer.submit(award)
        # Shielded: a cancelled handler must not cancel the award the writer is committing.
        credited = await asyncio.shield(award.done)
        if credited is None:
            return
        await points._after(
            platform, guild_id, "points",
            [Applied(user_id, amount, credited.balance, "earn", credited.level)],
            channel_id=event.channel.id if event.channel else None,
            name=event.user.display_name,
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


def _state_of(row: dict) -> ActivityState:
    return ActivityState(row["id"], row["last_award_at"].timestamp(), row["day"], row["day_xp"], row["awards"])
