"""``python -m bench`` (``make bench``): the real message path under load, next to bare
python-telegram-bot and bare discord.py fed the same updates. See bench/README.md.

Every scenario runs in a process of its own (a clean peak RSS, a clean ORM), started by this
one, which prints the table and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("results.json")
ROOT = Path(__file__).absolute().parent.parent


@dataclass(frozen=True)
class Scenario:
    name: str
    platform: str  # telegram | discord
    kind: str  # bare | qunbot | roster | restart
    database: str = ""  # sqlite | pg
    mode: str = "sequential"  # sequential | lanes | tasks
    budgeted: bool = True
    what: str = ""


SCENARIOS = [
    Scenario(
        "bare-ptb",
        "telegram",
        "bare",
        budgeted=False,
        what="python-telegram-bot Application, one handler doing nothing",
    ),
    Scenario(
        "telegram-sqlite",
        "telegram",
        "qunbot",
        "sqlite",
        budgeted=False,
        what="qunbot on Telegram, SQLite WAL, one update at a time",
    ),
    Scenario(
        "bare-discord", "discord", "bare", budgeted=False, what="discord.py Client, on_message doing nothing"
    ),
    Scenario(
        "discord-sqlite",
        "discord",
        "qunbot",
        "sqlite",
        what="qunbot on Discord, SQLite WAL, one event at a time",
    ),
    Scenario(
        "discord-sqlite-tasks",
        "discord",
        "qunbot",
        "sqlite",
        "tasks",
        what="qunbot on Discord, SQLite, a task per event (discord.py's way)",
    ),
    Scenario(
        "telegram-sqlite-lanes",
        "telegram",
        "qunbot",
        "sqlite",
        "lanes",
        what="qunbot on Telegram, SQLite, one lane per chat (production)",
    ),
    Scenario(
        "telegram-pg", "telegram", "qunbot", "pg", what="qunbot on Telegram, PostgreSQL, one update at a time"
    ),
    Scenario(
        "telegram-pg-lanes",
        "telegram",
        "qunbot",
        "pg",
        "lanes",
        what="qunbot on Telegram, PostgreSQL, one lane per chat",
    ),
    Scenario(
        "roster",
        "telegram",
        "roster",
        "sqlite",
        "lanes",
        what="100,000 members each send one message (lanes); RSS as the roster grows",
    ),
    Scenario(
        "inactive-preview",
        "console",
        "inactive",
        "sqlite",
        budgeted=False,
        what="/inactive preview in a 100,000-member group, every kind of member (bench/inactive.py)",
    ),
    Scenario(
        "roster-restart",
        "telegram",
        "restart",
        "sqlite",
        budgeted=False,
        what="start-up on the roster run's database",
    ),
]
BY_NAME = {s.name: s for s in SCENARIOS}

# The targets (#11), checked in the summary.
TARGETS = {
    "telegram_vs_bare_ptb": 0.5,
    "pg_vs_sqlite_slowdown": 1.5,
    "p99_ms": 2.0,
    "start_to_ready_s": 1.0,
    "rss_100k_roster_mb": 150.0,
    "instructions_per_event": 1.5e6,
}


# -- the child: one scenario ---------------------------------------------------------------------


async def run_child(args: argparse.Namespace) -> dict[str, Any]:
    from bench import common, discord_path, telegram_path
    from bench.common import LogCounter, bench_database, plugin_names, rss_mb
    from bench.telegram_path import Feed
    from bench.workload import (
        RosterUpdates,
        build_conversation,
        discord_payloads,
        roster_conversation,
        telegram_updates,
    )

    scenario = BY_NAME[args.child]
    if scenario.kind == "inactive":
        from bench import inactive

        return {"scenario": scenario.name, "what": scenario.what, **await inactive.measure()}
    if args.plugins:
        common.SELECTED_PLUGINS = [p.strip() for p in args.plugins.split(",") if p.strip()]
    log = LogCounter.install()
    budget = args.budget if scenario.budgeted else 0.0
    base: dict[str, Any] = {"scenario": scenario.name, "what": scenario.what}

    async def database(tmp: str) -> str:
        if scenario.database == "pg":
            return await bench_database(args.pg_url)
        return f"sqlite://{tmp}/{scenario.name}.sqlite3"  # a new database every run

    if scenario.kind in ("roster", "restart"):
        conv = roster_conversation(args.roster, args.groups)  # its updates are made on demand
    else:
        conv = build_conversation(args.n, args.members, args.groups, args.checkin_rate, args.joins)
    base["workload"] = conv.stats
    base["plugins"] = plugin_names() if scenario.kind != "bare" else []
    feed_count = args.feed or 10**9
    with tempfile.TemporaryDirectory(prefix="qunbot-bench-") as tmp:
        if scenario.kind == "restart":
            if not args.db_dir:
                raise SystemExit("roster-restart needs --db-dir: the directory of the roster run's database")
            url = f"sqlite://{args.db_dir}/roster.sqlite3"
            result = await telegram_path.start_only(conv, url)
        elif scenario.kind == "roster":
            rss_samples: list[tuple[int, float | None]] = []
            feed = Feed(
                feed_count,
                budget=args.roster_budget,
                sample_every=max(100, min(1000, args.roster // 100)),
                sample=lambda done: rss_samples.append((done, rss_mb())),
            )
            updates = RosterUpdates(args.roster, args.groups)
            url = f"sqlite://{args.db_dir or tmp}/roster.sqlite3"
            result = await telegram_path.run_qunbot(
                conv, updates, url, feed, mode="lanes", batch=args.batch, warm_restart=False, checks=False
            )
            result["rss_samples"] = rss_samples
            result.update(_roster_estimate(rss_samples, result, args.roster))
        elif scenario.platform == "telegram":
            updates = telegram_updates(conv)
            feed = Feed(feed_count, budget=budget, profile=args.profile)
            if scenario.kind == "bare":
                result = await telegram_path.run_bare(updates, feed)
            else:
                result = await telegram_path.run_qunbot(
                    conv,
                    updates,
                    await database(tmp),
                    feed,
                    mode=scenario.mode,
                    batch=args.batch,
                    warm_restart=not args.no_warm_restart and scenario.mode == "sequential",
                    checks=not args.no_checks,
                )
        else:
            payloads = discord_payloads(conv)
            feed = Feed(feed_count, budget=budget, profile=args.profile)
            if scenario.kind == "bare":
                result = await discord_path.run_bare(conv, payloads, feed)
            else:
                result = await discord_path.run_qunbot(
                    conv,
                    payloads,
                    await database(tmp),
                    feed,
                    mode=scenario.mode,
                    batch=args.batch,
                    checks=not args.no_checks,
                )
    return {**base, **result, **log.report()}


def _roster_estimate(
    samples: list[tuple[int, float | None]], result: dict[str, Any], target: int
) -> dict[str, Any]:
    """RSS with ``target`` members seen: measured when the run got there, else extrapolated
    along a straight line through the RSS samples (caches grow per member seen)."""
    seen = result.get("updates", 0)
    rss = result.get("rss_mb")
    base = result.get("rss_before_start_mb")
    growth = round(rss - base, 1) if rss is not None and base is not None else None
    if seen >= target:
        return {
            "members_seen": seen,
            "rss_growth_mb": growth,
            "rss_at_target_mb": rss,
            "rss_at_target_extrapolated": False,
        }
    # After the first tenth (imports and caches that fill once), a straight line: conservative,
    # since freed memory the allocator reuses flattens the later samples.
    points = [(n, r) for n, r in samples if r is not None and n >= seen // 10]
    if len(points) < 2 or rss is None:
        return {"members_seen": seen, "rss_at_target_mb": None, "rss_at_target_extrapolated": None}
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    slope, _ = statistics.linear_regression(xs, ys)
    estimate = rss + max(0.0, slope) * (target - seen)
    return {
        "members_seen": seen,
        "rss_growth_mb": growth,
        "rss_mb_per_10k_members": round(slope * 10_000, 2),
        "rss_at_target_mb": round(estimate, 1),
        "rss_at_target_extrapolated": True,
    }


# -- the parent ----------------------------------------------------------------------------------


def _child_command(
    args: argparse.Namespace, name: str, *, feed: int = 0, extra: list[str] | None = None
) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "bench",
        "--child",
        name,
        "--n",
        str(args.n),
        "--members",
        str(args.members),
        "--groups",
        str(args.groups),
        "--checkin-rate",
        str(args.checkin_rate),
        "--joins",
        str(args.joins),
        "--budget",
        str(args.budget),
        "--batch",
        str(args.batch),
        "--roster",
        str(args.roster),
        "--roster-budget",
        str(args.roster_budget),
    ]
    if args.plugins:
        command += ["--plugins", args.plugins]
    if feed:
        command += ["--feed", str(feed)]
    if args.pg_url:
        command += ["--pg-url", args.pg_url]
    if args.db_dir:
        command += ["--db-dir", args.db_dir]
    return command + (extra or [])


def _run_child(
    command: list[str], timeout: float, prefix: list[str] | None = None
) -> tuple[dict[str, Any] | None, str]:
    with tempfile.NamedTemporaryFile(prefix="qunbot-bench-", suffix=".json", delete=False) as handle:
        out = handle.name
    try:
        full = (prefix or []) + command + ["--result-file", out]
        try:
            proc = subprocess.run(full, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            return None, f"timed out after {timeout:.0f} s\n{exc.stderr or ''}"
        text = Path(out).read_text() if os.path.getsize(out) else ""
        if proc.returncode != 0 or not text:
            return None, (proc.stderr or proc.stdout)[-4000:]
        return json.loads(text), proc.stderr
    finally:
        os.unlink(out)


def _git() -> dict[str, Any]:
    def git(*words: str) -> str:
        try:
            return subprocess.run(
                ["git", *words], cwd=ROOT, capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--", "bot", "plugins")),
    }


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("python-telegram-bot", "discord.py", "tortoise-orm", "aiosqlite", "asyncpg"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def _prefix_seconds(result: dict[str, Any], k: int) -> float | None:
    for done, seconds in result.get("progress") or []:
        if done == k:
            return seconds
    return None


def _same_prefix(a: dict[str, Any], b: dict[str, Any]) -> tuple[int, float, float] | None:
    """Events/s of ``a`` and ``b`` over the same first k updates (k: the longest prefix both
    recorded), so a run cut short by its budget is compared with like."""
    done_a = {d for d, _ in a.get("progress") or []}
    common = sorted(done_a & {d for d, _ in b.get("progress") or []})
    if not common:
        return None
    k = common[-1]
    ta, tb = _prefix_seconds(a, k), _prefix_seconds(b, k)
    if not ta or not tb:
        return None
    return k, k / ta, k / tb


def _median(results: list[dict[str, Any]]) -> dict[str, Any]:
    ranked = sorted(results, key=lambda r: r.get("events_per_second") or 0)
    return ranked[len(ranked) // 2]


def summarize(chosen: dict[str, dict[str, Any]], callgrind: dict[str, Any] | None) -> dict[str, Any]:
    s: dict[str, Any] = {}
    bare, tg = chosen.get("bare-ptb"), chosen.get("telegram-sqlite")
    if bare and tg:
        pair = _same_prefix(tg, bare)
        s["telegram_vs_bare_ptb"] = round(pair[1] / pair[2], 3) if pair else None
        s["telegram_vs_bare_ptb_over"] = pair[0] if pair else None
    if tg:
        s["telegram_p50_ms"], s["telegram_p99_ms"] = tg.get("p50_ms"), tg.get("p99_ms")
        s["start_to_ready_cold_s"] = tg.get("startup_s")
        s["start_to_ready_warm_s"] = tg.get("warm_startup_s")
        s["telegram_statements_per_update"] = tg.get("statements_per_update")
    for name in ("telegram-sqlite-lanes", "telegram-pg", "telegram-pg-lanes"):
        other = chosen.get(name)
        if tg and other:
            pair = _same_prefix(other, tg)
            if pair:
                key = name.replace("telegram-", "").replace("-", "_")
                s[f"{key}_vs_telegram_sqlite"] = round(pair[1] / pair[2], 3)
                s[f"{key}_vs_telegram_sqlite_over"] = pair[0]
    if "pg_vs_telegram_sqlite" in s:
        s["pg_vs_sqlite_slowdown"] = round(1 / s["pg_vs_telegram_sqlite"], 2)
    if chosen.get("telegram-pg"):
        s["pg_disk_flushes_per_update"] = chosen["telegram-pg"].get("disk_flushes_per_update")
    dbare, dc = chosen.get("bare-discord"), chosen.get("discord-sqlite")
    if dbare and dc:
        pair = _same_prefix(dc, dbare)
        s["discord_vs_bare_discord"] = round(pair[1] / pair[2], 3) if pair else None
        s["discord_vs_bare_discord_over"] = pair[0] if pair else None
    peaks = [r.get("peak_rss_mb") for n, r in chosen.items() if BY_NAME[n].kind == "qunbot"]
    peaks = [p for p in peaks if p is not None]
    if peaks:
        s["peak_rss_mb"] = max(peaks)
    roster = chosen.get("roster")
    if roster:
        s["rss_100k_roster_mb"] = roster.get("rss_at_target_mb")
        s["rss_100k_roster_extrapolated"] = roster.get("rss_at_target_extrapolated")
        s["roster_members_seen"] = roster.get("members_seen")
    if chosen.get("inactive-preview"):
        s["inactive_preview_100k_s"] = chosen["inactive-preview"].get("preview_s")
    restart = chosen.get("roster-restart")
    if restart:
        s["start_to_ready_with_roster_s"] = restart.get("startup_s")
        s["rss_after_start_with_roster_mb"] = restart.get("rss_after_start_mb")
        s["mention_lookup_with_roster_ms"] = restart.get("mention_lookup_ms")
        s["mention_lookup_with_roster_max_ms"] = restart.get("mention_lookup_max_ms")
    if callgrind:
        for name, figures in (callgrind.get("scenarios") or {}).items():
            s[f"instructions_per_event_{name.replace('-', '_')}"] = figures.get("instructions_per_event")
    return s


def targets(summary: dict[str, Any]) -> dict[str, Any]:
    def check(value: Any, limit: float, higher_is_better: bool = False) -> dict[str, Any]:
        if value is None:
            return {"value": None, "target": limit, "met": None}
        met = value >= limit if higher_is_better else value <= limit
        return {"value": value, "target": limit, "met": met}

    return {
        "telegram >= 50% of bare PTB events/s": check(
            summary.get("telegram_vs_bare_ptb"), TARGETS["telegram_vs_bare_ptb"], True
        ),
        "PostgreSQL within 1.5x of SQLite": check(
            summary.get("pg_vs_sqlite_slowdown"), TARGETS["pg_vs_sqlite_slowdown"]
        ),
        "p99 <= 2 ms (telegram, sqlite)": check(summary.get("telegram_p99_ms"), TARGETS["p99_ms"]),
        "start to ready <= 1 s (warm)": check(
            summary.get("start_to_ready_warm_s"), TARGETS["start_to_ready_s"]
        ),
        "RSS <= 150 MB with 100k roster"
        + (" (extrapolated)" if summary.get("rss_100k_roster_extrapolated") else ""): check(
            summary.get("rss_100k_roster_mb"), TARGETS["rss_100k_roster_mb"]
        ),
        "instructions/event <= 1.5 M (telegram, sqlite)": check(
            summary.get("instructions_per_event_telegram_sqlite"), TARGETS["instructions_per_event"]
        ),
    }


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(chosen: dict[str, dict[str, Any]]) -> str:
    head = (
        f"{'scenario':<23}{'updates':>8}{'events/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        f"{'start s':>9}{'peak MB':>9}  notes"
    )
    lines = [head, "-" * len(head)]
    for name, r in chosen.items():
        notes = []
        if r.get("complete") is False:
            notes.append(f"budget: {r.get('updates')} done")
        if r.get("mode") in ("lanes", "tasks"):
            notes.append(f"per-event core time; batch p99 {_fmt(r.get('batch_p99_ms'), 1)} ms")
        if "warm_startup_s" in r:
            notes.append(f"warm start {_fmt(r['warm_startup_s'], 3)} s")
        if r.get("log_errors"):
            notes.append(f"{r['log_errors']} ERRORS logged")
        if r.get("ledger_consistent") is False:
            notes.append("LEDGER MISMATCH")
        if name == "roster":
            extra = " (extrapolated)" if r.get("rss_at_target_extrapolated") else ""
            notes.append(
                f"{r.get('members_seen')} seen, RSS {r.get('rss_mb')} MB; "
                f"at target {r.get('rss_at_target_mb')} MB{extra}"
            )
        if name == "inactive-preview":
            notes.append(f"preview {r.get('preview_s')} s, roster read {r.get('roster_read_s')} s")
        if name == "roster-restart":
            notes.append(
                f"{r.get('roster_rows')} roster rows; RSS after start {r.get('rss_after_start_mb')} MB"
            )
        lines.append(
            f"{name:<23}{_fmt(r.get('updates')):>8}{_fmt(r.get('events_per_second')):>10}"
            f"{_fmt(r.get('p50_ms'), 3):>9}{_fmt(r.get('p99_ms'), 3):>9}{_fmt(r.get('max_ms'), 1):>9}"
            f"{_fmt(r.get('startup_s'), 3):>9}{_fmt(r.get('peak_rss_mb'), 1):>9}  {'; '.join(notes)}"
        )
    return "\n".join(lines)


def _print_summary(summary: dict[str, Any], checks: dict[str, Any]) -> None:
    print("\nsummary")
    for key, value in summary.items():
        print(f"  {key:<42} {_fmt(value, 3)}")
    print("\nissue #11 targets")
    for label, c in checks.items():
        mark = {True: "met", False: "NOT met", None: "not measured"}[c["met"]]
        print(f"  {label:<48} {_fmt(c['value'], 3):>10}  (target {c['target']:g})  {mark}")


def _load_previous(path: str) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "messages": args.n,
        "members": args.members,
        "groups": args.groups,
        "checkin_rate": args.checkin_rate,
        "joins": args.joins,
        "budget_s": args.budget,
        "batch": args.batch,
        "roster": args.roster,
        "roster_budget_s": args.roster_budget,
        "rounds": args.rounds,
        "postgresql": bool(args.pg_url),
        "plugins": args.plugins,
    }


def run_parent(args: argparse.Namespace) -> int:
    names = [s.name for s in SCENARIOS]
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in BY_NAME]
        if unknown:
            print(
                f"unknown scenario(s): {', '.join(unknown)}; choose from {', '.join(BY_NAME)}",
                file=sys.stderr,
            )
            return 2
    if not args.pg_url:
        skipped = [n for n in names if BY_NAME[n].database == "pg"]
        names = [n for n in names if n not in skipped]
        if skipped:
            print(f"(QUNBOT_TEST_PG_URL not set: skipping {', '.join(skipped)})")
    if args.roster <= 0:
        names = [n for n in names if BY_NAME[n].kind not in ("roster", "restart")]
    if "roster-restart" in names and "roster" not in names:
        print("roster-restart needs the roster run: adding it")
        names.insert(names.index("roster-restart"), "roster")
    if not args.plugins:
        # One set for the whole run, even if plugins are installed meanwhile.
        from bench.common import plugin_names

        args.plugins = ",".join(plugin_names())
    git = _git()
    print(
        f"qunbot bench @ {git['commit']}{' (dirty)' if git['dirty'] else ''}: {args.n} messages, "
        f"{args.members} members, {args.groups} groups, {args.checkin_rate:.0%} /checkin, "
        f"{args.joins} joins; "
        f"budget {args.budget:g} s per secondary scenario, roster {args.roster} "
        f"(budget {args.roster_budget:g} s); {args.rounds} round(s); {os.cpu_count()} CPUs; "
        f"plugins {args.plugins}"
    )
    rounds: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    failures: dict[str, str] = {}
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="qunbot-bench-db-") as db_dir:
        args.db_dir = db_dir
        for round_no in range(args.rounds):
            for name in names:
                if round_no > 0 and BY_NAME[name].kind in ("roster", "restart", "inactive"):
                    continue
                budget = args.roster_budget if name == "roster" else args.budget
                timeout = (budget or 600) + 600
                t0 = time.perf_counter()
                print(f"  [{round_no + 1}/{args.rounds}] {name} ...", end="", flush=True)
                result, stderr = _run_child(_child_command(args, name), timeout)
                if result is None:
                    failures[name] = stderr
                    print(f" FAILED ({time.perf_counter() - t0:.0f} s)")
                    print("    " + "\n    ".join(stderr.strip().splitlines()[-15:]))
                    continue
                rounds[name].append(result)
                print(
                    f" {result.get('events_per_second') or '-'} events/s ({time.perf_counter() - t0:.0f} s)"
                )
    # Red packets: presses per second with 200 members racing (bench/redpacket.py).
    from bench import redpacket

    packets = {} if args.only else redpacket.run(args.pg_url)
    if not args.only and not packets:
        failures["redpacket"] = "see the output above"
    # The ads detector on its corpus: caught, flagged, messages per second (bench/ads.py).
    from bench import ads

    detector = {} if args.only else ads.run()
    if not args.only and not detector:
        failures["ads"] = "see the output above"
    # An HQ broadcast to 1,000 Telegram groups against the flood-limit floor (bench/broadcast.py).
    from bench import broadcast

    fanout = {} if args.only else broadcast.run()
    if not args.only and not fanout:
        failures["broadcast"] = "see the output above"
    chosen = {n: _median(rs) for n, rs in rounds.items() if rs}
    previous = _load_previous(args.out)
    callgrind = previous.get("callgrind")
    summary = summarize(chosen, callgrind)
    checks = targets(summary)
    print(f"\n{table(chosen)}")
    _print_summary(summary, checks)
    if callgrind:
        print(
            "  (instructions per event from `python -m bench --callgrind` at "
            f"{callgrind.get('git', {}).get('commit')}, "
            f"{callgrind.get('generated')})"
        )
    document = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "versions": _versions(),
        "settings": _settings(args),
        "wall_seconds": round(time.perf_counter() - began, 1),
        "scenarios": chosen,
        "rounds": {n: rs for n, rs in rounds.items() if len(rs) > 1},
        "summary": summary,
        "targets": checks,
        "failures": failures,
        "redpacket": packets,
        "ads": detector,
        "broadcast": fanout,
    }
    if callgrind:
        document["callgrind"] = callgrind  # from `python -m bench --callgrind` (see its commit)
    if not args.no_stats and not args.only:
        document["stats"] = _stats_figures()
    out = Path(args.out)
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {out} ({time.perf_counter() - began:.0f} s)")
    return 1 if failures else 0


# -- the stats plugin's figures (bench/stats.py) -------------------------------------------------


def _stats_figures() -> dict[str, Any]:
    """The message path with and without the stats plugin, and a fleet chart of 500 groups."""
    from bench import stats

    try:
        return stats.run()
    except Exception as exc:  # its own figures fail alone; the scenarios above stand
        print(f"  stats figures FAILED: {exc}")
        return {"failed": str(exc)[-2000:]}


# -- callgrind -----------------------------------------------------------------------------------


def _callgrind_totals(path: Path) -> int | None:
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith(("totals:", "summary:")):
            return int(line.split()[1])
    return None


def run_callgrind(args: argparse.Namespace) -> int:
    """Instructions per event under ``valgrind --tool=callgrind``: each scenario runs twice on
    the same workload (``--callgrind-n`` messages), feeding a quarter of it and all of it; the
    difference divided by the difference in updates is what one update costs, start-up, the
    workload's construction and shutdown cancelling out."""
    names = [n.strip() for n in args.callgrind_scenarios.split(",") if n.strip()]
    if not args.pg_url:
        names = [n for n in names if BY_NAME[n].database != "pg"]
    n = args.callgrind_n
    if not args.plugins:
        from bench.common import plugin_names

        args.plugins = ",".join(plugin_names())
    small = max(100, n // 4)
    call_args = argparse.Namespace(**{**vars(args), "n": n, "budget": 0.0})
    git = _git()
    print(
        f"callgrind @ {git['commit']}: {', '.join(names)}; {n} messages, feeding {small} and all "
        "(several minutes: valgrind runs Python ~50x slower)"
    )
    figures: dict[str, Any] = {}
    for name in names:
        runs = []
        for feed in (small, 0):  # 0: all of it
            with tempfile.TemporaryDirectory(prefix="qunbot-cg-") as tmp:
                out_file = Path(tmp) / "callgrind.out"
                prefix = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}"]
                command = _child_command(
                    call_args, name, feed=feed, extra=["--no-checks", "--no-warm-restart"]
                )
                t0 = time.perf_counter()
                print(
                    f"  {name}, {feed or 'all'} updates: "
                    f"{shlex.join(prefix[:2] + ['python'] + command[1:5])} ...",
                    end="",
                    flush=True,
                )
                result, stderr = _run_child(command, timeout=3600, prefix=prefix)
                if result is None or not out_file.exists():
                    print(" FAILED")
                    print("    " + "\n    ".join(stderr.strip().splitlines()[-15:]))
                    return 1
                instructions = _callgrind_totals(out_file)
                print(f" {instructions:,} instructions ({time.perf_counter() - t0:.0f} s)")
                runs.append({"updates": result.get("updates"), "instructions": instructions})
        delta = runs[1]["instructions"] - runs[0]["instructions"]
        per = delta / max(1, runs[1]["updates"] - runs[0]["updates"])
        figures[name] = {"runs": runs, "instructions_per_event": round(per)}
        print(f"  => {name}: {per / 1e6:.2f} M instructions per update")
    document = _load_previous(args.out)
    document["callgrind"] = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git,
        "messages": n,
        "plugins": args.plugins,
        "scenarios": figures,
    }
    if "bare-ptb" in figures and "telegram-sqlite" in figures:
        ratio = (
            figures["telegram-sqlite"]["instructions_per_event"]
            / figures["bare-ptb"]["instructions_per_event"]
        )
        document["callgrind"]["telegram_vs_bare_ptb_instructions"] = round(ratio, 2)
        print(f"  qunbot / bare PTB: {ratio:.2f}x the instructions per update")
    if document.get("summary") is not None:
        document["summary"] = summarize(document.get("scenarios") or {}, document["callgrind"])
        document["targets"] = targets(document["summary"])
    Path(args.out).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")
    return 0


