"""Elimination of inactive members, with due process (清理潜水成员). Rules per group (inactive
for N days, fewer than M messages in K days, onboarding not completed, the ads ladder at its
last step, capacity mode), members who are never selected (owner, admins re-checked live, bots,
channel identities, protected roles and titles, an allow-list, newcomers, high points levels),
a preview with a Confirm button, a warning (privately where possible) before the deadline,
removal only of those still selected then, and undo. See docs/inactive.md.

Parts: ``commands`` (/inactive and its buttons), ``handlers`` (messages counted), ``jobs``
(deadlines, scheduled sweeps, the weekly report, the counts' flush and pruning), ``hooks`` (the
counting session, data deletion). ``rules`` is the selection over ``evidence`` (``counts``, the
other plugins' answers to ``hookspecs``), ``protection`` the checks, ``sweeps`` the steps from
preview to undo, ``warning`` the warning, ``views`` what admins read.
"""

from bot import Plugin
from plugins.inactive import hookspecs
from plugins.inactive.config import InactiveConfig
from plugins.inactive.counts import MessageCounts

__all__ = ["plugin"]

plugin = Plugin(
    "inactive",
    config=InactiveConfig,
    # Members above a points level are protected when the points plugin is enabled; the
    # onboarding and ads rules ask those plugins (through hookspecs) when they are enabled.
    optional=["points", "onboarding", "ads"],
    hookspecs=hookspecs,
    models="plugins.inactive.models",
    migrations="plugins.inactive.migrations",
    description="removes inactive members with preview, warning and undo",
    demo="""\
:group inactive-demo
:admin alice
bob: hello
carol: hi
:wait 40d
alice: hello again
alice: /inactive preview
alice click 确认
:wait 3d
alice: /inactive undo 1
""",
    parts=("commands", "handlers", "jobs", "hooks"),
)
# The plugin's own counter (one per running bot); the module is imported above, so it cannot
# import ``plugin`` back.
plugin.service(MessageCounts)
