"""``qunbot points verify`` against a running bot: balances and ledger sums are read in one
snapshot, so a credit made while it reads is never a false mismatch (issue 18, item 5)."""

from __future__ import annotations

import pytest

from bot import GroupRef, MemberRef
from plugins.points import Points, maintenance

LOBBY = GroupRef("console", "lobby", "lobby")
pytestmark = pytest.mark.plugins("points")

# A whole, consistent credit of 5 by another process (the bot), committed between the read of
# the ledger sums and the read of the balances.
CONCURRENT_CREDIT = """
BEGIN;
INSERT INTO points_ledger (platform, scope, guild_id, user_id, amount, xp, kind, reason, plugin,
                           actor, key, balance_after, created_at)
SELECT platform, scope, guild_id, user_id, 5, 0, 'earn', 'race', plugin, actor, 'race:' || key,
       balance_after + 5, created_at
FROM points_ledger WHERE user_id = 'alice';
UPDATE points_balance SET balance = balance + 5 WHERE user_id = 'alice';
COMMIT;
"""


class _RacingBalances:
    """``Balance`` for find_mismatches, with the other process's credit landing just before
    the balances are read."""

    def __init__(self, real, write):
        self._real, self._write = real, write

    def all(self):
        query, write = self._real.all(), self._write

        class _Query:
            def values(self, *fields):
                async def run():
                    await write()
                    return await query.values(*fields)

                return run()

        return _Query()


class TestPostgres:
    @pytest.fixture
    def bot_database_url(self, pg_url):
        return pg_url

    async def test_a_credit_during_verify_is_no_mismatch(self, bot_app, pg_url, monkeypatch):
        import asyncpg

        points = bot_app.scope("points").service(Points)
        await points.credit(
            MemberRef("console", "alice", LOBBY), 10, xp=0, kind="earn", key="t:1", reason="t", actor="t"
        )
        assert await maintenance.find_mismatches() == []
        other = await asyncpg.connect(pg_url.replace("postgres://", "postgresql://", 1))
        written = []

        async def credit_elsewhere():
            await other.execute(CONCURRENT_CREDIT)
            written.append(True)

        monkeypatch.setattr(maintenance, "Balance", _RacingBalances(maintenance.Balance, credit_elsewhere))
        try:
            assert await maintenance.find_mismatches() == []
        finally:
            await other.close()
        assert written
        monkeypatch.undo()
        assert await maintenance.find_mismatches() == []  # and afterwards it is still whole
        assert await points.balance(MemberRef("console", "alice", LOBBY)) == 15
