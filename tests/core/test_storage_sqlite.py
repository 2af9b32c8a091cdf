"""SQLite's statements run on the event loop's thread (bot.storage.sqlite), and waiting for a
lock or a long read happens in a worker thread, never with the loop frozen (issue #11)."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator

import pytest
from tortoise.connection import get_connection
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.transactions import in_transaction

from bot.app import _SAVE_STATE  # the app's own write of its sync state
from bot.storage import Deferred, close_database, open_database
from bot.storage.checkpoint import BACKSTOP_PAGES, WAL_SIZE_LIMIT, Checkpointer
from bot.storage.faults import is_transient
from bot.storage.models import SyncState
from bot.storage.sqlite import INLINE_SECONDS, InlineSqliteClient

# A statement held up by a lock or a long read may not freeze the loop for more than this.
FREEZE = 0.15
COUNT_TO = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {n}) SELECT x FROM c"


@pytest.fixture
async def database(tmp_path):
    path = tmp_path / "bot.sqlite3"
    await open_database(f"sqlite://{path}", [])
    try:
        yield path
    finally:
        await close_database()


@contextlib.asynccontextmanager
async def short_busy_database(path, busy_ms: int):
    await open_database(f"sqlite://{path}?busy_timeout={busy_ms}", [])
    try:
        yield
    finally:
        await close_database()


def raw():
    """The sqlite3 connection under the client (aiosqlite's ``_conn`` had the same name)."""
    return get_connection("default")._connection._conn


@contextlib.contextmanager
def traced() -> Iterator[list[tuple[int, str]]]:
    """(thread, statement) of every statement SQLite runs on the bot's connection."""
    seen: list[tuple[int, str]] = []
    raw().set_trace_callback(lambda sql: seen.append((threading.get_ident(), sql)))
    try:
        yield seen
    finally:
        raw().set_trace_callback(None)


class Ticker:
    """A task that should tick every 10 ms: the longest gap says how long the loop froze."""

    def __init__(self) -> None:
        self.ticks = 0
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            self.ticks += 1
            last = now

    async def __aenter__(self) -> Ticker:
        self._task = asyncio.create_task(self._run())
        await asyncio.sleep(0.02)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


class WriteLock:
    """A second sqlite3 connection, in a thread of its own, holding the file's write lock
    until released."""

    def __init__(self, path) -> None:
        self.path = path
        self.taken = threading.Event()
        self.release = threading.Event()
        self.released_at = 0.0
        self._thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO core_sync_state (key, value) VALUES ('holder', 'x')")
            self.taken.set()
            self.release.wait(30)
            self.released_at = time.perf_counter()
            connection.execute("COMMIT")
        finally:
            connection.close()

    async def __aenter__(self) -> WriteLock:
        self._thread.start()
        assert await asyncio.to_thread(self.taken.wait, 10)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.release.set()
        await asyncio.to_thread(self._thread.join, 10)


async def test_the_engine_is_ours_with_tortoise_s_and_our_pragmas(database):
    client = get_connection("default")
    assert isinstance(client, InlineSqliteClient)

    async def pragma(name: str):
        _, rows = await client.execute_query(f"PRAGMA {name}")
        return rows[0][0]

    assert await pragma("journal_mode") == "wal"
    assert await pragma("foreign_keys") == 1
    assert await pragma("synchronous") == 1  # NORMAL
    assert await pragma("wal_autocheckpoint") == BACKSTOP_PAGES
    assert await pragma("journal_size_limit") == WAL_SIZE_LIMIT
    assert client._connection.busy_ms == 10_000  # what the thread waits; inline waits nothing
    assert await pragma("busy_timeout") == 0
    assert await client.execute_query_dict("SELECT 1 AS one, 'a' AS two") == [{"one": 1, "two": "a"}]


async def test_a_checkpointed_wal_is_written_over_not_cut_back(database):
    # Cutting the WAL file back after each checkpoint held a commit on the event loop 25 ms
    # about once a second under load (make bench); written over from its start, it costs
    # nothing more than the writes it holds.
    wal = database.with_name(database.name + "-wal")
    for n in range(300):
        await SyncState.create(key=f"k{n}", value="x" * 2000)
    grown = wal.stat().st_size
    assert grown > 1_000_000
    await asyncio.to_thread(Checkpointer(str(database))._checkpoint)
    await SyncState.create(key="after", value="the WAL starts again from its beginning")
    assert wal.stat().st_size == grown
    assert (await SyncState.get(key="after")).value.startswith("the WAL")


async def test_statements_run_on_the_loop_thread(database):
    loop_thread = threading.get_ident()
    with traced() as seen:
        await SyncState.create(key="a", value="1")
        await SyncState.bulk_create([SyncState(key=f"b{n}", value="2") for n in range(3)])
        async with in_transaction():
            await SyncState.filter(key="a").update(value="3")
            assert (await SyncState.get(key="a")).value == "3"
        assert await SyncState.filter(key__startswith="b").count() == 3
        client = get_connection("default")
        insert = "INSERT INTO core_sync_state (key, value) VALUES ('c', '')"
        assert await client.execute_insert(insert, []) >= 1
        update = "UPDATE core_sync_state SET value = 'u' WHERE key LIKE 'b%'"
        assert await client.execute_query(update) == (3, [])  # rows changed, no rows returned
    statements = {sql.split()[0].upper() for _, sql in seen}
    assert {"INSERT", "SELECT", "UPDATE", "BEGIN", "COMMIT"} <= statements
    assert {thread for thread, _ in seen} == {loop_thread}


async def test_a_failed_transaction_leaves_nothing_written(database):
    await SyncState.create(key="taken", value="before")
    with pytest.raises(IntegrityError):
        async with in_transaction():
            await SyncState.create(key="new", value="x")
            await SyncState.filter(key="taken").update(value="changed")
            await SyncState.create(key="taken", value="again")  # the primary key exists
    with pytest.raises(ZeroDivisionError):
        async with in_transaction():
            await SyncState.create(key="other", value="x")
            _ = 1 / 0
    assert await SyncState.all().values_list("key", "value") == [("taken", "before")]
    await SyncState.create(key="after", value="y")  # the connection is usable, not in a transaction
    assert not raw().in_transaction


async def test_a_write_lock_elsewhere_does_not_freeze_the_loop(database):
    async with Ticker() as ticker, WriteLock(database) as lock:
        write = asyncio.create_task(SyncState.create(key="mine", value="x"))
        read = await SyncState.filter(key="holder").exists()  # WAL: a read is never blocked
        assert read is False
        await asyncio.sleep(0.5)
        assert not write.done()  # waiting for the lock, in the thread
        assert ticker.ticks >= 20 and ticker.longest < FREEZE
        lock.release.set()
        await asyncio.wait_for(write, 10)
        assert time.perf_counter() >= lock.released_at > 0
    assert ticker.longest < FREEZE
    assert set(await SyncState.all().values_list("key", flat=True)) == {"holder", "mine"}


async def test_a_transaction_whose_statements_wait_for_the_lock_completes_whole(database):
    async with Ticker() as ticker, WriteLock(database) as lock:

        async def transfer() -> None:
            async with in_transaction():
                await SyncState.create(key="one", value="1")
                await SyncState.bulk_create([SyncState(key=f"many{n}", value="m") for n in range(5)])
                await SyncState.create(key="two", value="2")

        work = asyncio.create_task(transfer())
        rows = [SyncState(key=f"bulk{n}", value="b") for n in range(4)]
        bulk = asyncio.ensure_future(SyncState.bulk_create(rows))  # executemany outside a transaction
        await asyncio.sleep(0.4)
        assert not work.done() and not bulk.done()
        lock.release.set()
        await asyncio.wait_for(asyncio.gather(work, bulk), 10)
    assert ticker.longest < FREEZE
    keys = await SyncState.all().values_list("key", flat=True)
    assert sorted(keys) == sorted(["holder", "one", "two", *(f"many{n}" for n in range(5)),
                                   *(f"bulk{n}" for n in range(4))])  # each row once


async def test_the_writes_confirming_a_batch_wait_for_the_lock_and_land_whole(database):
    # The confirming writes go straight to the connection (InlineSqliteClient.write_batch);
    # with another process holding the file they wait in the thread, the loop running on.
    async with Ticker() as ticker, WriteLock(database) as lock:
        writes = Deferred(get_connection("default").capabilities)
        await writes.execute_many(_SAVE_STATE.on(writes), [["offset", "41"], ["lane", "a"]])
        await writes.execute_many(_SAVE_STATE.on(writes), [["tally", "7"]])
        work = asyncio.create_task(writes.run())
        await asyncio.sleep(0.4)
        assert not work.done()
        assert ticker.ticks >= 20 and ticker.longest < FREEZE
        lock.release.set()
        await asyncio.wait_for(work, 10)
    assert ticker.longest < FREEZE
    rows = dict(await SyncState.all().values_list("key", "value"))
    assert rows == {"holder": "x", "offset": "41", "lane": "a", "tally": "7"}


async def test_the_writes_confirming_a_batch_run_on_the_loop_in_one_transaction(database):
    writes = Deferred(get_connection("default").capabilities)
    await writes.execute_many(_SAVE_STATE.on(writes), [["offset", "41"], ["lane", "a"]])
    with traced() as seen:
        await writes.run()
    assert {thread for thread, _ in seen} == {threading.get_ident()}
    assert [sql.split()[0] for _, sql in seen] == ["BEGIN", "INSERT", "INSERT", "COMMIT"]
    assert await SyncState.filter(key__in=["offset", "lane"]).count() == 2


async def test_a_lock_held_past_the_busy_timeout_is_the_same_transient_error(tmp_path):
    path = tmp_path / "bot.sqlite3"
    async with short_busy_database(path, 300), Ticker() as ticker, WriteLock(path):
        started = time.perf_counter()
        with pytest.raises(OperationalError, match="database is locked") as caught:
            await SyncState.create(key="mine", value="x")
        waited = time.perf_counter() - started
        assert is_transient(caught.value)
        assert 0.28 <= waited < 5  # the configured busy timeout, waited in the thread
        assert ticker.longest < FREEZE
    await open_database(f"sqlite://{path}", [])
    try:
        assert not await SyncState.filter(key="mine").exists()
    finally:
        await close_database()


async def test_a_cancelled_wait_returns_and_the_next_statement_waits_its_turn(database):
    async with WriteLock(database) as lock:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(SyncState.create(key="mine", value="x"), 0.2)
        # The insert still waits in the thread: the connection is its own until it ends.
        read = asyncio.ensure_future(SyncState.all().count())
        await asyncio.sleep(0.3)
        assert not read.done()
        lock.release.set()
        # As with aiosqlite, the cancelled caller's statement went on and was written.
        assert await asyncio.wait_for(read, 10) == 2
    assert await SyncState.filter(key="mine").exists()


async def test_a_long_read_leaves_the_loop(database):
    loop_thread = threading.get_ident()
    query = f"SELECT count(*), max(x) FROM ({COUNT_TO.format(n=3_000_000)})"
    async with Ticker() as ticker:
        with traced() as seen:
            async with in_transaction() as connection:
                await SyncState.create(key="in", value="the transaction")
                started = time.perf_counter()
                _, rows = await connection.execute_query(query)
                assert time.perf_counter() - started > 4 * INLINE_SECONDS  # a long one indeed
                assert tuple(rows[0]) == (3_000_000, 3_000_000)
    assert ticker.longest < FREEZE
    runs = [thread for thread, sql in seen if sql.startswith("SELECT count(*), max(x)")]
    assert runs[0] == loop_thread and runs[-1] != loop_thread  # begun inline, moved
    # Cutting a read never undid the transaction around it.
    assert await SyncState.filter(key="in").exists()


async def test_a_long_write_in_a_transaction_is_never_cut(database):
    loop_thread = threading.get_ident()
    insert = ("INSERT INTO core_sync_state (key, value) "
              f"SELECT 'k' || x, 'v' FROM ({COUNT_TO.format(n=150_000)})")
    with traced() as seen:
        async with in_transaction() as connection:
            await SyncState.create(key="first", value="1")
            started = time.perf_counter()
            await connection.execute_query(insert)
            assert time.perf_counter() - started > INLINE_SECONDS
    assert [thread for thread, sql in seen if sql == insert] == [loop_thread]
    assert await SyncState.all().count() == 150_001


async def test_with_synchronous_full_the_commits_wait_for_the_disk_in_the_thread(tmp_path):
    await open_database(f"sqlite://{tmp_path / 'bot.sqlite3'}?synchronous=FULL", [])
    try:
        loop_thread = threading.get_ident()
        with traced() as seen:
            async with in_transaction():
                await SyncState.create(key="a", value="1")
            await SyncState.create(key="b", value="2")  # its own commit
            assert await SyncState.all().count() == 2
        commits = [thread for thread, sql in seen if sql == "COMMIT" or sql.startswith("INSERT")]
        assert len(commits) == 3 and loop_thread not in commits[1:]
        assert commits[0] == loop_thread  # the insert inside the transaction: no disk wait
        reads = [thread for thread, sql in seen if sql.startswith("SELECT")]
        assert reads == [loop_thread]
    finally:
        await close_database()