# -- command line --------------------------------------------------------------------------------


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--n", type=int, default=20_000, help="group messages (default 20000)")
    p.add_argument("--members", type=int, default=200)
    p.add_argument("--groups", type=int, default=10)
    p.add_argument("--checkin-rate", type=float, default=0.01, help="share of /checkin (default 0.01)")
    p.add_argument("--joins", type=int, default=20, help="members arriving by a join (default 20)")
    p.add_argument(
        "--budget",
        type=float,
        default=20.0,
        help="seconds per secondary scenario (lanes, PostgreSQL, Discord); 0 = no limit. "
        "bare-ptb, telegram-sqlite and bare-discord always run in full",
    )
    p.add_argument("--batch", type=int, default=100, help="updates per batch in lanes/tasks mode")
    p.add_argument("--roster", type=int, default=100_000, help="members of the roster run (0: skip it)")
    p.add_argument(
        "--roster-budget",
        type=float,
        default=60.0,
        help="seconds for the roster run; past it the RSS at --roster is extrapolated (0 = no limit)",
    )
    p.add_argument(
        "--plugins",
        default="",
        help="comma-separated plugins to enable (default: every installed one; their requirements are added)",
    )
    p.add_argument("--rounds", type=int, default=1, help="rounds (the median is reported)")
    p.add_argument("--only", default="", help=f"comma-separated scenarios: {', '.join(BY_NAME)}")
    p.add_argument("--out", default=str(RESULTS))
    p.add_argument(
        "--pg-url",
        default=os.environ.get("QUNBOT_TEST_PG_URL", ""),
        help="PostgreSQL server (default: $QUNBOT_TEST_PG_URL); the bench uses a database qunbot_bench on it",
    )
    p.add_argument(
        "--callgrind", action="store_true", help="count instructions per update under valgrind instead"
    )
    p.add_argument("--callgrind-n", type=int, default=2000, help="messages of the callgrind runs")
    p.add_argument("--callgrind-scenarios", default="bare-ptb,telegram-sqlite")
    p.add_argument("--stats-only", action="store_true", help="only the stats figures (bench/stats.py)")
    p.add_argument("--no-stats", action="store_true", help="skip the stats plugin's figures")
    # Internal: one scenario in this process.
    p.add_argument("--child", default="", help=argparse.SUPPRESS)
    p.add_argument("--feed", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--db-dir", default="", help=argparse.SUPPRESS)
    p.add_argument("--result-file", default="", help=argparse.SUPPRESS)
    p.add_argument("--no-checks", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--no-warm-restart", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--profile", default="", help=argparse.SUPPRESS)  # with --child: cProfile of the feed
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.child:
        result = asyncio.run(run_child(args))
        text = json.dumps(result, ensure_ascii=False)
        if args.result_file:
            Path(args.result_file).write_text(text)
        else:
            print(text)
        return 0
    if args.callgrind:
        return run_callgrind(args)
    if args.stats_only:
        figures = _stats_figures()
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return 1 if "failed" in figures else 0
    return run_parent(args)


if __name__ == "__main__":
    sys.exit(main())
