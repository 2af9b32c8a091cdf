"""Points: the shared economy (积分等级). A ledger of every change, XP from activity, levels
and titles, leaderboards, and the ``Points`` service other plugins earn and spend through."""

from plugins.points import commands, hooks, maintenance  # noqa: F401  (they declare the plugin's parts)
from plugins.points.plugin import plugin
from plugins.points.service import InsufficientPoints, LedgerResult, Points

__all__ = ["InsufficientPoints", "LedgerResult", "Points", "plugin"]
