"""Headquarters broadcast (总群广播): one HQ group set by a bot owner, tags and a leader per
group, and ``/broadcast`` from HQ to every tagged group, now or at a local time in each
group's own timezone, through a durable delivery queue that sends each copy at most once. See
docs/broadcast.md.

Parts: ``commands`` (/hq, /groups, /broadcast and their buttons), ``schedule_commands``
(/schedule), ``handlers`` (HQ messages remembered for a broadcast by reply), ``jobs`` (due
scheduled posts queued and the queue drained every minute), ``hooks`` (start-up recovery,
shutdown, data deletion). ``service`` is the queue (:class:`Broadcasts`), ``schedules`` times
the scheduled posts, ``reports`` tallies and summarises, ``content`` turns a message into what
is stored and sent, ``drafting`` picks what an admin asked to send, ``outcome`` sorts a
platform failure into retry, final or unknown.
"""

from bot import Plugin
from plugins.broadcast.config import BroadcastConfig
from plugins.broadcast.service import Broadcasts

__all__ = ["Broadcasts", "plugin"]

plugin = Plugin(
    "broadcast",
    config=BroadcastConfig,
    models="plugins.broadcast.models",
    migrations="plugins.broadcast.migrations",
    # A broadcast by reply copies an HQ message the bot has read.
    needs_content=True,
    description="HQ broadcast to many groups",
    # A ``best`` schedule asks the stats plugin for each group's busiest hour.
    optional=["stats"],
    demo="""\
:group study-1
ann: hi
:admin ann
ann: /groups tag study
ann: /groups leader @ann
:group hq
boss: hello
# /hq set needs a bot owner ([bot] owners = ["console:boss"]); then in HQ an admin writes
# /broadcast study TEXT, presses Confirm, and /broadcast status reports the delivery.
boss: /hq set
""",
    parts=("commands", "schedule_commands", "handlers", "jobs", "hooks"),
)

plugin.service(Broadcasts)
