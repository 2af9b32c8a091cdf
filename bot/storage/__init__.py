"""Database: Tortoise ORM on SQLite (default) or PostgreSQL (by URL), with migrations.

Each app (the core, each plugin) has its own models module and migrations package;
``open_database`` applies pending migrations before anything reads a table, so ``qunbot run``
and ``qunbot migrate`` leave the schema in the same state.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.connection import get_connection
from tortoise.migrations.executor import MigrationExecutor

from bot.config import ConfigError
from bot.storage.checkpoint import BACKSTOP_PAGES, WAL_SIZE_LIMIT, Checkpointer
from bot.storage.faults import checkpoint_wal, is_transient
from bot.storage.statements import Deferred, PlainSQL

__all__ = [
    "AppModels",
    "DatabaseUnavailable",
    "Deferred",
    "PlainSQL",
    "close_database",
    "database_config",
    "is_postgres",
    "make_migrations",
    "open_database",
    "where",
]

log = logging.getLogger(__name__)
CORE_APP = "core"
SQLITE_PRAGMAS = {
    # Writers wait for a busy file instead of failing at once (several tasks share it).
    "busy_timeout": 10_000,
    # With WAL (Tortoise's default), NORMAL keeps every commit across a crash of the bot and
    # never corrupts; only a power loss may roll back the last commits. FULL would wait for
    # the disk on every commit and cut the message rate by two thirds (see bench/). Override
    # with ?synchronous=FULL in the database URL.
    "synchronous": "NORMAL",
    # The WAL goes back into the database in a thread of its own (bot.storage.checkpoint); a
    # commit does it only past this many pages.
    "wal_autocheckpoint": BACKSTOP_PAGES,
    # The WAL file is written over from its start once checkpointed, not cut back each time
    # (Tortoise's default cuts it to 16 KB): cutting megabytes of a file whose pages were still
    # being written to the disk held a commit on the event loop 25 ms, about once a second in
    # make bench (strace: ftruncate of the WAL on the loop's thread). The limit only cuts back a
    # WAL that a long reader let grow past twice the backstop.
    "journal_size_limit": WAL_SIZE_LIMIT,
}
_checkpointer: Checkpointer | None = None
# Less free space than this beside a SQLite file that cannot be opened: the disk is full.
FULL_DISK_BYTES = 1 << 20
# How long a PostgreSQL connection attempt may take: asyncpg's own default (60 s) made a
# wrong port where another server listens look like a hang. Override with ?timeout=N.
PG_CONNECT_SECONDS = 10


class DatabaseUnavailable(ConfigError):
    """The database of ``[database] url`` cannot be opened; the message is one line that
    names it (never the password) and why."""


@dataclass(frozen=True, slots=True)
class AppModels:
    label: str
    models: str
    migrations: str | None


CORE_MODELS = AppModels(CORE_APP, "bot.storage.models", "bot.storage.migrations")


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "asyncpg", "psycopg"}


def _normalize_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "postgresql":
        url = "postgres" + url[len("postgresql") :]
    if parts.scheme == "sqlite":
        for pragma, value in SQLITE_PRAGMAS.items():
            if f"{pragma}=" not in url:
                url += ("&" if "?" in url else "?") + f"{pragma}={value}"
    return url


def _connection(url: str) -> str | dict[str, Any]:
    """The URL, or our client: for SQLite the one whose statements run on the event loop's
    thread (bot.storage.sqlite), for asyncpg the one that survives a dropped connection
    (bot.storage.postgres)."""
    url = _normalize_url(url)
    if urlsplit(url).scheme == "sqlite":
        expanded = expand_db_url(url)
        if expanded["engine"] == "tortoise.backends.sqlite":
            return {**expanded, "engine": "bot.storage.sqlite"}
    if urlsplit(url).scheme in {"postgres", "asyncpg"}:
        expanded = expand_db_url(url)
        if expanded["engine"] == "tortoise.backends.asyncpg":
            credentials = {"timeout": PG_CONNECT_SECONDS, **expanded["credentials"]}
            return {**expanded, "engine": "bot.storage.postgres", "credentials": credentials}
    return url


def database_config(url: str, apps: list[AppModels]) -> dict[str, Any]:
    return {
        "connections": {"default": _connection(url)},
        "apps": {
            app.label: {
                "models": [app.models],
                "default_connection": "default",
                **({"migrations": app.migrations} if app.migrations else {}),
            }
            for app in apps
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _sqlite_path(url: str) -> str | None:
    path = url[len("sqlite://") :].split("?", 1)[0]
    return None if path in (":memory:", "") or path.startswith("file:") else path


def _check_sqlite_file(path: str) -> None:
    """SQLite cannot say why it cannot open a file (and a directory makes it hang): ask
    first."""
    target = Path(path).expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnavailable(f"[database] url: cannot create the folder of {path}: {exc}") from None
    problem = None
    if target.is_dir():
        problem = "it is a directory"
    elif not os.access(target.parent, os.W_OK | os.X_OK):
        # WAL keeps its -wal and -shm files beside the database.
        problem = f"its folder {target.parent} is not writable (read-only or another owner)"
    else:
        problem = _unwritable(target) or _unreadable_by_sqlite(target)
    if problem:
        raise DatabaseUnavailable(f"[database] url: cannot open SQLite database {path}: {problem}")


def _unwritable(target: Path) -> str | None:
    # Opened for writing, not asked: os.access says yes to root on an immutable file.
    if not target.exists():
        return None
    try:
        os.close(os.open(target, os.O_RDWR))
    except OSError as exc:
        return f"the file cannot be written (a read-only mount or another owner?): {exc.strerror}"
    return None


def _unreadable_by_sqlite(target: Path) -> str | None:
    try:
        connection = sqlite3.connect(target, timeout=0)
        try:
            connection.execute("PRAGMA schema_version").fetchone()
        finally:
            connection.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return None  # another process is writing: the busy timeout deals with it
        # Opening a WAL database writes its -shm and -wal files: a full disk fails here too.
        return _full_disk(target) or f"{exc} (a read-only mount or another owner?)"
    except sqlite3.DatabaseError as exc:
        return f"{exc} (not a SQLite database file?)"
    return None


def where(url: str) -> str:
    """The database a URL names, without its password (for messages)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"


