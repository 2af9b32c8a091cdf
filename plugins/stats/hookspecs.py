"""The hook other plugins report figures through (``scope.emit("stats_count", ...)``).

A plugin that has something worth counting per group (a red packet sent or grabbed, an ad
removed, a check-in) emits it once the thing has happened (after its commit): the stats plugin
adds it to the group's current local hour in memory and writes it with the next batch. When the
stats plugin is not loaded the call does nothing, so reporting costs the reporter no dependency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import hookspec

if TYPE_CHECKING:
    from bot import GroupRef, Scope

__all__ = ["stats_count"]


@hookspec
def stats_count(scope: Scope, group: GroupRef, name: str, amount: int) -> None:
    """Count ``amount`` of ``name`` in ``group`` now.

    :param scope: the implementing plugin's scope (filled by the core).
    :param group: where it happened (rows are keyed by ``group.key``).
    :param name: ``checkins``, ``packets_sent``, ``packets_grabbed``, ``ads_removed`` (columns of
        the hourly buckets), or any other name of at most 32 characters (kept beside them and
        included in the export).
    :param amount: how many (may be negative to correct an earlier count).
    """
