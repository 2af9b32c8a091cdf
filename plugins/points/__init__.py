"""Points: the shared economy (积分等级). A ledger of every change, XP from activity, levels
and titles, leaderboards, and the ``Points`` service other plugins earn and spend through.

Parts: ``commands`` (/me, /rank, /top, /points history|export), ``moves`` (/points give, take,
pay), ``handlers`` (message XP), ``hooks`` (data
deletion, shutdown), ``maintenance`` (``qunbot points verify|import``). ``service`` holds the
``Points`` service; ``xp`` and ``xpwriter`` the message-XP rules and their group commit.
"""

from bot import Plugin
from plugins.points import hookspecs
from plugins.points.config import PointsConfig
from plugins.points.reasons import Reason
from plugins.points.service import InsufficientPoints, LedgerResult, Points, Standing

__all__ = ["InsufficientPoints", "LedgerResult", "Points", "Reason", "Standing", "plugin"]

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
    parts=("commands", "moves", "handlers", "hooks", "maintenance"),
)
# The service module is imported above (other plugins import ``Points`` from here), so it
# cannot import ``plugin`` back: it is offered here.
plugin.service(Points)
