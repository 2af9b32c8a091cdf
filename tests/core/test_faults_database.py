"""The database goes away under load: PostgreSQL backends terminated mid-load, and the
connection pool recovers; every member's check-in is recorded or answered; the ledger stays
consistent (issue 18, items 1 and 3)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import pytest

from bot import Channel, CommandInvoked, Guild, Message, User
from bot.storage.faults import is_transient, retrying
from plugins.checkin.models import CheckIn
from plugins.points.maintenance import find_mismatches

CONFIG = {"bot": {"command_rate": 1000}, "plugins": {"points": {"announce_level_up": False}}}
pytestmark = [pytest.mark.plugins("checkin"), pytest.mark.bot_config(CONFIG)]
# Only the backends of this test's own connections are terminated (other tests may be using
# the same test database at the same time).
APP_NAME = "qunbot-faults"
LANES = 8
PER_LANE = 12


def checkin(user: str, number: int, at: datetime) -> CommandInvoked:
    return CommandInvoked(
        platform="console", self_id="qunbot", timestamp=at, guild=Guild("lobby", "lobby"),
        channel=Channel("lobby"), user=User(id=user, name=user, username=user), name="checkin",
        text="", message=Message(id=str(number), text="/checkin", created_at=at),
    )


def answered(fake, user: str) -> bool:
    return any(user in o.text or o.channel == f"dm:{user}" for o in fake.outputs)


async def run_lanes(fake, users: list[list[str]]) -> None:
    """Like the Telegram adapter: one task per lane, each handling its events in order (a
    task whose context a lost connection poisoned would fail every later event of its lane)."""
    now = fake.clock.now()

    async def lane(names: list[str]) -> None:
        for name in names:
            await fake.app.dispatch(checkin(name, hash(name) % 10**6, now))

    await asyncio.gather(*(lane(names) for names in users))


class TestPostgres:
    @pytest.fixture
    def bot_database_url(self, pg_url):
        return f"{pg_url}{'&' if '?' in pg_url else '?'}application_name={APP_NAME}"

    async def test_terminated_backends_mid_load_lose_no_checkin(self, fake, pg_url, caplog):
        import asyncpg

        caplog.set_level(logging.WARNING)
        killer = await asyncpg.connect(pg_url.replace("postgres://", "postgresql://", 1))
        killed = 0

        async def kill_repeatedly() -> None:
            nonlocal killed
            for _ in range(15):  # bounded: 15 rounds, ~40 ms apart
                await asyncio.sleep(0.04)
                rows = await killer.fetch(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname ="
                    " current_database() AND pid <> pg_backend_pid() AND application_name = $1",
                    APP_NAME,
                )
                killed += len(rows)

        users = [[f"m{lane:02d}x{i:02d}" for i in range(PER_LANE)] for lane in range(LANES)]
        try:
            await asyncio.wait_for(asyncio.gather(run_lanes(fake, users), kill_repeatedly()), 120)
        finally:
            await killer.close()
        assert killed > 0
        everyone = [name for lane in users for name in lane]
        recorded = set(await CheckIn.all().values_list("user_id", flat=True))
        lost = [name for name in everyone if name not in recorded and not answered(fake, name)]
        assert lost == []
        # The pool recovered: nothing is stuck on a connection handed back to the pool.
        assert "released back to the pool" not in caplog.text
        after = [[f"late{i}" for i in range(5)]]
        await asyncio.wait_for(run_lanes(fake, after), 60)
        assert set(after[0]) <= set(await CheckIn.all().values_list("user_id", flat=True))
        assert await find_mismatches() == []
        # Most members were simply recorded (a retry on a fresh connection), not apologised to.
        assert len(recorded) >= len(everyone) * 0.9


async def test_a_passing_error_is_retried_then_given_up_bounded():
    from tortoise.exceptions import OperationalError

    calls = 0

    async def locked() -> None:
        nonlocal calls
        calls += 1
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError):
        await asyncio.wait_for(retrying(locked, "test", delays=(0.01, 0.01, 0.01)), 5)
    assert calls == 4
    assert is_transient(OperationalError("database is locked"))
    assert not is_transient(OperationalError("no such table: x"))
    assert not is_transient(ValueError("connection"))
