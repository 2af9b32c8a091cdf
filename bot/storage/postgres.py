"""Tortoise's asyncpg client, made to survive a lost connection (the engine of PostgreSQL URLs).

Tortoise 1.1's pooled transaction acquires a connection, makes it the task's current
connection (a context variable), then sends BEGIN. When the server drops the connection at
that moment (``pg_terminate_backend``, a restart, a network cut), BEGIN raises inside
``__aenter__``, so ``__aexit__`` never runs: the connection is never released and, worse, the
context variable is never reset. asyncpg then detaches the dead connection from the pool, and
every later query of that task (and of every task it starts, which copy its context: the
polling loop, the roster flusher, the scheduler) goes to the detached proxy and fails with
"connection has been released back to the pool", for the rest of the process. The same
happens when releasing a broken connection raises at the end of a transaction.

Here a transaction always gives its connection back and always restores the task's current
connection, whatever fails; a rollback or release that fails because the connection is gone
never hides the error that matters. The pool then opens a fresh connection for the next
unit of work, which :mod:`bot.storage.faults` retries.

A connection going back to the pool is not reset to a new session's state: asyncpg's default
sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`` at every release,
a round trip per statement run outside a transaction (3.7 per Telegram update in ``make
bench``), to undo session state qunbot never sets (no advisory locks, cursors, listeners or
``SET``; isolation levels are set per transaction). A transaction left open is still rolled
back: asyncpg does that before calling the pool's reset (``Connection._reset``).

Each pooled connection remembers the statements it has prepared under qunbot's names
(:meth:`ResilientAsyncpgClient.run_prepared`): the confirming writes of an update are sent as
one script of ``EXECUTE``s, so the server neither parses nor plans them again at every update.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import asyncpg
from asyncpg.exceptions import InvalidSQLStatementNameError, SyntaxOrAccessError
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper, translate_exceptions
from tortoise.backends.base.client import PoolConnectionWrapper, TransactionContextPooled
from tortoise.connection import get_connections
from tortoise.exceptions import TransactionManagementError

__all__ = ["ResilientAsyncpgClient", "Unpreparable", "client_class"]

log = logging.getLogger(__name__)


class _Transaction(TransactionContextPooled):
    async def __aenter__(self) -> Any:
        await self.ensure_connection()
        self.client._connection = await self.client._parent._pool.acquire()
        self.token = get_connections().set(self.connection_name, self.client)
        try:
            await self.client.begin()
        except BaseException:
            await self._give_back()
            raise
        return self.client

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        try:
            if not self.client._finalized:
                if exc_type is None:
                    await self.client.commit()
                elif exc_type is not TransactionManagementError:
                    try:
                        await self.client.rollback()
                    except Exception as exc:
                        # The connection is gone (the server rolled back): the caller's error
                        # is the one to see, not "cannot rollback: connection is closed".
                        log.debug("rollback after %s failed: %s", exc_type.__name__, exc)
                        _terminate(self.client._connection)
        finally:
            await self._give_back()

    async def _give_back(self) -> None:
        get_connections().reset(self.token)
        pool = self.client._parent._pool
        if pool is not None and self.client._connection is not None:
            await _release(pool, self.client._connection)


class _Acquired(PoolConnectionWrapper):
    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        if self.client._pool is not None and self.connection is not None:
            await _release(self.client._pool, self.connection)


async def _release(pool: Any, connection: Any) -> None:
    """Give a connection back; one that cannot be reset is closed by asyncpg (the pool then
    opens a new one), which is not an error of the work done on it."""
    try:
        await pool.release(connection)
    except Exception as exc:
        log.debug("a broken database connection was closed: %s", exc)
        _terminate(connection)


def _terminate(connection: Any) -> None:
    try:
        if connection is not None and not connection.is_closed():
            connection.terminate()
    except Exception:  # already released or detached: nothing left to close
        pass


async def _session_kept(connection: Any) -> None:
    """The pool's reset: nothing beyond the rollback of an open transaction (see above)."""


class Unpreparable(Exception):
    """The server cannot prepare ``sql`` as written (a parameter whose type it cannot infer),
    or, ``sql`` None, does not keep what a connection prepared."""

    def __init__(self, sql: str | None) -> None:
        super().__init__(sql)
        self.sql = sql


class _PreparingConnection(asyncpg.Connection):
    """A connection that knows which of qunbot's named statements it has prepared. A
    prepared statement lives as long as its session, whatever becomes of the transaction it
    was prepared in; a connection the pool opens anew starts with none."""

    __slots__ = ("prepared",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prepared: set[str] = set()


class ResilientAsyncpgClient(AsyncpgDBClient):
    connection_class = _PreparingConnection
    # Whether the server keeps a connection's prepared statements (see run_prepared).
    prepares = True

    @translate_exceptions
    async def run_prepared(self, statements: Mapping[str, str], script: str) -> None:
        """Runs ``script`` (which executes ``statements``, SQL → name) on a pooled connection,
        first preparing there each of them it has not prepared yet, one round trip each: once
        per connection's life. Raises :class:`Unpreparable`, with nothing of ``script`` run,
        for a statement the server refuses to prepare, or when it has lost what this
        connection prepared: something between shares the server's connections among
        clients (PgBouncer in transaction mode), and this client prepares nothing more."""
        async with self.acquire_connection() as connection:
            for sql, name in statements.items():
                if name not in connection.prepared:
                    try:
                        await connection.execute(f"PREPARE {name} AS {sql}")
                    except SyntaxOrAccessError as exc:
                        raise Unpreparable(sql) from exc
                    connection.prepared.add(name)
            try:
                await connection.execute(script)
            except InvalidSQLStatementNameError as exc:
                log.warning("the database lost the statements prepared on a connection (a pooler "
                            "in between?): statements are written out with their values from now on")
                self.prepares = False
                raise Unpreparable(None) from exc

    async def create_pool(self, **kwargs: Any) -> Any:
        return await super().create_pool(reset=_session_kept, **kwargs)

    def acquire_connection(self) -> Any:
        return _Acquired(self, self._pool_init_lock)

    def _in_transaction(self) -> Any:
        return _Transaction(TransactionWrapper(self), self._pool_init_lock)


client_class = ResilientAsyncpgClient
