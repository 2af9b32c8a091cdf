"""greeter: the plugin guide's example (docs/plugin-guide.md). Greets newcomers with the
group's own welcome (admins set it with /welcome set), rolls dice, says good morning at 08:00
in each group's timezone.

Parts: ``commands`` (/roll, /welcome), ``handlers`` (newcomers), ``jobs`` (good morning),
``hooks`` (a member's request to be forgotten). ``models`` holds the welcome texts.
"""

from bot import Plugin
from greeter.config import GreeterConfig

__all__ = ["plugin"]

plugin = Plugin(
    "greeter",
    config=GreeterConfig,
    models="greeter.models",
    migrations="greeter.migrations",
    description="greets newcomers, rolls dice",
    demo="""\
:admin alice
alice: /welcome set Welcome, {name}! Read the pinned rules first.
+dave
dave: /roll 20
""",
    parts=("commands", "handlers", "jobs", "hooks"),
)
