"""CSV exports members' text ends up in: spreadsheet-safe cells, UTF-8 with a BOM, and times
by one convention: ISO 8601 in the group's timezone with its offset."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime, tzinfo

__all__ = ["csv_bytes", "inert_cell", "time_cell"]

# A cell starting with one of these (a tab or carriage return before one included) is a formula
# in spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: str | None) -> str:
    """Text a member wrote, as a cell that stays text: a leading quote defuses a formula."""
    value = value or ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def time_cell(at: datetime | None, tz: tzinfo) -> str:
    """A moment as the group reads it (``2026-03-02T21:05:00+08:00``); empty when unknown."""
    return at.astimezone(tz).isoformat(timespec="seconds") if at is not None else ""


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    # A BOM so spreadsheet programs read Chinese names as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
