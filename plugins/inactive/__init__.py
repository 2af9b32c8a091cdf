"""Elimination of inactive members, with due process (清理潜水成员). Rules per group (inactive
for N days, capacity mode), members who are never selected (owner, admins re-checked live, bots,
channel identities, protected roles and titles, an allow-list, newcomers, high points levels),
a preview with a Confirm button, a warning before the deadline, removal only of those still
inactive then, and undo. See docs/inactive.md.

Parts: ``commands`` (/inactive and its buttons), ``handlers`` (bots seen), ``jobs`` (deadlines,
scheduled sweeps, the weekly report), ``hooks`` (data deletion). ``rules`` is the selection,
``protection`` the checks, ``sweeps`` the steps from preview to undo.
"""

from bot import Plugin
from plugins.inactive.config import InactiveConfig

__all__ = ["plugin"]

plugin = Plugin(
    "inactive",
    config=InactiveConfig,
    # Members above a points level are protected when the points plugin is enabled.
    optional=["points"],
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
