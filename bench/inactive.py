"""Preview time of the inactive plugin in a 100,000-member group (``python -m bench.inactive``,
and the ``inactive-preview`` scenario of ``make bench``).

A group's roster is filled with 100,000 members of every kind (active, quiet, lurkers,
newcomers, bots, an allow-list) and 30 days of daily message counts, the counting session is
dated back so the messages rule may select, and an admin runs ``/inactive preview`` on the
console: the whole command (roster read, counts summed over the window, selection, the live
checks of the chosen, the rows written, the message and its CSV). The parts are timed apart too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import timedelta
from typing import Any

MEMBERS = 100_000
CONFIG = {
    "bot": {"locale": "en"},
    "plugins": {"inactive": {"min_messages": 3, "messages_days": 30, "max_per_run": 50}},
}


async def _fill(app: Any, members: int, seed: int = 11) -> dict[str, int]:
    """Roster rows, daily counts, first sightings and an allow-list for the console's group."""
    from bot.storage.models import RosterMember
    from plugins.inactive.models import CountingSession, DayCount, FirstCounted, Protected

    rng = random.Random(seed)
    now = app.clock.now()
    kinds = {"active": 0, "quiet": 0, "lurker": 0, "new": 0, "bot": 0}
    roster, days, first, allowed = [], [], [], []
    for n in range(members):
        kind = rng.choices(list(kinds), weights=(40, 20, 33, 5, 2))[0]
        kinds[kind] += 1
        user = str(1_000_000 + n)
        seen = {
            "active": rng.uniform(0, 10), "quiet": rng.uniform(10, 29), "lurker": rng.uniform(31, 400),
            "new": rng.uniform(0, 6), "bot": rng.uniform(40, 400),
        }[kind]
        joined = now - timedelta(days=seen) if kind == "new" else None
        roster.append(
            RosterMember(
                platform="console", guild_id="lobby", user_id=user, name=f"member{n}", joined_at=joined,
                last_active_at=now - timedelta(days=seen), message_count=rng.randint(0, 500),
                is_bot=kind == "bot",
            )
        )
        first.append(
            FirstCounted(platform="console", guild_id="lobby", user_id=user, at=now - timedelta(days=60))
        )
        if kind in ("active", "quiet"):
            for back in rng.sample(range(int(seen), 30), k=min(3, 30 - int(seen))):
                day = (now - timedelta(days=back)).date()
                days.append(
                    DayCount(platform="console", guild_id="lobby", day=day, user_id=user,
                             messages=rng.randint(1, 4))
                )
        if n % 1000 == 0:
            allowed.append(Protected(platform="console", guild_id="lobby", user_id=user, added_at=now))
    tables = ((RosterMember, roster), (DayCount, days), (FirstCounted, first), (Protected, allowed))
    for model, rows in tables:
        await model.bulk_create(rows, batch_size=5_000)
    # The counts are taken for complete since well before the window (a bot counting for months).
    await CountingSession.filter(ended_at=None).update(since=now - timedelta(days=90))
    return {**kinds, "day_rows": len(days)}


async def measure(members: int = MEMBERS, database_url: str | None = None) -> dict[str, Any]:
    from bench.common import memory
    from bot.testing import make_app
    from bot.testing.driver import ChatDriver
    from plugins.inactive.evidence import gather
    from plugins.inactive.protection import excluded_ids, removed_members
    from plugins.inactive.rules import select
    from plugins.inactive.sweeps import settings_of

    with tempfile.TemporaryDirectory(prefix="qunbot-bench-inactive-") as tmp:
        url = database_url or f"sqlite://{tmp}/inactive.sqlite3"
        app, console = make_app(["inactive"], CONFIG, database_url=url)
        await app.start()
        try:
            fake = ChatDriver(app, console)
            fake.admin("alice")
            await fake.say(":locale en", "alice: hi")
            t0 = time.perf_counter()
            filled = await _fill(app, members)
            fill_s = time.perf_counter() - t0

            scope = app.scope("inactive")
            group = (await scope.roster.groups("console"))[0].ref
            settings = settings_of(scope, group)
            info = await scope.roster.group(group)
            t0 = time.perf_counter()
            entries = await scope.roster.members(group)
            roster_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            evidence = await gather(scope, group, settings, info.timezone)
            evidence_s = time.perf_counter() - t0
            excluded, removed = await excluded_ids(scope, group), await removed_members(group)
            t0 = time.perf_counter()
            selection = select(
                entries, settings, scope.now, group_id=group.id, excluded=excluded, removed=removed,
                evidence=evidence,
            )
            select_s = time.perf_counter() - t0

            timings, cpu = [], []
            for _ in range(2):  # a second preview replaces the first (warm caches)
                t0, c0 = time.perf_counter(), time.process_time()
                [preview] = await fake.play(["alice: /inactive preview"])
                timings.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            assert "would be removed" in preview.text, preview.text
        finally:
            await app.stop()
    return {
        "members": members,
        "roster_rows_read": len(entries),
        "selected_by_rules": len(selection.by_rule),
        "preview_s": round(timings[0], 3),
        "preview_again_s": round(timings[1], 3),
        # CPU time of this process: steadier than wall time on a shared machine.
        "preview_cpu_s": round(cpu[0], 3),
        "roster_read_s": round(roster_s, 3),
        "evidence_s": round(evidence_s, 3),
        "select_s": round(select_s, 3),
        "fill_s": round(fill_s, 1),
        "database": "postgresql" if database_url else "sqlite",
        **{f"kind_{k}": v for k, v in filled.items()},
        **memory(),
    }


async def _run(members: int, pg_url: str) -> dict[str, Any]:
    if not pg_url:
        return await measure(members)
    from bench.common import bench_database

    return await measure(members, await bench_database(pg_url))  # the bench's own, emptied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inactive", description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--pg-url", default="", help="a PostgreSQL URL (default: a SQLite file)")
    args = parser.parse_args(argv)
    result = asyncio.run(_run(args.members, args.pg_url))
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
