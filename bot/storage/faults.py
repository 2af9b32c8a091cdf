"""Database faults the bot outlives: which errors are passing, how a unit of work is retried,
and what is done after a failed write.

A *unit of work* is what the core runs as one piece: the handling of one event, one plugin
handler, one job run, one roster flush. When it fails because the database connection was
lost (PostgreSQL restarted, ``pg_terminate_backend``, a network cut), the file is locked by
another process longer than SQLite's busy timeout, or a write failed for lack of space, it is
run again from the start on a fresh connection, after a short pause that grows, a bounded
number of times within a bounded time. Whatever it wrote before the failure was rolled back
with its transaction, so a repeat is safe wherever rows have unique keys (they do: a second
check-in of the same day is "already checked in"). Any other error is not retried.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from tortoise.exceptions import DBConnectionError

__all__ = [
    "RETRY_DELAYS",
    "RETRY_SECONDS",
    "after_write_error",
    "checkpoint_wal",
    "describe",
    "is_transient",
    "is_write_failure",
    "retrying",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

# Pauses before the 2nd, 3rd... attempt (each with up to 25% jitter so that the tasks a
# dropped connection failed together do not come back together).
RETRY_DELAYS: tuple[float, ...] = (0.05, 0.25, 1.0, 2.0)
# No new attempt starts this long after the first one (a SQLite attempt may itself wait the
# busy timeout, 10 s, so two full waits fit).
RETRY_SECONDS = 25.0

# SQLite's words (sqlite3.OperationalError, wrapped by Tortoise) for a passing condition.
_SQLITE_PASSING = ("database is locked", "database table is locked", "database is busy")
# ... and for a write that failed at the file: worth a retry after a WAL checkpoint.
_SQLITE_WRITE = ("database or disk is full", "disk i/o error", "unable to open database file")


def _chain(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(found) < 8 and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def _passing(exc: BaseException) -> bool:
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        asyncpg = None
    if isinstance(exc, DBConnectionError | ConnectionRefusedError | ConnectionResetError):
        return True
    if asyncpg is not None:
        if isinstance(
            exc,
            asyncpg.PostgresConnectionError
            | asyncpg.exceptions.OperatorInterventionError  # admin shutdown, cannot connect now
            | asyncpg.exceptions.TransactionRollbackError  # serialization failure, deadlock
            | asyncpg.InternalClientError,  # a connection left mid-protocol by the server's exit
        ):
            return True
        if isinstance(exc, asyncpg.InterfaceError) and not isinstance(exc, asyncpg.DataError):
            text = str(exc)
            return any(word in text for word in ("connection", "released", "closed", "in progress"))
    text = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError) or type(exc).__name__ == "OperationalError":
        return any(word in text for word in _SQLITE_PASSING + _SQLITE_WRITE)
    return False


def is_transient(exc: BaseException) -> bool:
    """The error is the database's passing condition, not the work's: the same work may
    succeed on a fresh connection a moment later."""
    return any(_passing(e) for e in _chain(exc))


def is_write_failure(exc: BaseException) -> bool:
    """SQLite could not write the file (full disk, I/O error)."""
    return any(
        any(word in str(e).lower() for word in _SQLITE_WRITE) for e in _chain(exc)
    )


def describe(exc: BaseException) -> str:
    """One line for the log: the innermost error of the chain that says what happened."""
    for e in reversed(_chain(exc)):
        if _passing(e):
            return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    return f"{type(exc).__name__}: {exc}"


async def checkpoint_wal() -> None:
    """On SQLite, move the WAL back into the database and truncate it, so that the space the
    WAL held is free again (it only grows until a checkpoint: a full disk otherwise stays
    full, the WAL growing back to what it was on every later start). Bounded; raises."""
    from tortoise.connection import get_connection

    connection = get_connection("default")
    if connection.capabilities.dialect == "sqlite":
        await asyncio.wait_for(connection.execute_script("PRAGMA wal_checkpoint(TRUNCATE)"), 5.0)


async def after_write_error(exc: BaseException) -> None:
    """After a failed write, checkpoint the WAL (best effort)."""
    if not is_write_failure(exc):
        return
    try:
        await checkpoint_wal()
        log.debug("database: WAL checkpointed after a failed write")
    except Exception as checkpoint_error:
        log.warning("database: WAL checkpoint after a failed write failed: %s", checkpoint_error)


async def retrying(
    work: Callable[[], Awaitable[T]],
    what: str,
    *,
    delays: tuple[float, ...] = RETRY_DELAYS,
    seconds: float = RETRY_SECONDS,
    should_retry: Callable[[], bool] | None = None,
) -> T:
    """Run ``work`` (a unit of work, from its start each time); on a passing database error
    run it again after each of ``delays``, while fewer than ``seconds`` have passed since the
    first attempt (and ``should_retry()`` allows). The last error is raised."""
    started = time.monotonic()
    attempt = 0
    while True:
        try:
            return await work()
        except Exception as exc:
            if not is_transient(exc):
                raise
            await after_write_error(exc)
            if (
                attempt >= len(delays)
                or time.monotonic() - started + delays[attempt] > seconds
                or (should_retry is not None and not should_retry())
            ):
                log.warning("%s: database error, giving up after %d attempts: %s", what, attempt + 1,
                            describe(exc))
                raise
            pause = delays[attempt] * (1 + random.random() / 4)
            log.warning("%s: database error, retrying in %.2f s: %s", what, pause, describe(exc))
            attempt += 1
            await asyncio.sleep(pause)
