"""Maintenance commands: ``qunbot points verify`` and ``qunbot points import``."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from bot import GroupRef, MemberRef, Scope
from plugins.points import plugin
from plugins.points.csvio import ImportError_, read_xp_csv
from plugins.points.models import Balance, LedgerEntry
from plugins.points.service import Points

__all__ = ["find_group", "find_mismatches", "import_xp", "verify"]


async def find_mismatches() -> list[str]:
    """Members whose balance or lifetime XP differs from the sum of their ledger entries.

    Balances and ledger sums are read in one snapshot, so a bot that credits someone while
    this runs cannot make them look inconsistent: one read-only transaction, REPEATABLE READ
    on PostgreSQL (its default, READ COMMITTED, sees each query's own moment); SQLite's
    transaction reads one snapshot of the WAL from its first read."""
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "postgres":
            await connection.execute_script("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return await _mismatches()


async def _mismatches() -> list[str]:
    sums = {
        (r["platform"], r["scope"], r["user_id"]): (int(r["points"] or 0), int(r["xp_sum"] or 0))
        for r in await LedgerEntry.all()
        .annotate(points=Sum("amount"), xp_sum=Sum("xp"))
        .group_by("platform", "scope", "user_id")
        .values("platform", "scope", "user_id", "points", "xp_sum")
    }
    problems = []
    for row in await Balance.all().values("platform", "scope", "user_id", "balance", "lifetime_xp"):
        key = (row["platform"], row["scope"], row["user_id"])
        points, xp = sums.pop(key, (0, 0))
        if (row["balance"], row["lifetime_xp"]) != (points, xp):
            problems.append(
                f"{':'.join(key)}: balance {row['balance']} but ledger {points}; "
                f"lifetime XP {row['lifetime_xp']} but ledger {xp}"
            )
        elif row["balance"] < 0 and not await _penalized(key):
            problems.append(f"{':'.join(key)}: negative balance {row['balance']} without a penalty")
    for key, (points, xp) in sums.items():
        problems.append(f"{':'.join(key)}: ledger {points} points / {xp} XP but no balance row")
    return problems


async def _penalized(key: tuple[str, str, str]) -> bool:
    # Only a penalty with allow_negative may leave a balance below zero.
    platform, scope, user_id = key
    return await LedgerEntry.filter(platform=platform, scope=scope, user_id=user_id, kind="penalty").exists()


@plugin.cli("verify")
async def verify(scope: Scope, args: list[str]) -> int:
    """Check every balance against its ledger; print offenders; non-zero exit if any."""
    problems = await find_mismatches()
    for line in problems:
        print(line)
    if problems:
        print(f"points verify: {len(problems)} member(s) do not match the ledger")
        return 1
    count = await Balance.all().count()
    print(f"points verify: OK, {count} balance(s) match the ledger")
    return 0


async def import_xp(scope: Scope, platform: str, group: GroupRef | None, text: str, with_points: bool) -> int:
    """Add each row's XP (and the same points when ``with_points``), once per member and
    group: the key names both, so running an import twice changes nothing. Returns how many
    members were credited now."""
    points = scope.service(Points)
    balances = points.balance_scope(group)
    applied = 0
    for row in read_xp_csv(text, platform):
        if row.xp == 0:
            continue
        result = await points.credit(
            MemberRef(platform, row.user_id, group), row.xp if with_points else 0, xp=row.xp,
            kind="earn", key=f"points:import:{platform}:{balances}:{row.user_id}", reason="import",
            actor="cli",
        )
        applied += result.applied
    return applied


async def find_group(scope: Scope, platform: str, group_id: str) -> GroupRef:
    """The group the bot knows by this id (its current id, or the one it had first), else a
    group it has not seen yet, keyed by the id."""
    for info in await scope.roster.groups(platform):
        if group_id in (info.ref.id, info.ref.key):
            return info.ref
    return GroupRef(platform, group_id, group_id)


@plugin.cli("import")
async def import_command(scope: Scope, args: list[str]) -> int:
    """Import a MEE6-style CSV of (user id, xp) into a group; twice changes nothing."""
    parser = argparse.ArgumentParser(
        prog="qunbot points import", description="Import a MEE6-style CSV of (user id, xp)."
    )
    parser.add_argument("file")
    parser.add_argument("--platform", required=True, choices=("telegram", "discord", "console"))
    parser.add_argument("--guild", help="the group's id (required unless scope is global)")
    parser.add_argument("--points", action="store_true", help="also credit the XP as points")
    try:
        options = parser.parse_args(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    points = scope.service(Points)
    if options.guild is None and points.config.scope != "global":
        print("qunbot points import: --guild is required (points are kept per group)")
        return 2
    group = None if options.guild is None else await find_group(scope, options.platform, options.guild)
    try:
        text = await asyncio.to_thread(Path(options.file).read_text, encoding="utf-8")
        applied = await import_xp(scope, options.platform, group, text, options.points)
    except (OSError, ImportError_) as exc:
        print(f"qunbot points import: {exc}")
        return 2
    print(f"points import: {applied} member(s) imported")
    return 0
