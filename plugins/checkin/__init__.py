"""Daily check-in streaks (签到/打卡): once per member per group per local day, streaks with
make-up cards, rewards through the Points service (paid in the transaction that records the
day), calendars, leaderboards, rates compared between groups, and an evening reminder for
streaks at risk. See docs/checkin.md.

Parts: ``commands`` (/checkin and its subcommands), ``handlers`` (the plain words), ``jobs``
(the reminder), ``hooks`` (data deletion). ``store`` writes the days, ``checking`` is the
check-in both entry points share, ``views`` and ``rates`` what the read commands show.
"""

from bot import Plugin
from plugins.checkin.config import CheckinConfig

__all__ = ["plugin"]

plugin = Plugin(
    "checkin",
    config=CheckinConfig,
    requires=["points"],
    models="plugins.checkin.models",
    migrations="plugins.checkin.migrations",
    # Plain 签到 / 打卡 / checkin messages check in.
    needs_content=True,
    description="daily check-in streaks",
    demo="""\
alice: 签到
bob: /checkin
alice: 打卡
alice: /checkin stats
:wait 1d
alice: /checkin
bob: 签到
alice: /checkin top
""",
    parts=("commands", "handlers", "jobs", "hooks"),
)
