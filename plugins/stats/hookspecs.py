"""The hooks of the stats plugin: ``stats_count``, which other plugins report figures through
(``scope.emit("stats_count", ...)``), and ``hq_group``, which it asks where the operators read
reports (the broadcast plugin answers).

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

__all__ = ["hq_group", "stats_count"]


@hookspec
def stats_count(scope: Scope, group: GroupRef, name: str, amount: int) -> None:
    """Count ``amount`` of ``name`` in ``group`` now: ``await scope.emit("stats_count",
    group=ctx.group, name="packets_sent", amount=1)``, once per thing, after the commit that made
    it (a figure counted for a write that rolled back stays counted). It lands in the group's
    current local hour, in memory; the minute flush writes it. No ``requires`` and no import: the
    call does nothing without the stats plugin. See docs/stats.md, "For plugin authors".

    :param scope: the implementing plugin's scope (filled by the core).
    :param group: where it happened (rows are keyed by ``group.key``).
    :param name: ``checkins``, ``packets_sent``, ``packets_grabbed``, ``ads_removed`` (columns of
        the hourly buckets), or any other name of at most 32 characters (kept beside them and
        included in the export).
    :param amount: how many (may be negative to correct an earlier count).
    """


@hookspec(firstresult=True)
def hq_group(scope: Scope) -> GroupRef | None:
    """The operators' headquarters group, or None: the stats plugin sends its daily and weekly
    reports of every group there (``report_to = "auto"``) instead of to each group's admins.
    The broadcast plugin answers with the group ``/hq set`` marked; the stats plugin imports
    nothing of it.

    :param scope: the implementing plugin's scope (filled by the core).
    """
