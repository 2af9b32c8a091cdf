"""Tortoise's SQLite client with its statements run on the event loop's thread (the engine of
SQLite URLs).

Tortoise talks to SQLite through aiosqlite, which runs every call in a thread of its own and
hands the result back through the loop's self-pipe: on the message path that is some eight
hand-offs per update, and a quarter of the time was spent idle in epoll waiting for that
thread (issue #11). A statement on an indexed table takes microseconds; the hand-off costs
more than the work. Here the sqlite3 connection (opened with ``check_same_thread=False``) is
used directly from the loop, and a thread is used only when waiting is unavoidable:

* **Busy.** Inline, the connection's busy timeout is 0: a statement that meets another
  connection's lock (another process, ``qunbot migrate``, the WAL checkpointer) fails at once
  with SQLITE_BUSY instead of freezing the loop for the busy timeout. That statement is then
  run again in a worker thread with the configured timeout (``busy_timeout`` of the URL, 10 s
  by default), which waits exactly as before, and the loop goes on meanwhile. Re-running is
  safe: a statement that gets SQLITE_BUSY has changed nothing (SQLite rolls a failed
  statement back, and in WAL mode the locks are taken before any change), and the
  transaction it belongs to is still open. ``executemany`` is moved only when its first row
  was the one refused, and a COMMIT refused is retried as SQLite documents.
* **Long statements.** The statements the bot runs are indexed lookups and small writes;
  the long ones are known by kind. Scripts (``execute_script``: Tortoise's migrations and
  schema, ``PRAGMA wal_checkpoint(TRUNCATE)`` after a full disk, ``VACUUM`` if anyone sends
  it) always run in the thread: they can wait on readers or copy megabytes. For the rest, a
  progress handler watches the inline statement and, past ``INLINE_SECONDS``, interrupts it
  and runs it again in the thread: the big aggregations (``qunbot points verify``, stats
  reports over many days, housekeeping deletes of a large backlog) then leave the loop after
  a bounded freeze whatever the database's size. Only a statement whose interruption
  changes nothing is cut: a SELECT (SQLite never rolls back the transaction of a read-only
  statement it interrupts) or any statement outside a transaction (its own implicit
  transaction is rolled back whole). A write inside an explicit transaction is never cut,
  since SQLite would roll back the whole transaction; such writes are the bot's small
  conditional updates. Not moved either: the WAL checkpoint that a COMMIT runs past
  ``wal_autocheckpoint`` pages, which happens only when the checkpointer thread
  (bot.storage.checkpoint) has been failing for 40 MB of writes. Opening and closing the
  connection (closing checkpoints the WAL) run in the thread.
* **The disk.** With WAL and ``synchronous=NORMAL`` (our default) a commit writes to the OS
  and waits for no disk. With ``?synchronous=FULL`` in the URL (or a rollback journal) every
  commit waits for fsync, which a slow or busy disk can stretch to a large fraction of a
  second: then COMMIT, and a write outside a transaction (its own commit), go to the thread.
* **One user at a time.** Tortoise's locks (the client's, the transaction's) still order the
  callers. A caller cancelled while its statement runs in the thread returns at once, as
  with aiosqlite, and every later call waits for that statement to finish before touching
  the connection, so two threads never use it together.

Everything else is Tortoise's own client: the pragmas it adds (WAL, foreign keys) and ours
(``SQLITE_PRAGMAS``), ``sqlite3.Row`` rows, its transactions and savepoints, its row counts,
and its translation of sqlite3's errors (IntegrityError, OperationalError), which
bot.storage.faults reads as before. The object below offers the part of aiosqlite's
Connection that Tortoise's client uses.

Measured on the benchmark's Telegram path (``python -m bench --child telegram-sqlite``, 4,000
updates, seven runs of each alternated with aiosqlite's): median 361 -> 645 updates/s, p50
2.2 -> 1.3 ms, p99 8.8 -> 4.2 ms; no statement of that path goes to the thread.
"""

from __future__ import annotations

import asyncio
import math
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from tortoise.backends.sqlite.client import SqliteClient, SqliteClientWithRegexpSupport
from tortoise.contrib.sqlite.regex import install_regexp_functions

__all__ = ["INLINE_SECONDS", "InlineConnection", "InlineSqliteClient", "client_class", "get_client_class"]

# How long an interruptible statement may hold the loop before it is moved to the thread.
INLINE_SECONDS = 0.02
# The progress handler's period in SQLite VM instructions: some tens of microseconds, so a
# message-path statement (a few hundred instructions) is rarely watched at all.
PROGRESS_OPS = 1000
# sqlite3.connect's default, which aiosqlite kept: the busy timeout when the URL gives none.
DEFAULT_BUSY_MS = 5000


