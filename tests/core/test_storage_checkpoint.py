"""SQLite's WAL goes back into the database from a thread of its own, not from the commit of
whichever message crosses 1,000 pages (bot.storage.checkpoint)."""

import asyncio
import logging
import sqlite3

from bot.storage import close_database, open_database
from bot.storage.checkpoint import Checkpointer
from bot.storage.models import SyncState
from bot.testing import eventually


async def test_the_wal_is_copied_back_while_the_bot_writes(tmp_path):
    path = tmp_path / "bot.sqlite3"
    await open_database(f"sqlite://{path}", [])
    try:
        # About 3 MB in 300 commits: past SQLite's default checkpoint (1,000 pages, 4 MB) would
        # be the commits' own job; under the backstop (40 MB) only the thread does it.
        for n in range(300):
            await SyncState.create(key=f"k{n}", value="x" * 10_000)
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size > 2_500_000  # written to the WAL first
        await eventually(lambda: path.stat().st_size > 2_500_000)  # then into the database
        assert await SyncState.filter(key="k299").exists()  # the bot's connection went on
    finally:
        await close_database()
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT count(*) FROM core_sync_state").fetchone()[0] >= 300


async def test_a_checkpoint_that_fails_is_said_once_and_tried_again(tmp_path, caplog):
    checkpointer = Checkpointer(str(tmp_path / "no such folder" / "bot.sqlite3"), every=0.01)
    caplog.set_level(logging.WARNING, logger="bot.storage.checkpoint")
    checkpointer.start()
    await asyncio.sleep(0.2)
    await checkpointer.stop()
    warnings = [r for r in caplog.records if "WAL not checkpointed" in r.getMessage()]
    assert len(warnings) == 1
