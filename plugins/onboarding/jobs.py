"""Scheduled work: the per-minute sweep of deadlines, reminders, stale edits and join floods,
and the daily retention of profiles of members who left."""

from __future__ import annotations

from datetime import timedelta

from bot import JobContext
from plugins.onboarding import plugin
from plugins.onboarding.directory import forget_departed
from plugins.onboarding.flow import session_group
from plugins.onboarding.gate import remind, time_out
from plugins.onboarding.models import FormSession
from plugins.onboarding.welcome import post_flood_summaries

# An edit of one answer that was never finished is dropped after this long.
EDIT_LIFETIME = timedelta(days=1)


@plugin.cron("* * * * *", per_guild=False)
async def sweep(job: JobContext) -> None:
    """Time out forms whose deadline passed, remind gate-off members once, drop stale edits,
    sum up join floods that are over. Forms on a platform the bot is not on now wait for it."""
    now = job.now
    due = await FormSession.filter(status="pending", purpose="join", deadline__lte=now).all()
    for session in due:
        if job.adapter(session.platform) is None:
            continue
        group = await session_group(job, session)
        cfg = job.config.for_group(group)
        if session.gate == "restrict" and cfg.on_timeout == "stay_muted":
            # Still behind the gate and still able to finish it: the form stays open, only the
            # deadline is spent (the claim, so the member is told once).
            change = {"deadline": None}
        else:
            # The half-filled answers go: nothing would ever read them, and a declined requester
            # never becomes a member whom the retention period could reach.
            change = {"status": "timed_out", "finished_at": now, "answers": {}}
        claim = FormSession.filter(id=session.id, status="pending", deadline__lte=now)
        if await claim.update(**change):
            await time_out(job, session, group)
    # A form the member stopped (/cancel) gets no reminder: it waits for their /form.
    quiet = await FormSession.filter(
        status="pending", purpose="join", gate="off", reminded_at__isnull=True, cancelled_at__isnull=True,
        created_at__lte=now - timedelta(hours=1),
    ).all()
    for session in quiet:
        if job.adapter(session.platform) is None:
            continue
        cfg = job.config.for_group(await session_group(job, session))
        if session.created_at > now - timedelta(hours=cfg.reminder_hours):
            continue
        if await FormSession.filter(id=session.id, reminded_at__isnull=True).update(reminded_at=now):
            await remind(job, session)
    await FormSession.filter(purpose="edit", created_at__lte=now - EDIT_LIFETIME).delete()
    await post_flood_summaries(job, now)


@plugin.cron("30 4 * * *", per_guild=False)
async def retention(job: JobContext) -> None:
    """Profiles (and forms) of members who left are deleted after the group's retention period."""
    await forget_departed(job)