def _refused(exc: sqlite3.OperationalError) -> bool:
    """SQLite's busy handler would have waited for this one (SQLITE_BUSY and its extended
    codes; SQLITE_LOCKED is a conflict within this connection that waiting does not end)."""
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY


def _reads_only(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


def _opens(sql: str) -> bool:
    """BEGIN or SAVEPOINT: starts a transaction, commits nothing."""
    return sql.lstrip()[:9].upper().startswith(("BEGIN", "SAVEPOINT"))


class _Cursor:
    """What ``execute`` returns: Tortoise only closes it."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid


class _Counted:
    """The rows of an executemany, counting how many sqlite3 has taken."""

    __slots__ = ("_rows", "taken")

    def __init__(self, rows: Iterable[Any]) -> None:
        self._rows = rows
        self.taken = 0

    def __iter__(self) -> Iterator[Any]:
        for row in self._rows:
            self.taken += 1
            yield row


class InlineConnection:
    """A sqlite3 connection used from the event loop, with aiosqlite's interface."""

    def __init__(self, connection: sqlite3.Connection, busy_ms: int, syncs: bool = False) -> None:
        self._conn = connection
        self.busy_ms = busy_ms
        # A commit waits for the disk (fsync): it is done in the thread.
        self.syncs = syncs
        # A statement in the thread whose caller may have gone (cancelled): the next call waits.
        self._pending: asyncio.Future[Any] | None = None
        self._deadline = math.inf
        self._cut = False
        connection.set_progress_handler(self._watch, PROGRESS_OPS)
        connection.execute("PRAGMA busy_timeout=0").close()

    @classmethod
    async def open(cls, filename: str, pragmas: dict[str, Any]) -> InlineConnection:
        def connect() -> InlineConnection:
            connection = sqlite3.connect(filename, isolation_level=None, check_same_thread=False)
            try:
                connection.row_factory = sqlite3.Row
                # With the configured busy timeout, as aiosqlite did: switching to WAL takes
                # the file's lock.
                for pragma, value in pragmas.items():
                    connection.execute(f"PRAGMA {pragma}={value}").close()
                busy = connection.execute("PRAGMA busy_timeout").fetchone()
                journal = str(connection.execute("PRAGMA journal_mode").fetchone()[0]).lower()
                level = int(connection.execute("PRAGMA synchronous").fetchone()[0])
                # WAL syncs at commit only from FULL (2) up; a rollback journal from NORMAL (1).
                syncs = journal != "memory" and (level >= 2 or (journal != "wal" and level >= 1))
                return cls(connection, int(busy[0]) if busy else DEFAULT_BUSY_MS, syncs)
            except BaseException:
                connection.close()
                raise

        return await asyncio.get_running_loop().run_in_executor(None, connect)

    def _watch(self) -> int:
        if time.perf_counter() < self._deadline:
            return 0
        self._cut = True
        return 1

    async def _settle(self) -> None:
        while self._pending is not None:
            pending = self._pending
            if pending.done():
                self._pending = None
            else:
                await asyncio.wait([pending])

    async def _run(self, interruptible: bool, function: Callable[..., Any], *args: Any,
                   commits: bool = False) -> Any:
        if commits and self.syncs:
            return await self._in_thread(function, *args)
        if self._pending is not None:
            await self._settle()
        if interruptible:
            self._deadline = time.perf_counter() + INLINE_SECONDS
        try:
            return function(*args)
        except sqlite3.OperationalError as exc:
            if not (self._cut or _refused(exc)):
                raise
        finally:
            self._deadline = math.inf
            self._cut = False
        return await self._in_thread(function, *args)

    async def _in_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        if self._pending is not None:
            await self._settle()

        def waiting() -> Any:
            self._conn.execute(f"PRAGMA busy_timeout={self.busy_ms}").close()
            try:
                return function(*args)
            finally:
                self._conn.execute("PRAGMA busy_timeout=0").close()

        pending = asyncio.get_running_loop().run_in_executor(None, waiting)
        self._pending = pending
        try:
            # Shielded: a cancelled caller leaves the statement to finish; _settle waits for it.
            return await asyncio.shield(pending)
        finally:
            if pending.done() and self._pending is pending:
                self._pending = None

    def _fetchall(self, sql: str, parameters: Iterable[Any]) -> list[Any]:
        return self._conn.execute(sql, parameters).fetchall()

    def _insert(self, sql: str, parameters: Iterable[Any]) -> tuple[int | None]:
        # One statement, not aiosqlite's second "SELECT last_insert_rowid()": sqlite3 reads
        # the same value after every execute.
        return (self._conn.execute(sql, parameters).lastrowid,)

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> _Cursor:
        if self._pending is not None:
            await self._settle()
        alone = not self._conn.in_transaction
        reads = _reads_only(sql)
        cursor = await self._run(alone or reads, self._conn.execute, sql, parameters or (),
                                 commits=alone and not reads and not _opens(sql))
        return _Cursor(cursor)

    async def execute_fetchall(self, sql: str, parameters: Iterable[Any] | None = None) -> list[Any]:
        if self._pending is not None:
            await self._settle()
        alone = not self._conn.in_transaction
        reads = _reads_only(sql)
        return await self._run(alone or reads, self._fetchall, sql, parameters or (),
                               commits=alone and not reads)

    async def execute_insert(self, sql: str, parameters: Iterable[Any] | None = None) -> tuple[int | None]:
        if self._pending is not None:
            await self._settle()
        alone = not self._conn.in_transaction
        return await self._run(alone, self._insert, sql, parameters or (), commits=alone)

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> _Cursor:
        rows = parameters if isinstance(parameters, Sequence) else list(parameters)
        if self._pending is not None:
            await self._settle()
        counted = _Counted(rows)
        try:
            return _Cursor(self._conn.executemany(sql, counted))
        except sqlite3.OperationalError as exc:
            # Rows before the refused one are written: running them again would repeat them.
            if counted.taken > 1 or not _refused(exc):
                raise
        return _Cursor(await self._in_thread(self._conn.executemany, sql, rows))

    async def executescript(self, sql_script: str) -> _Cursor:
        return _Cursor(await self._in_thread(self._conn.executescript, sql_script))

    async def commit(self) -> None:
        if self._pending is not None:
            await self._settle()
        await self._run(False, self._conn.commit, commits=self._conn.in_transaction)

    async def write_batch(self, statements: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> bool:
        """The statements in one transaction, here on the loop; False, with nothing written,
        when that cannot be done at once (see ``InlineSqliteClient.write_batch``)."""
        if self.syncs:
            return False
        if self._pending is not None:
            await self._settle()
        connection = self._conn
        if connection.in_transaction:
            return False
        try:
            connection.execute("BEGIN").close()
            for sql, rows in statements:
                connection.executemany(sql, rows).close()
            connection.commit()
        except BaseException as exc:
            if connection.in_transaction:
                connection.rollback()
            if isinstance(exc, sqlite3.Error):
                return False
            raise
        return True

    async def rollback(self) -> None:
        await self._run(False, self._conn.rollback)

    async def create_function(self, name: str, num_params: int, func: Callable[..., Any],
                              deterministic: bool = False) -> None:
        if self._pending is not None:
            await self._settle()
        self._conn.create_function(name, num_params, func, deterministic=deterministic)

    async def close(self) -> None:
        await self._settle()
        # The last connection to close checkpoints the WAL into the database: not on the loop.
        await asyncio.get_running_loop().run_in_executor(None, self._conn.close)

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    @property
    def total_changes(self) -> int:
        return self._conn.total_changes


class InlineSqliteClient(SqliteClient):
    """Tortoise's SQLite client on an :class:`InlineConnection`."""

    _connection: Any

    async def write_batch(self, statements: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> bool:
        """Every statement with its rows in one transaction, on the sqlite3 connection itself:
        the writes that confirm each update, without the ORM's transaction and statement layers
        (0.3 M instructions of an update, 15 % of the confirming transaction's time). Under the
        client's lock, as any transaction of the ORM.

        False, with nothing written, when it cannot be done at once (another process holds the
        file, a statement fails, commits wait for the disk): the caller then writes them the
        ORM's way, which waits for the lock in a thread or raises the error as the ORM names it."""
        async with self._lock:
            return self._connection is not None and await self._connection.write_batch(statements)

    async def create_connection(self, with_db: bool) -> None:
        if not self._connection:
            self._connection = await InlineConnection.open(self.filename, self.pragmas)
            await self._post_connect()
            self.log.debug(
                "Created connection %s with params: filename=%s %s", self._connection,
                self.filename, " ".join(f"{k}={v}" for k, v in self.pragmas.items()),
            )


class InlineSqliteClientWithRegexp(InlineSqliteClient):
    capabilities = SqliteClientWithRegexpSupport.capabilities

    async def create_connection(self, with_db: bool) -> None:
        await super().create_connection(with_db)
        if self._connection:
            await install_regexp_functions(self._connection)


client_class = InlineSqliteClient


def get_client_class(db_info: dict[str, Any]) -> type[InlineSqliteClient]:
    if db_info.get("credentials", {}).get("install_regexp_functions"):
        return InlineSqliteClientWithRegexp
    return InlineSqliteClient