def _root(exc: BaseException) -> BaseException:
    """The innermost error of the chain (Tortoise wraps asyncpg's, asyncio its own)."""
    seen = [exc]
    while (inner := exc.__cause__ or exc.__context__) is not None and inner not in seen:
        if not isinstance(inner, asyncio.CancelledError):  # a timeout's, says nothing more
            exc = inner
        seen.append(inner)
    return exc


def _why_not(url: str, exc: BaseException) -> str:
    """Why the database cannot be reached, phrased for the person who wrote the URL."""
    parts = urlsplit(url)
    server = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
    root = _root(exc)
    name = type(root).__name__
    if name == "InvalidCatalogNameError":
        database = parts.path.lstrip("/")
        return (f'the database "{database}" does not exist on {server} '
                f"(create it: createdb -h {parts.hostname or 'localhost'} -p {parts.port or 5432} "
                f"-U {parts.username or 'postgres'} {database})")
    if isinstance(root, socket.gaierror):
        return f"unknown host {parts.hostname!r}"
    if isinstance(root, ConnectionRefusedError):
        return f"nothing listens on {server} (is PostgreSQL running there? is the port right?)"
    if isinstance(root, TimeoutError):
        seconds = parse_qs(parts.query).get("timeout", [PG_CONNECT_SECONDS])[0]
        return f"no PostgreSQL answered on {server} within {seconds} s (wrong port or host?)"
    text = str(root).splitlines()[0] if str(root) else name
    return text


async def open_database(url: str, apps: list[AppModels]) -> list[str]:
    """Connect, apply pending migrations, and leave the ORM ready; returns the migrations
    applied now (``app.name``). Raises DatabaseUnavailable (one line) when the database cannot
    be reached or opened."""
    sqlite_path = _sqlite_path(url) if urlsplit(url).scheme == "sqlite" else None
    if sqlite_path is not None:
        _check_sqlite_file(sqlite_path)
    config = database_config(url, [CORE_MODELS, *apps])
    # Tortoise caches SQL per connection *name*, not per backend: a process that opens SQLite
    # and then PostgreSQL (tests, the benchmark) would otherwise send SQLite's placeholders.
    EXECUTOR_CACHE.clear()
    try:
        await Tortoise.init(config=config)
        await get_connection("default").execute_query("SELECT 1")
    except Exception as exc:
        await Tortoise.close_connections()
        reason = _why_not(url, exc)
        raise DatabaseUnavailable(f"[database] url: cannot open {where(url)}: {reason}") from None
    try:
        applied = await _prepare(config)
    except Exception as exc:
        if not (is_transient(exc) or "readonly" in str(exc).lower()):
            raise  # a faulty migration: its traceback is what a developer needs
        # A full disk, a read-only file, a server that went away: say which, in one line.
        with contextlib.suppress(Exception):  # a WAL that filled the disk gives space back
            await checkpoint_wal()
        await Tortoise.close_connections()
        raise DatabaseUnavailable(
            f"[database] url: cannot prepare {where(url)}: {_why_not(url, exc)}{_space_hint(exc)}"
        ) from exc
    if sqlite_path is not None:
        await _stop_checkpointer()  # a database opened again without being closed
        global _checkpointer
        _checkpointer = Checkpointer(sqlite_path)
        _checkpointer.start()
    log.debug("database ready (%s apps)", len(config["apps"]))
    return applied


