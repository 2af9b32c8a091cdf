"""Measurement helpers shared by the benchmark's scenarios."""

from __future__ import annotations

import json
import logging
import os
import resource
import statistics
import subprocess
import sys
from collections import Counter
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "LogCounter",
    "StatementCounter",
    "bench_database",
    "latency",
    "memory",
    "plugin_names",
    "rss_mb",
    "run_module",
]


def latency(samples_ns: list[int], prefix: str = "") -> dict[str, float | None]:
    """p50/p99/max/mean in milliseconds."""
    if not samples_ns:
        return {
            f"{prefix}p50_ms": None,
            f"{prefix}p99_ms": None,
            f"{prefix}max_ms": None,
            f"{prefix}mean_ms": None,
        }
    ordered = sorted(samples_ns)
    n = len(ordered)
    return {
        f"{prefix}p50_ms": round(ordered[n // 2] / 1e6, 3),
        f"{prefix}p99_ms": round(ordered[min(n - 1, int(n * 0.99))] / 1e6, 3),
        f"{prefix}max_ms": round(ordered[-1] / 1e6, 3),
        f"{prefix}mean_ms": round(statistics.fmean(ordered) / 1e6, 3),
    }


def rss_mb() -> float | None:
    """The process's resident set now (Linux), in MB."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    except (OSError, ValueError, IndexError):
        return None


def memory() -> dict[str, float | None]:
    """Peak RSS of this process so far (``getrusage``; each scenario runs in a process of its
    own, so it is the scenario's peak) and RSS now, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"peak_rss_mb": round(peak / 1024, 1), "rss_mb": rss_mb()}


class LogCounter(logging.Handler):
    """Counts warnings and errors (a path that fails silently would look fast); keeps the first
    few messages for the report."""

    def __init__(self, keep: int = 5) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()
        self.first: list[str] = []
        self.keep = keep

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "discord.client" and "voice will NOT be supported" in str(record.msg):
            return  # discord.py at import: no voice libraries (qunbot needs none)
        self.counts[record.levelname] += 1
        if len(self.first) < self.keep:
            try:
                text = record.getMessage()
            except Exception:  # a bad format string in someone's log call
                text = str(record.msg)
            self.first.append(f"{record.levelname} {record.name}: {text[:300]}")

    @classmethod
    def install(cls) -> LogCounter:
        handler = cls()
        root = logging.getLogger()
        root.handlers.clear()
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
        return handler

    def report(self) -> dict[str, Any]:
        return {
            "log_warnings": self.counts["WARNING"],
            "log_errors": self.counts["ERROR"] + self.counts["CRITICAL"],
            "log_first": self.first,
        }


async def bench_database(url: str) -> str:
    """An empty database of the benchmark's own (``qunbot_bench``) on the server of ``url``, so
    a test run on the same server is not disturbed; the given database if the server refuses
    to create one."""
    import asyncpg

    plain = url.replace("postgres://", "postgresql://", 1)
    parts = urlsplit(plain)
    target = urlunsplit(parts._replace(path="/qunbot_bench"))
    connection = await asyncpg.connect(plain)
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = 'qunbot_bench'")
        if not exists:
            await connection.execute("CREATE DATABASE qunbot_bench")
    except asyncpg.PostgresError as exc:
        print(f"(cannot create database qunbot_bench: {exc}; using the given one)", file=sys.stderr)
        target = plain
    finally:
        await connection.close()
    connection = await asyncpg.connect(target)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()
    return target.replace("postgresql://", "postgres://", 1)


async def disk_flushes(url: str) -> int | None:
    """How many times PostgreSQL has flushed its log to disk so far (``pg_stat_wal``, 14 and
    later; the whole server's): what a commit that waits for the disk costs, counted rather than
    timed, so it does not move with the machine's noise. None where the server cannot say."""
    import asyncpg

    try:
        connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    except (OSError, asyncpg.PostgresError):
        return None
    try:
        return await connection.fetchval("SELECT wal_sync FROM pg_stat_wal")
    except asyncpg.PostgresError:
        return None
    finally:
        await connection.close()


# ``--plugins``: the plugins to enable; None = every installed one.
SELECTED_PLUGINS: list[str] | None = None


def plugin_names() -> list[str]:
    """The plugins the bot runs with: ``--plugins``, else every installed one (the built-ins
    come through the same entry point as a third-party plugin)."""
    if SELECTED_PLUGINS is not None:
        return list(SELECTED_PLUGINS)
    from bot.plugin import discover_plugins

    return sorted(discover_plugins())


async def core_counts(full: bool = True) -> dict[str, Any]:
    """What the run left in the database, read through the plugins' own models when they are
    there (a sanity check: a path that dropped its work would look fast). ``full=False``: the
    roster's size only."""
    out: dict[str, Any] = {}
    try:
        from bot.storage.models import RosterMember

        out["roster_rows"] = await RosterMember.all().count()
    except Exception as exc:
        out["roster_rows"] = f"n/a ({type(exc).__name__})"
    if not full:
        return out
    try:
        from plugins.points.models import LedgerEntry

        out["xp_awards"] = await LedgerEntry.filter(reason="activity").count()
    except Exception as exc:  # the plugin changed: report, do not fail the benchmark
        out["xp_awards"] = f"n/a ({type(exc).__name__})"
    try:
        from plugins.checkin.models import CheckIn

        out["checkins_recorded"] = await CheckIn.all().count()
    except Exception as exc:
        out["checkins_recorded"] = f"n/a ({type(exc).__name__})"
    try:
        from plugins.points.maintenance import find_mismatches

        out["ledger_consistent"] = not await find_mismatches()
    except Exception as exc:
        out["ledger_consistent"] = f"n/a ({type(exc).__name__})"
    return out


def _statement(query: Any) -> str:
    """A statement as the counter keys it: one line, its first 120 characters."""
    return " ".join(str(query).split())[:120]


class StatementCounter:
    """The SQL statements a run sends (each row of an ``execute_many`` counts once: it is one
    statement to the database), by their text: the issue compares paths by statements per
    message. Wraps the database client classes of SQLite and PostgreSQL for this process."""

    METHODS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many", "execute_script")

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def install(self) -> StatementCounter:
        from tortoise.backends.asyncpg import client as asyncpg
        from tortoise.backends.sqlite import client as sqlite

        # The transaction wrappers define some methods again (execute_many in SQLite's).
        classes = (
            sqlite.SqliteClient, sqlite.SqliteTransactionWrapper,
            asyncpg.AsyncpgDBClient, asyncpg.TransactionWrapper,
        )
        for cls in classes:
            for name in self.METHODS:
                original = cls.__dict__.get(name)
                if original is not None:
                    setattr(cls, name, self._counting(original, name == "execute_many"))
        from bot.storage.sqlite import InlineSqliteClient

        write_batch = InlineSqliteClient.write_batch
        counts = self.counts

        async def counted_batch(client: Any, statements: Any) -> bool:
            written = await write_batch(client, statements)
            if written:  # otherwise the ORM's way writes them, and is counted there
                for query, rows in statements:
                    counts[_statement(query)] += len(rows)
            return written

        InlineSqliteClient.write_batch = counted_batch  # type: ignore[method-assign]
        return self

    def _counting(self, original: Any, many: bool) -> Any:
        counts = self.counts

        async def counted(client: Any, query: str, values: Any = None, *args: Any, **kwargs: Any) -> Any:
            counts[_statement(query)] += len(values or ()) if many else 1
            if values is None:
                return await original(client, query, *args, **kwargs)
            return await original(client, query, values, *args, **kwargs)

        return counted

    def report(self, updates: int) -> dict[str, Any]:
        total = sum(self.counts.values())
        return {
            "statements": total,
            "statements_per_update": round(total / updates, 2) if updates else None,
            "statements_top": [[n, text] for text, n in self.counts.most_common(12)],
        }


def run_module(name: str, *args: str, timeout: float = 900) -> tuple[dict[str, Any], int] | None:
    """``python -m bench.<name> --json ...`` in a process of its own (a clean ORM): its figures
    (the last line of its output) and its exit status; None, said on the screen, when it gave
    no figures."""
    command = [sys.executable, "-m", f"bench.{name}", "--json", *args]
    print(f"  {name} ...", flush=True)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"    FAILED: no result within {timeout:g} s")
        return None
    last = (done.stdout.strip().splitlines() or [""])[-1]
    if not last.startswith("{"):
        print("    FAILED\n    " + "\n    ".join(done.stderr.strip().splitlines()[-15:]))
        return None
    return json.loads(last), done.returncode
