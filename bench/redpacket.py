"""Red packets under a rush: 200 members press Grab on a 10-share packet at once, packet after
packet, through the whole press path (the core's button lookup, the eligibility checks, the
claim and its ledger entry, the finishing and the coalesced edits) on SQLite (a WAL file) and
on PostgreSQL. Reports presses handled per second, shares granted per second and the press
latency (p50/p99), and checks that every packet ended with exactly its shares granted.

``python -m bench.redpacket`` on its own (``--json`` for the figures), or as part of
``make bench``. PostgreSQL runs when ``--pg-url`` / ``$QUNBOT_TEST_PG_URL`` is set: in the
benchmark's own database ``qunbot_bench`` on that server, or the given database itself with
``--as-given`` (emptied first).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import bench_database, latency, run_module
from bot import ButtonClicked, Channel, ChannelType, GroupRef, Guild, MemberRef, User
from bot.testing.driver import make_app
from plugins.points import Points
from plugins.points.maintenance import find_mismatches
from plugins.redpacket import plugin as redpacket
from plugins.redpacket.models import FINISHED, RedPacket, RedPacketShare

__all__ = ["measure", "run"]

MEMBERS, PACKETS, SHARES, TOTAL = 200, 10, 10, 100
CONFIG = {
    # One sender sends every packet, faster than a member may send commands.
    "bot": {"locale": "en", "command_rate": 1000},
    "plugins": {"points": {"activity_points": "none", "announce_level_up": False}},
}


def _press(app: Any, user: str, button_id: str) -> ButtonClicked:
    return ButtonClicked(
        platform="console", self_id="qunbot", timestamp=app.clock.now(), guild=Guild("lobby", "lobby"),
        channel=Channel("lobby", ChannelType.TEXT, "lobby"), user=User(id=user, name=user, username=user),
        button_id=button_id,
    )


async def measure(database_url: str, members: int = MEMBERS, packets: int = PACKETS) -> dict[str, Any]:
    """``packets`` packets one after the other, each pressed by ``members`` members at once."""
    app, console = make_app([redpacket], CONFIG, database_url=database_url)
    await app.start()
    try:
        users = [f"m{i:03d}" for i in range(members)]
        for user in users:
            await console.run_line(f"+{user}")
        console._group("lobby").admins.add("alice")
        await console.run_line(f"alice: /points give @alice {TOTAL * packets} fund")
        samples: list[int] = []
        elapsed = 0.0

        async def press(user: str, button_id: str) -> None:
            started = time.perf_counter_ns()
            await app.dispatch(_press(app, user, button_id))
            samples.append(time.perf_counter_ns() - started)

        for _ in range(packets):
            sent = await console.run_line(f"alice: /redpacket {TOTAL} {SHARES}")
            button_id = next(o.button_ids["Grab"] for o in sent if "Grab" in o.button_ids)
            started = time.perf_counter()
            await asyncio.gather(*(press(user, button_id) for user in users))
            elapsed += time.perf_counter() - started
        granted = await RedPacketShare.filter(member_id__isnull=False).count()
        points = app.scope("points").service(Points)
        lobby = GroupRef("console", "lobby", "lobby")
        balances = [await points.balance(MemberRef("console", user, lobby)) for user in users]
        exact = (
            granted == SHARES * packets
            and await RedPacket.filter(status=FINISHED).count() == packets
            and sum(balances) == TOTAL * packets
            and await points.balance(MemberRef("console", "alice", lobby)) == 0
            and await find_mismatches() == []
        )
    finally:
        await app.stop()
    return {
        "members": members,
        "packets": packets,
        "presses": members * packets,
        "seconds": round(elapsed, 3),
        "presses_per_second": round(members * packets / elapsed, 1),
        "grants_per_second": round(granted / elapsed, 1),
        **latency(samples, "press_"),
        "exact": exact,
    }


async def _empty(url: str) -> str:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()
    return url


async def _all(pg_url: str, as_given: bool, members: int, packets: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="qunbot-bench-redpacket-") as folder:
        results["sqlite"] = await measure(f"sqlite://{Path(folder) / 'bench.sqlite3'}", members, packets)
    if pg_url:
        url = await (_empty(pg_url) if as_given else bench_database(pg_url))
        results["postgresql"] = await measure(url, members, packets)
    return results


def _line(database: str, figures: dict[str, Any]) -> str:
    return (
        f"  redpacket-{database}: {figures['presses_per_second']} presses/s, "
        f"{figures['grants_per_second']} shares granted/s, press p50 {figures.get('press_p50_ms')} ms "
        f"p99 {figures.get('press_p99_ms')} ms ({figures['members']} members racing for "
        f"{SHARES} shares, {figures['packets']} packets){'' if figures['exact'] else '  NOT EXACT'}"
    )


def run(pg_url: str) -> dict[str, Any]:
    """For ``python -m bench``: the measurement in a process of its own, its lines printed; the
    figures by database (empty when it failed)."""
    ran = run_module("redpacket", "--pg-url", pg_url)
    if ran is None:
        return {}
    figures, status = ran
    for database, values in figures.items():
        print(_line(database, values))
    # A packet that did not end exact is a failure of the run, not a figure.
    return figures if status == 0 else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.redpacket", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--packets", type=int, default=PACKETS)
    parser.add_argument("--pg-url", default=os.environ.get("QUNBOT_TEST_PG_URL", ""))
    parser.add_argument("--as-given", action="store_true", help="use (and empty) the --pg-url database")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    args = parser.parse_args(argv)
    figures = asyncio.run(_all(args.pg_url, args.as_given, args.members, args.packets))
    if args.json:
        print(json.dumps(figures))
    else:
        for database, values in figures.items():
            print(_line(database, values))
    return 0 if all(values["exact"] for values in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