def _full_disk(target: Path) -> str | None:
    usage = shutil.disk_usage(target.parent)
    free = usage.free
    if free >= FULL_DISK_BYTES or usage.total == 0:  # no size at all: /proc, /sys
        return None
    return f"the disk is full ({free // 1024} KB free in {target.parent}): free some space, then start again"


def _space_hint(exc: BaseException) -> str:
    if "full" in str(_root(exc)).lower():
        return " (free some space on that disk, then start again)"
    return ""


async def _prepare(config: dict[str, Any]) -> list[str]:
    applied: list[str] = []

    def progress(event: str, app: str, name: str) -> None:
        if event == "apply_done":
            applied.append(f"{app}.{name}")

    migrated = {k: v for k, v in config["apps"].items() if "migrations" in v}
    if migrated:
        # On the open connection, so an in-memory SQLite database keeps what was migrated.
        with _collecting_as_it_goes():
            await MigrationExecutor(get_connection("default"), migrated).migrate(None, progress=progress)
    if applied:
        # An upgrade says what it changed; a new database is no news.
        new = f"{CORE_APP}.0001_initial" in applied
        log.log(logging.DEBUG if new else logging.INFO, "database: applied %s", ", ".join(applied))
        # Migrations grow SQLite's WAL to megabytes (it is checkpointed at 1,000 pages): give
        # the space back now, not when it has filled a small disk.
        await checkpoint_wal()
    unmigrated = [label for label, v in config["apps"].items() if "migrations" not in v]
    if unmigrated:
        # Third-party plugins without a migrations package get their tables created directly.
        await Tortoise.generate_schemas(safe=True)
    await _write_probe(get_connection("default"))
    return applied


@contextlib.contextmanager
def _collecting_as_it_goes() -> Iterator[None]:
    """Tortoise renders every model of the schema again for each operation of a migration: a
    new database's migrations make hundreds of thousands of objects in cycles, which the cycle
    collector, weighing them against every object of the process, frees only a few times; the
    memory they took in between stays with the process (some 15 MB of a new database's start).
    Inside, what existed before is set aside (``gc.freeze``), so a full pass walks only the
    migrations' objects and may come after every other young pass instead of one in a hundred:
    as fast as before. Only when nothing was set aside yet (a process that already kept its
    start-up objects is left as it is)."""
    if gc.get_freeze_count():
        yield
        return
    threshold = gc.get_threshold()
    gc.freeze()
    gc.collect()  # nothing to walk; the full passes now weigh only what comes after
    gc.set_threshold(threshold[0], 1, 1)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.collect()
        gc.unfreeze()


async def _write_probe(connection: Any) -> None:
    """On SQLite, one small write now: a full disk or a read-only file is said at start-up,
    not found by the first member's message. Rewriting ``user_version`` (unused, the same
    value) changes nothing but needs a page of space in the WAL."""
    if connection.capabilities.dialect != "sqlite":
        return
    _, rows = await connection.execute_query("PRAGMA user_version")
    version = int(next(iter(dict(rows[0]).values()))) if rows else 0
    await connection.execute_script(f"PRAGMA user_version = {version}")


async def close_database() -> None:
    await _stop_checkpointer()
    await Tortoise.close_connections()


async def _stop_checkpointer() -> None:
    global _checkpointer
    checkpointer, _checkpointer = _checkpointer, None
    if checkpointer is not None:
        await checkpointer.stop()


async def make_migrations(url: str, apps: list[AppModels], labels: list[str] | None = None) -> None:
    """Write migration files for model changes (a developer command: ``qunbot makemigrations``)."""
    from tortoise.cli import cli as tortoise_cli

    config = database_config(url, [CORE_MODELS, *apps])
    if labels:
        config["apps"] = {k: v for k, v in config["apps"].items() if k in labels}
    _MIGRATION_CONFIG.clear()
    _MIGRATION_CONFIG.update(config)
    context = tortoise_cli.CLIContext(f"{__name__}._MIGRATION_CONFIG", None)
    await tortoise_cli.makemigrations(context, tuple(config["apps"]), empty=False, name=None)


_MIGRATION_CONFIG: dict[str, Any] = {}
