"""The stats plugin's figures (part of ``make bench``; alone: ``python -m bench --stats-only`` or
``python -m bench.stats``).

1. **Message-path cost.** The real Telegram path (the bench's ``telegram-sqlite`` scenario: PTB,
   the adapter, the core, the plugins, SQLite) with every installed plugin, against the same
   plugins without stats. CPU time, not wall time, because the machine is shared: each set runs
   on the same workload twice, with ``n/4`` and ``n`` messages, in a child process of its own,
   and the difference of the children's CPU time over the difference in messages is what one
   message costs (start-up, the first imports and shutdown cancel out). Rounds alternate the two
   sets; the medians are compared. The children's events/s (wall) are reported beside.
   The difference is small against the noise of a shared machine, so the plugin's own cost is
   measured apart as well: its handler called as the dispatcher calls it, with its share of
   the minute flush, in CPU µs per message and as a share of the path without it.
   ``python -m bench.stats --instructions`` counts instructions instead (valgrind's callgrind):
   slow, but deterministic.
2. **Fleet chart.** 500 groups with 30 days of figures (a few to a few hundred messages a day,
   some with ads), counted through the plugin's own service and written by its flush; then a bot
   owner's ``/stats fleet`` on the console, timed end to end (queries, health classes, the chart,
   the reply), the chart alone, and ``/stats health``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).absolute().parent.parent
MESSAGES = 2000
ROUNDS = 3
HANDLER_MESSAGES = 50_000
FLEET_GROUPS = 500
FLEET_DAYS = 30


# -- 1. the message path with and without stats ---------------------------------------------------
def _child_cost(
    messages: int, plugins: list[str], instructions: bool = False
) -> tuple[float, dict[str, Any]]:
    """CPU seconds (or, ``instructions``, instructions counted by valgrind's callgrind) of one
    telegram-sqlite child on ``messages`` messages, and its result."""
    with tempfile.TemporaryDirectory(prefix="qunbot-bench-stats-") as tmp:
        out = Path(tmp) / "result.json"
        counted = Path(tmp) / "callgrind.out"
        command = [
            sys.executable, "-m", "bench", "--child", "telegram-sqlite", "--n", str(messages),
            "--budget", "0", "--plugins", ",".join(plugins), "--no-checks", "--no-warm-restart",
            "--result-file", str(out),
        ]
        if instructions:
            command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={counted}", *command]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=7200)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0 or not out.exists() or not out.stat().st_size:
            raise RuntimeError(f"telegram-sqlite child failed: {(proc.stderr or proc.stdout)[-2000:]}")
        result = json.loads(out.read_text())
        if instructions:
            totals = [line for line in counted.read_text(errors="replace").splitlines()
                      if line.startswith(("totals:", "summary:"))]
            return float(totals[0].split()[1]), result
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result


def message_path(
    messages: int = MESSAGES, rounds: int = ROUNDS, instructions: bool = False
) -> dict[str, Any]:
    from bench.common import plugin_names

    everything = plugin_names()
    if "stats" not in everything:
        everything = [*everything, "stats"]
    sets = {"with_stats": everything, "without_stats": [p for p in everything if p != "stats"]}
    small = max(200, messages // 4)
    per_message: dict[str, list[float]] = {name: [] for name in sets}
    wall: dict[str, list[float]] = {name: [] for name in sets}
    for round_no in range(rounds):
        order = list(sets) if round_no % 2 == 0 else list(sets)[::-1]
        for name in order:
            t0 = time.perf_counter()
            cost_small, result_small = _child_cost(small, sets[name], instructions)
            cost_large, result_large = _child_cost(messages, sets[name], instructions)
            done = result_large["updates"] - result_small["updates"]
            per_message[name].append((cost_large - cost_small) / done)
            wall[name].append(result_large.get("events_per_second") or 0)
            figure = (f"{per_message[name][-1] / 1e6:.2f} M instructions" if instructions
                      else f"{per_message[name][-1] * 1e6:,.0f} µs CPU")
            print(f"  stats bench [{round_no + 1}/{rounds}] {name}: {figure} a message, "
                  f"{wall[name][-1]} events/s ({time.perf_counter() - t0:.0f} s)", flush=True)
    with_stats = statistics.median(per_message["with_stats"])
    without = statistics.median(per_message["without_stats"])
    unit, scale = ("instructions", 1) if instructions else ("cpu_us", 1e6)
    return {
        "plugins_with_stats": sets["with_stats"],
        "messages": [small, messages],
        "rounds": rounds,
        f"{unit}_per_message_with_stats": round(with_stats * scale, 1),
        f"{unit}_per_message_without_stats": round(without * scale, 1),
        "stats_overhead_percent": round(100 * (with_stats - without) / without, 1),
        "events_per_second_with_stats": statistics.median(wall["with_stats"]),
        "events_per_second_without_stats": statistics.median(wall["without_stats"]),
        f"per_round_{unit}": {k: [round(v * scale, 1) for v in vs] for k, vs in per_message.items()},
    }


async def _handler_cost(messages: int, groups: int = 10, members: int = 200) -> dict[str, Any]:
    """CPU time the stats plugin adds to one message, measured on its own: the plugin's handler
    called as the dispatcher calls it (a Context for the plugin, the event's local time), the
    counting in memory, and its share of the minute flush (a message every 0.1 s of platform
    time, as in the workload: a flush every 600 messages). The events are made beforehand."""
    from bot import Channel, ChannelType, Guild, Message, MessageCreated, User
    from bot.testing import make_app
    from plugins.stats.handlers import count_event
    from plugins.stats.service import Stats

    with tempfile.TemporaryDirectory(prefix="qunbot-bench-stats-") as tmp:
        app, _console = make_app(["stats"], database_url=f"sqlite://{tmp}/path.sqlite3")
        async with app:
            start = app.clock.now()
            events = []
            for n in range(messages):
                guild = f"g{n % groups}"
                user = User(id=f"u{(n * 7919) % members}", name="member")
                events.append(MessageCreated(
                    platform="console", self_id="qunbot", timestamp=start + timedelta(seconds=n / 10),
                    guild=Guild(guild, guild), channel=Channel(guild, ChannelType.TEXT, guild), user=user,
                    message=Message(id=str(n), text="hello"),
                ))
            dispatcher = app._dispatcher  # the bench looks inside: what dispatch does per plugin
            contexts = {}
            for event in events[:groups]:
                group = await app._runtime.roster.group("console", event.guild.id, event.guild.name)
                contexts[event.guild.id] = (await dispatcher.context(event, group)).for_plugin("stats")
            stats_flush = app.scope("stats").service(Stats).flush
            cpu0, wall0 = time.process_time(), time.perf_counter()
            for n, event in enumerate(events):
                ctx = contexts[event.guild.id]
                ctx.event = event
                await count_event(ctx, event)
                if n % 600 == 599:
                    await stats_flush()
            await stats_flush()
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {"messages": messages, "cpu_us_per_message": round(cpu / messages * 1e6, 2),
            "wall_us_per_message": round(wall / messages * 1e6, 2)}


# -- 2. a fleet of 500 groups ----------------------------------------------------------------------
async def _fill_fleet(app: Any, console: Any, groups: int, days: int, seed: int = 5) -> dict[str, Any]:
    """Every group's month through the Stats service (in memory) and its flush (one batch a
    day of all groups): the plugin's own write path."""
    from bot import GroupRef
    from plugins.stats.service import Stats

    rng = random.Random(seed)
    names = [f"group-{n:03d}" for n in range(groups)]
    for name in names:  # the bot is in each: the roster knows them
        await console.run_line(f":group {name}")
    stats = app.scope("stats").service(Stats)
    tz_offset = timedelta(hours=8)
    start = app.clock.now() - timedelta(days=days)
    flush_seconds, rows, counted = 0.0, 0, 0
    shapes = []
    for _ in names:
        level = 10 ** rng.uniform(0.2, 2.6)  # about 2 to 400 messages a day
        shapes.append((level, max(2, int(level ** 0.7)), rng.random() < 0.1))
    for day in range(days):
        local_day = (start + timedelta(days=day) + tz_offset).replace(tzinfo=None)
        for name, (level, members, ads) in zip(names, shapes, strict=True):
            group = GroupRef("console", name, name, name)
            for _ in range(int(rng.gauss(level, level / 4)) if level > 4 else rng.randint(0, 5)):
                hour = rng.choice((8, 9, 9, 12, 13, 18, 20, 21, 21, 21, 22, 23))
                stats.message(group, f"u{rng.randrange(members)}", local_day.replace(hour=hour))
                counted += 1
            if rng.random() < 0.3:
                stats.add(group, "joins", rng.randint(1, 4), local_day.replace(hour=10))
            if ads:
                removed = rng.randint(0, int(level / 5) + 2)
                stats.add(group, "ads_removed", removed, local_day.replace(hour=11))
        t0 = time.perf_counter()
        rows += await stats.flush()
        flush_seconds += time.perf_counter() - t0
    return {"messages_counted": counted, "rows_written": rows, "flush_seconds": round(flush_seconds, 2),
            "rows_per_second": round(rows / flush_seconds) if flush_seconds else None}


async def _fleet(groups: int = FLEET_GROUPS, days: int = FLEET_DAYS) -> dict[str, Any]:
    from bot.testing import ChatDriver, make_app
    from plugins.stats import charts
    from plugins.stats.config import StatsConfig
    from plugins.stats.fleet import fleet_health

    with tempfile.TemporaryDirectory(prefix="qunbot-bench-fleet-") as tmp:
        app, console = make_app(
            ["stats"], {"bot": {"owners": ["console:boss"], "locale": "en"}},
            database_url=f"sqlite://{tmp}/fleet.sqlite3", start=datetime(2026, 4, 1, 1, tzinfo=UTC),
        )
        console.files_dir = Path(tmp) / "charts"
        async with app:
            filled = await _fill_fleet(app, console, groups, days)
            fake = ChatDriver(app, console)
            await fake.say(":group hq")
            t0 = time.perf_counter()
            await fake.say("boss: /stats fleet")
            command_s = time.perf_counter() - t0
            reply = fake.outputs[-1]
            chart = reply.files[0] if reply.files else None
            scope = app.scope("stats")
            t0 = time.perf_counter()
            health = await fleet_health(scope, scope.config or StatsConfig())
            query_s = time.perf_counter() - t0
            points = [(g.ref.name, g.health.speakers, g.health.messages, g.health.cls) for g in health]
            classes = {"high": "high-value", "general": "general", "spam": "spam-ridden", "dead": "dead"}
            t0 = time.perf_counter()
            png = charts.fleet_chart(points, title="fleet", xlabel="speakers a day",
                                     ylabel="messages a day", classes=classes, labelled=15)
            draw_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            await fake.say("boss: /stats health")
            health_s = time.perf_counter() - t0
            by_class: dict[str, int] = {}
            for g in health:
                by_class[g.health.cls] = by_class.get(g.health.cls, 0) + 1
            return {
                "groups": len(health), "days": days, **filled,
                "fleet_command_s": round(command_s, 3), "fleet_queries_and_classes_s": round(query_s, 3),
                "fleet_chart_draw_s": round(draw_s, 3), "fleet_chart_png_bytes": len(png),
                "health_command_s": round(health_s, 3), "classes": by_class,
                "chart_sent": bool(chart and chart.read_bytes().startswith(b"\x89PNG")),
            }


def fleet(groups: int = FLEET_GROUPS, days: int = FLEET_DAYS) -> dict[str, Any]:
    return asyncio.run(_fleet(groups, days))


# -- the whole ------------------------------------------------------------------------------------
def run(messages: int = MESSAGES, rounds: int = ROUNDS, groups: int = FLEET_GROUPS) -> dict[str, Any]:
    """Both figures, printed as they come; returns them for bench/results.json (``stats``)."""
    print(f"\nstats plugin: message path with and without it ({rounds} rounds of {messages} messages), "
          f"then a fleet of {groups} groups", flush=True)
    figures: dict[str, Any] = {"message_path": message_path(messages, rounds)}
    path = figures["message_path"]
    print(f"  message path: {path['cpu_us_per_message_with_stats']:,} µs CPU with stats, "
          f"{path['cpu_us_per_message_without_stats']:,} µs without: "
          f"{path['stats_overhead_percent']:+}% (aim: under +10%)", flush=True)
    handler = asyncio.run(_handler_cost(HANDLER_MESSAGES))
    handler["share_of_path_percent"] = round(
        100 * handler["cpu_us_per_message"] / path["cpu_us_per_message_without_stats"], 2
    )
    figures["handler"] = handler
    print(f"  the stats plugin alone: {handler['cpu_us_per_message']} µs CPU a message (handler, "
          f"counting, its share of the minute flush): {handler['share_of_path_percent']}% of the path",
          flush=True)
    figures["fleet"] = fleet(groups)
    f = figures["fleet"]
    print(f"  fleet of {f['groups']} groups x {f['days']} days ({f['messages_counted']:,} messages, "
          f"{f['rows_written']:,} rows flushed at {f['rows_per_second']:,} rows/s): /stats fleet "
          f"{f['fleet_command_s']} s (queries and classes {f['fleet_queries_and_classes_s']} s, "
          f"chart {f['fleet_chart_draw_s']} s), /stats health {f['health_command_s']} s", flush=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stats", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=MESSAGES)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--groups", type=int, default=FLEET_GROUPS)
    parser.add_argument("--fleet-only", action="store_true", help="skip the message-path runs")
    parser.add_argument(
        "--instructions", action="store_true",
        help="the message path with and without stats in instructions (valgrind's callgrind, ~50x "
        "slower, deterministic: a shared machine's noise does not move it); one round by default",
    )
    args = parser.parse_args(argv)
    if args.instructions:
        figures = message_path(args.messages, 1 if args.rounds == ROUNDS else args.rounds, instructions=True)
        print(json.dumps(figures, indent=2))
        return 0
    if args.fleet_only:
        print(json.dumps(fleet(args.groups), indent=2))
        return 0
    print(json.dumps(run(args.messages, args.rounds, args.groups), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
