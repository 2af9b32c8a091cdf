"""``python -m bench``: the message path under load.

20,000 messages from 200 members in 10 groups, built as the console adapter builds its events,
go through the whole pipeline — ``App.dispatch`` (core: roster, context, hooks) → the points
plugin's XP rules → the database — on a SQLite file in a temporary directory, and on
PostgreSQL when ``QUNBOT_TEST_PG_URL`` is set (in a database of its own, ``qunbot_bench``, so a
test run on the same server is not disturbed). The platform clock moves 0.1 s per message, a
busy community of 10 messages a second, so members hit the 60 s cooldown the way they do in
real groups. Prints a table and writes bench/results.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bot.events import Channel, ChannelType, Guild, Message, MessageCreated, User
from bot.testing import make_app
from bot.testing.driver import DEFAULT_START

MESSAGES = 20_000
MEMBERS = 200
GROUPS = 10
STEP = timedelta(milliseconds=100)
RESULTS = Path(__file__).with_name("results.json")
WORDS = "hello 你好 today build release bot points level 大家 早上好 meeting coffee python".split()


def build_events(seed: int = 7) -> list[MessageCreated]:
    """Members mostly talk in their home group, sometimes elsewhere; one in ten messages is too
    short to count."""
    rng = random.Random(seed)
    events = []
    at = DEFAULT_START
    for n in range(MESSAGES):
        member = rng.randrange(MEMBERS)
        group = member % GROUPS if rng.random() < 0.8 else rng.randrange(GROUPS)
        text = "ok" if rng.random() < 0.1 else " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 12)))
        name, guild = f"member{member}", f"group{group}"
        at += STEP
        events.append(
            MessageCreated(
                platform="console",
                self_id="qunbot",
                timestamp=at,
                guild=Guild(guild, guild),
                channel=Channel(guild, ChannelType.TEXT, guild),
                user=User(id=name, name=name, username=name, locale="zh"),
                locale="zh",
                message=Message(id=str(n + 1), text=text, created_at=at),
            )
        )
    return events


async def run(label: str, database_url: str, events: list[MessageCreated], lanes: bool = False) -> dict:
    """Dispatch every event and measure. ``lanes``: one lane per group running side by side, as
    the Telegram adapter handles chats (in order within a chat, chats concurrently); otherwise
    one event at a time."""
    from plugins.points.maintenance import find_mismatches
    from plugins.points.models import LedgerEntry

    app, console = make_app(["points"], database_url=database_url)
    await app.start()
    latencies: list[int] = []

    async def play(queue: list[MessageCreated]) -> None:
        for event in queue:
            if not lanes:
                console.clock.set(event.timestamp)
            t0 = time.perf_counter_ns()
            await app.dispatch(event)
            latencies.append(time.perf_counter_ns() - t0)

    try:
        started = time.perf_counter()
        if lanes:
            console.clock.set(events[-1].timestamp)
            by_group: dict[str, list[MessageCreated]] = {}
            for event in events:
                by_group.setdefault(event.guild.id if event.guild else "", []).append(event)
            await asyncio.gather(*(play(queue) for queue in by_group.values()))
        else:
            await play(events)
        await app.roster.flush()
        elapsed = time.perf_counter() - started
        awards = await LedgerEntry.filter(reason="activity").count()
        problems = await find_mismatches()
    finally:
        await app.stop()
    latencies.sort()
    return {
        "database": label,
        "messages": len(events),
        "awards": awards,
        "level_up_messages": len(console.outputs),
        "ledger_consistent": not problems,
        "seconds": round(elapsed, 3),
        "events_per_second": round(len(events) / elapsed),
        "p50_ms": round(latencies[len(latencies) // 2] / 1e6, 3),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] / 1e6, 3),
        "mean_ms": round(statistics.fmean(latencies) / 1e6, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


async def bench_database(url: str) -> str:
    """A database of the benchmark's own on the same server, emptied; the given one if the
    server refuses to create it."""
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


def table(results: list[dict]) -> str:
    head = f"{'database':<24}{'events/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'awards':>8}{'RSS MB':>9}  ledger"
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r['database']:<24}{r['events_per_second']:>10}{r['p50_ms']:>9}{r['p99_ms']:>9}"
            f"{r['awards']:>8}{r['peak_rss_mb']:>9}  {'ok' if r['ledger_consistent'] else 'MISMATCH'}"
        )
    return "\n".join(lines)


async def main() -> int:
    events = build_events()
    results = []
    with tempfile.TemporaryDirectory(prefix="qunbot-bench-") as tmp:
        # The default (WAL, synchronous=NORMAL: commits survive a crash of the bot), and the
        # opt-in that also survives a power loss by waiting for the disk on every commit.
        results.append(await run("sqlite", f"sqlite://{tmp}/bench.sqlite3", events))
        results.append(await run("sqlite, group lanes", f"sqlite://{tmp}/lanes.sqlite3", events, lanes=True))
        results.append(await run("sqlite-sync-full", f"sqlite://{tmp}/full.sqlite3?synchronous=FULL", events))
    pg = os.environ.get("QUNBOT_TEST_PG_URL")
    if pg:
        results.append(await run("postgresql", await bench_database(pg), events))
        results.append(await run("postgresql, group lanes", await bench_database(pg), events, lanes=True))
    print(f"{MESSAGES} messages, {MEMBERS} members, {GROUPS} groups, one message every "
          f"{STEP.total_seconds()} s of platform time (peak RSS is the process's, cumulative)")
    print(table(results))
    RESULTS.write_text(json.dumps({"python": sys.version.split()[0], "results": results}, indent=2) + "\n")
    print(f"wrote {RESULTS}")
    return 0 if all(r["ledger_consistent"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
