"""Daily check-in streaks (签到/打卡): once per member per group per local day, streaks with
make-up cards, rewards through the Points service, calendars, leaderboards, rates compared
between groups, and an evening reminder for streaks at risk. See docs/checkin.md."""

from bot import MessageCreated, Plugin
from plugins.checkin import commands, reminder, views
from plugins.checkin.config import CheckinConfig
from plugins.checkin.hooks import CheckinHooks

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
)

plugin.command("checkin", description="checkin.cmd.checkin", guild_only=True)(commands.checkin_command)
plugin.command("checkin makeup", description="checkin.cmd.makeup", guild_only=True)(commands.makeup)
plugin.command("checkin remind", description="checkin.cmd.remind", guild_only=True)(commands.remind_switch)
plugin.command("checkin stats", description="checkin.cmd.stats", guild_only=True)(views.stats)
plugin.command("checkin top", description="checkin.cmd.top", guild_only=True)(views.top)
plugin.command("checkin rate", description="checkin.cmd.rate", guild_only=True)(views.rate)
plugin.command("checkin league", description="checkin.cmd.league", level="admin")(views.league)
plugin.on(MessageCreated)(commands.checkin_word)
plugin.cron(reminder.REMIND_SPEC, name="remind")(reminder.remind)
plugin.hooks(CheckinHooks())
