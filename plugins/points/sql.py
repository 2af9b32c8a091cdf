"""Prepared statements of the message-XP hot path.

Building an UPDATE through tortoise's query builder costs more than running it on SQLite, and
an award runs several per message that earns XP; these are written once per dialect instead.
``RETURNING`` (SQLite >= 3.35, PostgreSQL) reads the new balance in the same statement.
"""

from __future__ import annotations

from itertools import count
from typing import Any

from plugins.points.models import Activity, Balance

__all__ = ["claim_activity", "credit_balance"]

_CREDIT = (
    'UPDATE "points_balance" SET "balance"="balance"+{},"lifetime_xp"="lifetime_xp"+{},'
    '"updated_at"={} WHERE "id"={} RETURNING "balance","lifetime_xp","level"'
)
_CLAIM = (
    'UPDATE "points_activity" SET "last_award_at"={},"day"={},"day_xp"={},"awards"="awards"+1 '
    'WHERE "id"={} AND "awards"={}'
)
_UPDATED = Balance._meta.fields_map["updated_at"]
_AWARDED = Activity._meta.fields_map["last_award_at"]


def _numbered(template: str, sqlite: bool) -> str:
    numbers = count(1)
    return template.format(*("?" if sqlite else f"${next(numbers)}" for _ in range(template.count("{}"))))


_SQL = {sqlite: (_numbered(_CREDIT, sqlite), _numbered(_CLAIM, sqlite)) for sqlite in (True, False)}


def _statements(connection: Any) -> tuple[str, str]:
    return _SQL[connection.capabilities.dialect == "sqlite"]


async def credit_balance(connection: Any, row_id: int, amount: int, xp: int, at: Any) -> dict:
    """Add points and XP to a balance row; its new balance, lifetime_xp and level."""
    rows = await connection.execute_query_dict(
        _statements(connection)[0], [amount, xp, _UPDATED.to_db_value(at, None), row_id]
    )
    return rows[0]


async def claim_activity(connection: Any, row_id: int, version: int, at: Any, day: str, day_xp: int) -> bool:
    """Record an award on the activity row if nobody else did since version ``version``."""
    updated, _ = await connection.execute_query(
        _statements(connection)[1], [_AWARDED.to_db_value(at, None), day, day_xp, row_id, version]
    )
    return bool(updated)
