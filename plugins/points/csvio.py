"""CSV export of balances and the ledger, and import of MEE6-style XP lists."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import TYPE_CHECKING

from bot.csvfile import csv_bytes, inert_cell, time_cell
from plugins.points.models import Balance, LedgerEntry

if TYPE_CHECKING:
    from bot.roster import RosterView

__all__ = ["ImportRow", "balances_csv", "ledger_csv", "read_xp_csv"]

LEDGER_FIELDS = (
    "id", "created_at", "platform", "scope", "guild_id", "user_id", "amount", "xp", "kind",
    "reason", "plugin", "actor", "key", "balance_after",
)


async def balances_csv(roster: RosterView, platform: str, scope: str) -> bytes:
    """Every balance of a scope, with the members' names (``scope.roster``). Text cells a
    spreadsheet would run as a formula (CSV injection) are made inert."""
    rows = await Balance.filter(platform=platform, scope=scope).order_by("-lifetime_xp", "user_id").values(
        "user_id", "balance", "lifetime_xp", "level"
    )
    names = await roster.names(platform, [r["user_id"] for r in rows])
    return csv_bytes(
        ("platform", "scope", "user_id", "name", "balance", "lifetime_xp", "level"),
        (
            (platform, scope, r["user_id"], inert_cell(names.get(r["user_id"])), r["balance"],
             r["lifetime_xp"], r["level"])
            for r in rows
        ),
    )


async def ledger_csv(
    platform: str, scope: str, describe: Callable[[str, str], str] | None = None, tz: tzinfo = UTC
) -> bytes:
    """Every entry of a scope; ``describe(reason, plugin)`` writes each reason as a reader
    sees it (``reasons.readable`` in their language) instead of as stored; times in ``tz``
    (the group's), ISO 8601 with the offset, as every export writes them."""
    rows = await LedgerEntry.filter(platform=platform, scope=scope).order_by("id").values(*LEDGER_FIELDS)
    if describe is not None:
        for row in rows:
            row["reason"] = describe(row["reason"], row["plugin"])
    return csv_bytes(
        LEDGER_FIELDS,
        ([_cell(f, r[f], tz) for f in LEDGER_FIELDS] for r in rows),
    )


def _cell(field: str, value: object, tz: tzinfo) -> object:
    if field == "created_at":
        return time_cell(value, tz)  # type: ignore[arg-type]
    return inert_cell(value) if field == "reason" else value  # type: ignore[arg-type]


@dataclass(frozen=True)
class ImportRow:
    user_id: str
    xp: int


def _whole(cell: str) -> bool:
    return cell.replace(",", "").isdigit()


class ImportError_(ValueError):
    """A line of the file cannot be read; the message names it."""


def read_xp_csv(text: str, platform: str = "telegram") -> list[ImportRow]:
    """Rows of (user id, xp). A header (a first row without a number) is optional; with one,
    the columns whose names contain "id" and "xp" (or "exp"/"experience") are used, else the
    first two columns. Telegram and Discord ids are numbers; console ids are names."""
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not lines:
        return []
    id_col, xp_col = 0, 1
    first = [cell.strip().lower() for cell in lines[0]]
    header = not any(_whole(cell) for cell in first)
    if header:
        id_col = next((i for i, c in enumerate(first) if "id" in c), 0)
        xp_col = next((i for i, c in enumerate(first) if c in ("xp", "exp", "experience") or "xp" in c), 1)
        lines = lines[1:]
    rows = []
    for number, line in enumerate(lines, 2 if header else 1):
        if not any(cell.strip() for cell in line):
            continue
        try:
            user_id = line[id_col].strip()
            xp = int(line[xp_col].strip().replace(",", ""))
        except (IndexError, ValueError):
            raise ImportError_(
                f"line {number}: expected a user id and a whole number of XP: {line!r}"
            ) from None
        if xp < 0:
            raise ImportError_(f"line {number}: negative XP: {line!r}")
        numeric = platform != "console"  # console members are names
        if not user_id or any(c.isspace() for c in user_id) or (numeric and not user_id.isdigit()):
            raise ImportError_(f"line {number}: {user_id!r} is not a {platform} user id: {line!r}")
        rows.append(ImportRow(user_id, xp))
    return rows
