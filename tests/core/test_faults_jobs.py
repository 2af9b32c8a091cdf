"""A scheduled job that meets a passing database error (SQLite locked by another process for a
moment) is run again while it has sent nothing, within bounds; one that has already spoken is
not, so nobody reads a reminder twice (issue 18)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot import JobContext, Plugin
from bot.storage.models import JobRun, SyncState
from tests.core.sqlite_lock import hold_write_lock, locked_database_url

attempts: list[str] = []
holders: list[asyncio.subprocess.Process] = []
database: dict[str, str] = {}


async def lock_on_first_attempt(job: JobContext) -> None:
    """Another process takes the write lock as the job starts, and keeps it 1.5 s."""
    attempts.append(job.job)
    if len(attempts) > 1:
        return
    holders.append(await hold_write_lock(database["path"]))


quiet_first = Plugin("quiet_first")


@quiet_first.cron("0 21 * * *", name="remind")
async def write_then_send(job: JobContext) -> None:
    await lock_on_first_attempt(job)
    await SyncState.create(key=f"reminded:{job.group.key}", value=job.slot.isoformat())
    await job.send("Time to check in!")


talks_first = Plugin("talks_first")


@talks_first.cron("0 21 * * *", name="remind")
async def send_then_write(job: JobContext) -> None:
    await lock_on_first_attempt(job)
    await job.send("Time to check in!")
    await SyncState.create(key=f"reminded:{job.group.key}", value=job.slot.isoformat())


@pytest.fixture
def bot_database_url(tmp_path):
    database["path"] = str(tmp_path / "bot.db")
    return locked_database_url(tmp_path / "bot.db")


@pytest.fixture(autouse=True)
async def _clean():
    attempts.clear()
    yield
    for process in holders:
        await asyncio.wait_for(process.wait(), 30)
        assert process.returncode == 0
    holders.clear()


def reminders(fake) -> list[str]:
    return [o.text for o in fake.outputs if o.text == "Time to check in!"]


@pytest.mark.plugins(quiet_first)
async def test_a_job_that_has_sent_nothing_is_run_again_after_a_locked_database(fake, caplog):
    caplog.set_level(logging.WARNING)
    await fake.say("alice: hello")  # the group exists
    await asyncio.wait_for(fake.wait("12h"), 60)  # 09:00 -> 21:00 in Shanghai
    assert len(attempts) >= 2  # the first attempt met the lock
    assert "job quiet_first.remind for console:lobby: database error, retrying" in caplog.text
    assert reminders(fake) == ["Time to check in!"]  # said once, when the write had gone through
    assert await SyncState.filter(key="reminded:lobby").count() == 1
    run = await JobRun.get(job="quiet_first.remind")
    assert run.status == "done" and run.finished_at is not None


@pytest.mark.plugins(talks_first)
async def test_a_job_that_has_spoken_is_not_run_again(fake, caplog):
    await fake.say("alice: hello")
    await asyncio.wait_for(fake.wait("12h"), 60)
    assert attempts == ["talks_first.remind"]  # not again: the members have read it
    assert reminders(fake) == ["Time to check in!"]
    assert await SyncState.filter(key="reminded:lobby").count() == 0
    run = await JobRun.get(job="talks_first.remind")  # its end is recorded once the lock is gone
    assert run.status == "failed" and "database is locked" in run.error


plain = Plugin("plain")


@plain.cron("0 21 * * *", name="remind")
async def just_send(job: JobContext) -> None:
    attempts.append(job.job)
    await job.send("Time to check in!")


@pytest.mark.plugins(plain)
async def test_a_slot_claimed_while_the_database_is_locked_still_runs_once(fake):
    await fake.say("alice: hello")
    await asyncio.wait_for(fake.wait("11h59m"), 60)
    holders.append(await hold_write_lock(database["path"]))
    await asyncio.wait_for(fake.wait("1m"), 60)  # 21:00: the claim of the slot meets the lock
    assert attempts == ["plain.remind"] and reminders(fake) == ["Time to check in!"]
    await asyncio.wait_for(fake.wait("1h"), 60)
    assert attempts == ["plain.remind"]  # once
    assert (await JobRun.get(job="plain.remind")).status == "done"
