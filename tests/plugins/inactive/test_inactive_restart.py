"""The messages rule across restarts: a clean stop keeps the counts trusted; a crash (a real one:
the process exits without stopping) may have lost the last batch, so the run at the deadline
spares whom that rule selected, and the rule waits for a whole window counted after the restart."""

import subprocess
import sys
import textwrap
from datetime import datetime, timedelta

from bot.testing import make_app
from bot.testing.driver import ChatDriver

CONFIG = {"bot": {"locale": "en"}, "plugins": {"inactive": {"min_messages": 3, "messages_days": 30}}}

# Bob speaks once in the window; the admin previews and confirms on day 36; then the process
# ends: cleanly (app.stop) or not at all (os._exit). It prints its clock.
SCRIPT = textwrap.dedent(
    """
    import asyncio, os, sys
    from bot.testing import make_app
    from bot.testing.driver import ChatDriver

    async def main(url, crash):
        app, console = make_app(["inactive"], {config!r}, database_url=url)
        await app.start()
        fake = ChatDriver(app, console)
        fake.admin("alice")
        await fake.say(":locale en", "alice: hi", "bob: hi")
        await fake.wait("20d")
        await fake.say("bob: one thing", "alice: ok")
        await fake.wait("16d")
        [preview] = await fake.say("alice: /inactive preview")
        assert "bob — 1 message in the last 30 days" in preview, preview
        await fake.say("alice click Confirm")
        print(console.clock.now().isoformat(), flush=True)
        if crash:
            os._exit(0)
        await app.stop()

    asyncio.run(main(sys.argv[1], sys.argv[2] == "crash"))
    """
).format(config=CONFIG)


def first_life(tmp_path, how: str) -> tuple[str, datetime]:
    url = f"sqlite://{tmp_path / 'bot.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, url, how], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return url, datetime.fromisoformat(done.stdout.strip().splitlines()[-1])


async def second_life(url: str, at: datetime):
    # Restarted ten minutes later (a crashed process has stopped writing by then).
    app, console = make_app(["inactive"], CONFIG, database_url=url, start=at + timedelta(minutes=10))
    await app.start()
    fake = ChatDriver(app, console)
    fake.admin("alice")  # the console forgets its admins: the platform would not
    await fake.say(":locale en")
    return app, fake


async def test_after_a_clean_restart_the_counts_are_still_trusted(tmp_path):
    url, at = first_life(tmp_path, "stop")
    app, fake = await second_life(url, at)
    try:
        [report] = [o.text for o in await fake.wait("3d")]
        assert fake.kicked == [("lobby", "bob")]
        assert report.startswith("🧹 Run #1: removed 1 inactive member: bob.")
    finally:
        await app.stop()


async def test_after_a_crash_nobody_is_removed_on_counts_that_may_be_incomplete(tmp_path):
    url, at = first_life(tmp_path, "crash")
    app, fake = await second_life(url, at)
    try:
        [report] = [o.text for o in await fake.wait("3d")]
        assert fake.kicked == []
        assert report == "Run #1: nobody was removed.\nSpared: could not be checked 1."
        # The rule waits for a whole window counted since the restart, and says so.
        [preview] = await fake.say("alice: /inactive preview")
        assert "bob" not in preview
        assert "messages are counted completely only since 2026-04-07 09:10" in preview
        assert "from 2026-05-07" in preview
    finally:
        await app.stop()
