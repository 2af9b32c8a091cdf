"""Scheduled jobs: each group's own timezone, DST changes, one run per slot across restarts,
catch-up after downtime and across a jump of the clock, no overlapping runs, every job a task
of its own (the fake clock waits for the ones it started)."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot import JobContext, Plugin
from bot.storage.models import JobRun
from bot.testing import ChatDriver, make_app

runs: list[tuple[str, str]] = []

nightly = Plugin("nightly")


@nightly.cron("0 21 * * *")
async def evening(job: JobContext) -> None:
    runs.append((job.group.id, job.local_slot.strftime("%Y-%m-%d %H:%M %Z")))
    await job.send(job.t("bot.help.title"))


dst = Plugin("dst")


@dst.cron("30 1 * * *", name="fold")
async def fold(job: JobContext) -> None:
    runs.append(("fold", job.local_slot.isoformat()))


@dst.cron("30 2 * * *", name="gap")
async def gap(job: JobContext) -> None:
    runs.append(("gap", job.local_slot.isoformat()))


@pytest.fixture(autouse=True)
def _reset():
    runs.clear()


async def set_tz(fake: ChatDriver, group: str, tz: str) -> None:
    """An admin of ``group`` sets its timezone with /timezone."""
    fake.admin("alice", group)
    await fake.say(f":group {group}", f"alice: /timezone {tz}")


async def step(fake: ChatDriver, total: timedelta, every: timedelta) -> None:
    end = fake.clock.now() + total
    while fake.clock.now() < end:
        await fake.clock.advance(every)


@pytest.mark.plugins(nightly)
async def test_per_group_jobs_run_in_each_groups_timezone(fake):
    await fake.say(":group shanghai", ":group newyork")
    await set_tz(fake, "shanghai", "Asia/Shanghai")
    await set_tz(fake, "newyork", "America/New_York")
    await set_tz(fake, "lobby", "Asia/Kolkata")  # a half-hour zone
    before = len(fake.outputs)
    # The clock starts at 2026-03-02 01:00 UTC: 20:00 of March 1st in New York.
    await step(fake, timedelta(hours=20), timedelta(minutes=7))
    by_group = {}
    for group, local in runs:
        by_group.setdefault(group, []).append(local)
    assert by_group["shanghai"] == ["2026-03-02 21:00 CST"]
    assert by_group["newyork"] == ["2026-03-01 21:00 EST"]
    assert by_group["lobby"] == ["2026-03-02 21:00 IST"]
    posted = [o.channel for o in fake.outputs[before:]]
    assert sorted(posted) == ["lobby", "newyork", "shanghai"]


async def run_dst_days(start: datetime) -> None:
    app, console = make_app([dst], {"bot": {"timezone": "America/New_York"}}, start=start)
    async with app:
        await step(ChatDriver(app, console), timedelta(hours=48), timedelta(minutes=10))


async def test_dst_fall_back_runs_a_repeated_hour_once():
    await run_dst_days(datetime(2026, 10, 31, 12, 0, tzinfo=UTC))
    folds = [local for name, local in runs if name == "fold"]
    assert folds == ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"]


async def test_dst_spring_forward_never_runs_twice():
    await run_dst_days(datetime(2026, 3, 7, 12, 0, tzinfo=UTC))
    gaps = [local for name, local in runs if name == "gap"]
    days = [g[:10] for g in gaps]
    assert len(days) == len(set(days))  # at most once a day, the skipped hour included
    assert "2026-03-09" in days


async def test_a_slot_runs_once_across_restarts_and_is_caught_up(tmp_path):
    url = f"sqlite://{tmp_path}/bot.sqlite3"
    app, console = make_app([nightly], database_url=url, start=datetime(2026, 3, 2, 12, 30, tzinfo=UTC))
    async with app:
        await set_tz(ChatDriver(app, console), "lobby", "Asia/Shanghai")
        await console.clock.advance(timedelta(minutes=31))  # 21:01 in Shanghai
    assert runs == [("lobby", "2026-03-02 21:00 CST")]

    # A restart a minute later does not run the same slot again.
    app, console = make_app([nightly], database_url=url, start=datetime(2026, 3, 2, 13, 2, tzinfo=UTC))
    async with app:
        await console.clock.advance(timedelta(minutes=5))
    assert len(runs) == 1

    # Down across the next evening: the missed slot runs once at start, not once per slot.
    app, console = make_app([nightly], database_url=url, start=datetime(2026, 3, 5, 2, 0, tzinfo=UTC))
    async with app:
        pass
    assert runs[1:] == [("lobby", "2026-03-04 21:00 CST")]
    async with app_db(url):
        assert await JobRun.filter(job="nightly.evening").count() == 2


class app_db:
    """Open the database of a stopped bot to look at it."""

    def __init__(self, url):
        self.app, _ = make_app([nightly], database_url=url)

    async def __aenter__(self):
        await self.app.open()

    async def __aexit__(self, *exc):
        await self.app.stop()


slow = Plugin("slow")
active = {"now": 0, "max": 0}
gate = asyncio.Event()
started = asyncio.Event()


@slow.cron("* * * * *", per_guild=False)
async def crawl(job: JobContext) -> None:
    active["now"] += 1
    active["max"] = max(active["max"], active["now"])
    started.set()
    await gate.wait()
    active["now"] -= 1


@pytest.mark.plugins(slow)
async def test_a_job_never_overlaps_itself(fake):
    gate.clear()
    started.clear()
    first = asyncio.create_task(fake.clock.advance(60))
    second = None
    try:
        await asyncio.wait_for(started.wait(), 5)
        # The minute after: the first run is still going, so this one does not start.
        second = asyncio.create_task(fake.clock.advance(60))
        await asyncio.sleep(0.1)
        assert active == {"now": 1, "max": 1}
    finally:
        gate.set()
        await asyncio.wait_for(asyncio.gather(first, *([second] if second else [])), 5)
    # Once it is done, the next tick runs it again (its latest slot).
    await fake.clock.advance(60)
    assert active["max"] == 1
    assert await JobRun.filter(job="slow.crawl", status="done").count() == 2


async def test_housekeeping_forgets_old_buttons(fake):
    from bot.storage.models import ButtonToken

    now = fake.clock.now()
    await ButtonToken.create(id="old", plugin="x", action="y", platform="console", created_at=now)
    await fake.wait("8d")
    assert await ButtonToken.filter(id="old").count() == 1  # buttons live a month
    await fake.wait("30d")
    assert await ButtonToken.filter(id="old").count() == 0


stuck = Plugin("stuck")
ticks: list[str] = []
release = asyncio.Event()
ticked = asyncio.Event()


@stuck.cron("* * * * *", per_guild=False)
async def hang(job: JobContext) -> None:
    ticks.append("hang")
    await release.wait()


@stuck.cron("* * * * *", per_guild=False)
async def tick(job: JobContext) -> None:
    ticks.append("tick")
    ticked.set()


async def recorded(job: str) -> None:
    """Wait (a little real time: the database answers from its own thread) until a run of
    ``job`` that the test did not wait for has been recorded as done."""
    for _ in range(500):
        if await JobRun.filter(job=job, status="done").exists():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{job} never finished")


@pytest.mark.plugins(stuck)
async def test_a_stuck_job_does_not_hold_up_the_others(fake):
    ticks.clear()
    release.clear()
    ticked.clear()
    # The move that started the stuck job waits for it (the fake clock waits for the jobs it
    # started); the clock moves on meanwhile, as the real one would.
    first = asyncio.create_task(fake.clock.advance(60))
    try:
        await asyncio.wait_for(ticked.wait(), 5)
        await recorded("stuck.tick")  # its run is over (a job never overlaps itself)
        # Minute after minute the other job runs again; the stuck one never starts twice.
        for _ in range(2):
            await asyncio.wait_for(fake.clock.advance(60), 5)
        assert ticks.count("tick") == 3
        assert ticks.count("hang") == 1
        assert not first.done()
    finally:
        release.set()
        await asyncio.wait_for(first, 5)
    await fake.clock.advance(60)
    assert ticks.count("hang") == 2


# -- catch-up across a jump of the clock ------------------------------------------------------------
evening_all = Plugin("evening_all")
evening_latest = Plugin("evening_latest")
evening_none = Plugin("evening_none")
seen_at: list[tuple[str, datetime, datetime]] = []


@evening_all.cron("0 21 * * *", catch_up="all")
async def every_evening(job: JobContext) -> None:
    seen_at.append((job.job, job.slot, job.now))


@evening_latest.cron("0 21 * * *", catch_up="latest")
async def latest_evening(job: JobContext) -> None:
    seen_at.append((job.job, job.slot, job.now))


@evening_none.cron("0 21 * * *", catch_up="none")
async def no_evening(job: JobContext) -> None:
    seen_at.append((job.job, job.slot, job.now))


def shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in the lobby's timezone (the bot's default, Asia/Shanghai), as UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture
def _fresh():
    seen_at.clear()


@pytest.mark.plugins(evening_all)
async def test_catch_up_all_runs_each_slot_at_its_own_time_across_a_jump(fake, _fresh):
    # The clock starts on March 2nd at 09:00 in Shanghai: two evenings in two days.
    await fake.wait("2d")
    assert seen_at == [
        ("evening_all.every_evening", shanghai(2, 21), shanghai(2, 21)),
        ("evening_all.every_evening", shanghai(3, 21), shanghai(3, 21)),
    ]
    assert fake.clock.now() == shanghai(4, 9)


@pytest.mark.plugins(evening_latest)
async def test_catch_up_latest_runs_the_newest_slot_once(fake, _fresh):
    await fake.wait("2d")
    assert seen_at == [("evening_latest.latest_evening", shanghai(3, 21), shanghai(4, 9))]


@pytest.mark.plugins(evening_none)
async def test_catch_up_none_skips_what_a_jump_passed(fake, _fresh):
    await fake.wait("2d")
    assert seen_at == []
    # Reached minute by minute, the slot runs.
    await step(fake, timedelta(hours=13), timedelta(minutes=1))
    assert seen_at == [("evening_none.no_evening", shanghai(4, 21), shanghai(4, 21))]


day_plan = Plugin("day_plan")
order: list[tuple[str, str]] = []


@day_plan.cron("0 18 * * *", catch_up="all")
async def dinner(job: JobContext) -> None:
    order.append(("dinner", job.now.astimezone(job.timezone).strftime("%d %H:%M")))


@day_plan.cron("0 12 * * *", catch_up="all", per_guild=False)
async def lunch(job: JobContext) -> None:
    order.append(("lunch", job.now.astimezone(job.timezone).strftime("%d %H:%M")))


@day_plan.cron("30 9 * * *", catch_up="all")
async def standup(job: JobContext) -> None:
    order.append(("standup", job.now.astimezone(job.timezone).strftime("%d %H:%M")))


@pytest.mark.plugins(day_plan)
async def test_slots_of_several_jobs_run_in_time_order_across_a_jump(fake):
    order.clear()
    await fake.wait("1d")
    assert order == [("standup", "02 09:30"), ("lunch", "02 12:00"), ("dinner", "02 18:00")]


patient = Plugin("patient")
steps: list[str] = []
where: list[asyncio.Task] = []


@patient.cron("0 10 * * *")
async def slow_steps(job: JobContext) -> None:
    where.append(asyncio.current_task())
    for i in range(5):
        await asyncio.sleep(0)
        steps.append(f"step {i}")
    await job.send("done")


@pytest.mark.plugins(patient)
async def test_jobs_run_as_tasks_and_the_fake_clock_waits_for_them(fake):
    steps.clear()
    where.clear()
    out = await fake.wait("1h")
    assert steps == [f"step {i}" for i in range(5)]  # finished before the wait returned
    assert [o.text for o in out] == ["done"]
    assert where[0] is not asyncio.current_task()  # a task of its own, as in production
