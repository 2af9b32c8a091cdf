"""``qunbot stats export [--since DATE] [--until DATE] [--group PLATFORM:ID] [--out FILE]``: the
hourly buckets (and rolled-up days) of every group, or one, as CSV (see plugins.stats.export)
on stdout, or in FILE (with a byte-order mark, for spreadsheet programs). ``--since`` defaults
to 30 days ago; days are each group's local days. Figures a running bot has not written yet
(at most its last minute) are not in it."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

from bot import GroupRef, Scope
from plugins.stats import plugin
from plugins.stats.export import ExportGroup, csv_bytes, export_rows, groups_with_figures

__all__ = ["export"]

DEFAULT_DAYS = 30


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-01") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qunbot stats export", description=__doc__)
    parser.add_argument("--since", type=_day, help="first local day (YYYY-MM-DD; default: 30 days ago)")
    parser.add_argument("--until", type=_day, help="last local day (default: today)")
    parser.add_argument("--group", help="only this group: PLATFORM:ID (e.g. telegram:-1001234567890)")
    parser.add_argument("--out", type=Path, help="write to this file instead of stdout")
    return parser


async def _groups(scope: Scope, wanted: str | None) -> list[ExportGroup] | None:
    """The groups to export (None: ``wanted`` names no group with figures)."""
    platform = wanted.partition(":")[0] if wanted else None
    found = []
    for group_platform, key in await groups_with_figures(platform):
        info = await scope.roster.group_by_key(group_platform, key)
        ref = info.ref if info is not None else GroupRef(group_platform, key, key)
        if wanted and wanted not in (f"{ref.platform}:{ref.key}", f"{ref.platform}:{ref.id}"):
            continue
        found.append(ExportGroup(ref, info.timezone if info is not None else scope.default_timezone))
    return found if found or not wanted else None


@plugin.cli("export")
async def export(scope: Scope, args: list[str]) -> int:
    try:
        options = _parser().parse_args(args)
    except SystemExit as exc:  # argparse said what was wrong on stderr
        return int(exc.code or 0)
    until = options.until or scope.now.date()
    since = options.since or until - timedelta(days=DEFAULT_DAYS)
    if since > until:
        print(f"qunbot stats export: --since {since} is after --until {until}", file=sys.stderr)
        return 2
    groups = await _groups(scope, options.group)
    if groups is None:
        print(f"qunbot stats export: no figures of group {options.group!r} (PLATFORM:ID)", file=sys.stderr)
        return 2
    table = await export_rows(groups, since, until)
    if options.out is None:
        sys.stdout.write(csv_bytes(table, bom=False).decode("utf-8"))
    else:
        options.out.write_bytes(csv_bytes(table))
        print(f"{options.out}: rows {len(table) - 1}, groups {len(groups)}", file=sys.stderr)
    return 0
