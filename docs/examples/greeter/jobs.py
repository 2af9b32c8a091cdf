"""Scheduled jobs: good morning at 08:00 in each group's own timezone."""

from bot import JobContext
from greeter import plugin


# A good morning at noon, after the bot was down, would be odd: missed mornings are skipped.
@plugin.cron("0 8 * * *", catch_up="none")
async def good_morning(job: JobContext) -> None:
    if job.config.morning:
        await job.send(job.t("greeter.morning"))  # in the group's language
