"""Database: Tortoise ORM on SQLite (default) or PostgreSQL (by URL), with migrations.

Each app (the core, each plugin) has its own models module and migrations package;
``open_database`` applies pending migrations before anything reads a table, so ``qunbot run``
and ``qunbot migrate`` leave the schema in the same state.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.connection import get_connection
from tortoise.migrations.executor import MigrationExecutor

from bot.config import ConfigError
from bot.storage.faults import is_transient

__all__ = [
    "AppModels",
    "DatabaseUnavailable",
    "close_database",
    "database_config",
    "is_postgres",
    "make_migrations",
    "open_database",
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
}


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
    """The URL, or for asyncpg our client that survives a dropped connection (bot.storage.postgres)."""
    url = _normalize_url(url)
    if urlsplit(url).scheme in {"postgres", "asyncpg"}:
        expanded = expand_db_url(url)
        if expanded["engine"] == "tortoise.backends.asyncpg":
            return {**expanded, "engine": "bot.storage.postgres"}
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
    """SQLite cannot say why it cannot open a file (and a directory makes it hang): ask first."""
    target = Path(path).expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnavailable(f"[database] url: cannot create the folder of {path}: {exc}") from None
    problem = None
    if target.is_dir():
        problem = "it is a directory"
    elif target.exists() and not os.access(target, os.R_OK | os.W_OK):
        problem = "the file is not readable and writable by this user"
    elif not os.access(target.parent, os.W_OK | os.X_OK):
        # WAL keeps its -wal and -shm files beside the database.
        problem = f"its folder {target.parent} is not writable (read-only or another owner)"
    if problem:
        raise DatabaseUnavailable(f"[database] url: cannot open SQLite database {path}: {problem}")


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"


async def open_database(url: str, apps: list[AppModels]) -> None:
    """Connect, apply pending migrations, and leave the ORM ready. Raises DatabaseUnavailable
    (one line) when the database cannot be reached or opened."""
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
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseUnavailable(f"[database] url: cannot open {_where(url)}: {reason}") from None
    try:
        await _prepare(config)
    except Exception as exc:
        if not (is_transient(exc) or "readonly" in str(exc).lower()):
            raise  # a faulty migration: its traceback is what a developer needs
        # A full disk, a read-only file, a server that went away: say which, in one line.
        await Tortoise.close_connections()
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseUnavailable(f"[database] url: cannot prepare {_where(url)}: {reason}") from exc
    log.debug("database ready (%s apps)", len(config["apps"]))


async def _prepare(config: dict[str, Any]) -> None:
    migrated = {k: v for k, v in config["apps"].items() if "migrations" in v}
    if migrated:
        # On the open connection, so an in-memory SQLite database keeps what was migrated.
        await MigrationExecutor(get_connection("default"), migrated).migrate(None)
    unmigrated = [label for label, v in config["apps"].items() if "migrations" not in v]
    if unmigrated:
        # Third-party plugins without a migrations package get their tables created directly.
        await Tortoise.generate_schemas(safe=True)


async def close_database() -> None:
    await Tortoise.close_connections()


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
