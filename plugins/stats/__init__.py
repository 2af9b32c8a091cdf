"""Activity statistics (数据统计): counters per group per local hour, written in batches off the
message path, rolled up into days after ``raw_days``; charts as PNG (a 30-day trend, an hour x
weekday heatmap with the best hour to post, top speakers, a fleet view), each group's health
class with a suggested action, daily and weekly reports with anomalies called out, and CSV
export. See docs/stats.md.

Parts: ``handlers`` (messages, joins, leaves), ``hooks`` (``stats_count`` from other plugins,
points earned, shutdown flush, data deletion), ``jobs`` (the minute flush, the nightly roll-up,
the reports), ``commands`` (/stats, heatmap, fleet, health), ``report_commands`` (/stats report,
/stats export), ``cli`` (``qunbot stats export``). ``service`` holds the in-memory counters;
``queries`` reads them back, ``charts`` draws, ``health`` and ``fleet`` class groups,
``anomalies`` and ``reports`` make the reports, ``delivery`` sends them, ``export`` writes CSV.
"""

from bot import Plugin
from plugins.stats import hookspecs
from plugins.stats.config import StatsConfig
from plugins.stats.service import Stats

__all__ = ["Stats", "plugin"]

plugin = Plugin(
    "stats",
    config=StatsConfig,
    models="plugins.stats.models",
    migrations="plugins.stats.migrations",
    hookspecs=hookspecs,
    description="activity statistics, charts and group health",
    demo="""\
:admin alice
alice: good morning everyone
bob: morning! what's new?
carol: hi all
+dave
dave: hello, just joined
:wait 1h
bob: lunch plans?
alice: /stats
alice: /stats heatmap
""",
    parts=("commands", "report_commands", "handlers", "jobs", "hooks", "cli"),
)
# The service module is imported above (other plugins may import ``Stats`` from here), so it
# cannot import ``plugin`` back: it is offered here.
plugin.service(Stats)
