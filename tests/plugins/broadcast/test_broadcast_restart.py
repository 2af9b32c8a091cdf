"""300 groups, the process dies in the middle of a send (after the platform took the copy,
before the record), a new process starts on the same database: every group has exactly one
copy, and the copy in doubt is reported as unknown, not sent again."""

import asyncio

from bot.testing.driver import ChatDriver, make_app
from plugins.broadcast import Broadcasts, plugin
from plugins.broadcast.models import SENT, UNKNOWN, Delivery

CONFIG = {
    "bot": {"owners": ["console:boss"], "locale": "en"},
    "plugins": {"broadcast": {"rate_per_second": 1000, "group_gap_seconds": 0}},
}
GROUPS = 300
DIE_AFTER = 137


async def test_a_crash_mid_broadcast_sends_every_copy_at_most_once(tmp_path):
    url = f"sqlite://{tmp_path / 'bot.sqlite3'}"
    app, console = make_app([plugin], CONFIG, database_url=url)
    await app.start()
    fake = ChatDriver(app, console)
    await fake.say(":locale en", ":group hq", "boss: hi", "boss: /hq set")
    fake.admin("boss")
    for n in range(GROUPS):
        await fake.say(f":group g{n}", "ann: hi")
    await fake.say(":group hq", "boss: /broadcast Copy once")
    real_send = console.send
    sent = 0

    async def dying(channel_id, message):
        nonlocal sent
        result = await real_send(channel_id, message)
        if channel_id != "hq":
            sent += 1
            if sent == DIE_AFTER:
                raise asyncio.CancelledError  # the process is gone before the record
        return result

    console.send = dying
    await fake.click("boss", "Confirm")
    service = app.scope("broadcast").service(Broadcasts)
    await asyncio.gather(service._task, return_exceptions=True)
    first = [o.channel for o in console.outputs if o.text == "Copy once"]
    assert len(first) == DIE_AFTER
    await app.stop()

    app2, console2 = make_app([plugin], CONFIG, database_url=url)
    await app2.start()
    try:
        fake2 = ChatDriver(app2, console2)
        await fake2.run_job("broadcast.deliver")
        second = [o.channel for o in console2.outputs if o.text == "Copy once"]
        copies = first + second
        assert len(copies) == GROUPS + 1  # every group once: the console's lobby too, not HQ
        assert len(set(copies)) == len(copies)
        assert await Delivery.filter(status=SENT).count() == GROUPS
        [doubt] = await Delivery.filter(status=UNKNOWN)
        assert doubt.guild_id == first[-1]
        await fake2.say(":locale en", ":group hq")
        [status] = await fake2.say("boss: /broadcast status 1")
        assert f"sent {GROUPS}/{GROUPS + 1}" in status and "unknown 1" in status
    finally:
        await app2.stop()
