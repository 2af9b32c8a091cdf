"""The points plugin object; the modules that declare its parts import it from here."""

from __future__ import annotations

from bot import Plugin
from plugins.points import hookspecs
from plugins.points.config import PointsConfig

__all__ = ["plugin"]

DEMO = """\
:group demo-group
:admin alice
bob: hello everyone, glad to be here
carol: hi bob, welcome to the group!
bob: /me
:wait 2m
bob: what are we building this week?
alice: /points give @carol 50 thanks for the welcome
carol: /points pay @bob 20
carol: /points history
bob: /top
bob: /top all
"""

plugin = Plugin(
    "points",
    config=PointsConfig,
    models="plugins.points.models",
    migrations="plugins.points.migrations",
    needs_content=True,
    hookspecs=hookspecs,
    description="points ledger, XP, levels and titles, leaderboards",
    demo=DEMO,
)
