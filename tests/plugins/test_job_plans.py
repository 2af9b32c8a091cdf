"""The jobs that run every minute (and the daily housekeeping) find their rows by index: none
of them reads a table that grows with the members, their messages or their history. SQLite
plans without statistics (the bot never runs ANALYZE), so an empty database plans as a full
one does. Before the indexes of this test's commit, the ads sweep read every strike ever
recorded each minute (9 ms with 100,000), the onboarding sweep every form (6 + 61 ms)."""

from __future__ import annotations

import re

from tortoise.connection import connections

from bot.plugin import discover_plugins
from bot.testing import make_app

JOBS = [
    "ads.sweep", "broadcast.deliver", "checkin.sweep", "inactive.flush", "onboarding.sweep",
    "redpacket.sweep", "stats.flush", "core.housekeeping",
]
# Tables with a row per member, message, day of activity or anything members do. (Schedules,
# flood state per group, the outbox of replies waiting a few seconds: small by nature.)
GROWING = re.compile(
    r"SCAN (ads_strike|broadcast_delivery|checkin_\w+|core_(?:account|member|button|job_run|audit)"
    r"|inactive_\w+|onboarding_(?:session|profile)|points_\w+|redpacket\w*|stats_\w+)\b"
)


async def test_the_jobs_of_every_minute_read_no_growing_table_whole(tmp_path):
    app, _ = make_app(sorted(discover_plugins()), database_url=f"sqlite://{tmp_path}/bot.sqlite3")
    async with app:
        raw = connections.get("default")._connection._conn
        statements: dict[str, str] = {}
        for job in JOBS:
            raw.set_trace_callback(lambda sql, job=job: statements.setdefault(sql, job))
            try:
                await app.run_job(job)
            finally:
                raw.set_trace_callback(None)
        assert {job for job in statements.values()} >= {"ads.sweep", "onboarding.sweep", "core.housekeeping"}
        reads_whole = []
        for sql, job in statements.items():
            if sql.split()[0].upper() not in ("SELECT", "UPDATE", "DELETE"):
                continue
            plan = " | ".join(row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + sql).fetchall())
            if GROWING.search(plan):
                reads_whole.append(f"{job}: {' '.join(sql.split())[:120]} => {plan}")
        assert reads_whole == []
