"""SQLite's write-ahead log copied back into the database by a thread of its own.

SQLite checkpoints the WAL when a commit takes it past ``wal_autocheckpoint`` pages (1,000 by
default): that commit copies the pages back and waits for the disk, and the member whose
message it was waits with it. Measured on the benchmark's message path: one update in about a
hundred, all of them plain messages, took 6 to 10 ms instead of about one, which made the p99.

Here the bot's connection checkpoints only as a backstop (``BACKSTOP_PAGES``, in
``SQLITE_PRAGMAS``) and a second connection, in a worker thread, runs a PASSIVE checkpoint
every ``EVERY_SECONDS``: it copies what no reader still needs, waits for no lock, and lets the
bot's commits go on meanwhile. If it fails (a full disk), the backstop still bounds the WAL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from pathlib import Path

__all__ = ["BACKSTOP_PAGES", "EVERY_SECONDS", "WAL_SIZE_LIMIT", "Checkpointer"]

log = logging.getLogger(__name__)

# The WAL's pages before the bot's own connection checkpoints (4 KB each: 40 MB).
BACKSTOP_PAGES = 10_000
# Bytes of WAL file kept once it is checkpointed (SQLite's journal_size_limit), above what the
# backstop lets it reach.
WAL_SIZE_LIMIT = 2 * BACKSTOP_PAGES * 4096
EVERY_SECONDS = 1.0


class Checkpointer:
    """Checkpoints the WAL of the SQLite file at ``path`` every ``every`` seconds, off the
    event loop, until stopped."""

    def __init__(self, path: str, every: float = EVERY_SECONDS) -> None:
        self.path = path
        self.every = every
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None or task.get_loop() is not asyncio.get_running_loop():
            return  # started on a loop that is gone (a test's): so is the task
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                await asyncio.to_thread(self._checkpoint)
            except Exception as exc:
                if not self._failing:  # once, not every second
                    log.warning("database: WAL not checkpointed (%s); the commits will", exc)
                self._failing = True
            else:
                self._failing = False

    def _checkpoint(self) -> None:
        # A second's wait for the file's lock costs the bot nothing (this is a worker thread) and
        # spares a warning whenever a commit holds it.
        # mode=rw: never create the file (a database moved away is the bot's to notice).
        uri = Path(self.path).resolve().as_uri() + "?mode=rw"
        connection = sqlite3.connect(uri, uri=True, timeout=1.0, isolation_level=None)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            connection.close()
