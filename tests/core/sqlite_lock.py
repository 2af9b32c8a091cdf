"""Another process holding SQLite's write lock, for the fault tests: the bot's database with a
short busy timeout, and a holder that takes the lock and keeps it past that timeout."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

BUSY_MS = 300  # the app's busy timeout here (10 s in production); the lock is held 5 times longer
HOLD_SECONDS = 1.5

_HOLDER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


def locked_database_url(path: Path) -> str:
    """The bot's SQLite URL at ``path`` with the short busy timeout."""
    return f"sqlite://{path}?busy_timeout={BUSY_MS}"


async def hold_write_lock(path: Path | str, seconds: float = HOLD_SECONDS) -> asyncio.subprocess.Process:
    """A process that holds ``path``'s write lock for ``seconds``; returns once it has it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _HOLDER, str(path), str(seconds), stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 10)
    assert line.strip() == b"locked"
    return process
