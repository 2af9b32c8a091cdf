"""The rule "fewer than M messages in the last K days": counted in memory and written in
batches, selected only on counts known to be complete (after a crash the count starts again, and
a run whose counts may miss messages spares its members), warned privately, removed."""

import pytest

from bot.storage.models import AuditEntry
from plugins.inactive import plugin
from plugins.inactive.counts import MessageCounts
from plugins.inactive.models import DayCount, FirstCounted

EN = {"bot": {"locale": "en"}}
RULE = {"min_messages": 3, "messages_days": 30}
CONFIG = {**EN, "plugins": {"inactive": RULE}}
pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(CONFIG)]


async def sporadic(fake):
    """Day 0: everyone speaks. Day 20: bob once, carol four times, erin once. Day 35: dave's
    first message. Preview on day 36 (09:00 local): the window is days 7 to 36."""
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", "bob: hi", "carol: hi", "erin: hi")
    await fake.wait("20d")
    await fake.say("bob: one thing", *["carol: chat"] * 4, "erin: me too", "alice: ok")
    await fake.wait("15d")
    await fake.say("dave: first time here", "alice: welcome")
    await fake.wait("1d")


async def test_few_messages_previewed_warned_privately_and_removed(fake):
    await sporadic(fake)
    [preview] = await fake.say("alice: /inactive preview")
    assert "(inactive ≥ 30 days, fewer than 3 messages in 30 days, newcomers protected 7 days)" in preview
    assert "bob — 1 message in the last 30 days (fewer than 3), last seen 2026-03-22" in preview
    assert "erin — 1 message in the last 30 days" in preview
    # carol spoke enough; dave was first seen inside the window: not known long enough.
    assert "carol" not in preview and "dave" not in preview
    out = await fake.play(["alice click Confirm"])
    assert {o.channel for o in out} == {"dm:bob", "dm:erin", "lobby"}
    [dm] = [o.text for o in out if o.channel == "dm:bob"]
    assert "(1 message in the last 30 days (fewer than 3)" in dm
    await fake.wait("1d")
    await fake.say("erin: I'm still here!")  # spared: she spoke during the warning
    [report] = [o.text for o in await fake.wait("2d")]
    assert fake.kicked == [("lobby", "bob")]
    assert report.startswith("🧹 Run #1: removed 1 inactive member: bob.\nSpared: active again 1.")
    [audit] = await AuditEntry.filter(action="inactive.remove").values_list("detail", flat=True)
    assert audit["rule"] == "messages" and audit["recent"] == 1 and audit["warned"] == "dm"


async def test_counts_are_written_in_batches_not_per_message(fake):
    fake.admin("alice")
    await fake.say(":locale en", *["bob: hello"] * 50)
    assert await DayCount.all().count() == 0  # nothing written on the message path
    await fake.run_job("inactive.flush")
    rows = await DayCount.all().values_list("user_id", "messages")
    assert rows == [("bob", 50)]
    # The next batch adds to the stored day.
    await fake.say("bob: again")
    await fake.run_job("inactive.flush")
    assert (await DayCount.get(user_id="bob")).messages == 51


@pytest.mark.bot_config({"bot": {"locale": "en", "member_cache": 2}, "plugins": {"inactive": RULE}})
async def test_a_small_member_cache_keeps_each_members_first_counted_message(fake):
    # Room for two in memory, three members: whoever is forgotten and speaks again costs an
    # insert that changes nothing; the first time each one was counted stays the first.
    await fake.say("ann: hi", "ben: hi", "cy: hi")
    await fake.run_job("inactive.flush")
    first = dict(await FirstCounted.all().values_list("user_id", "at"))
    assert sorted(first) == ["ann", "ben", "cy"]
    await fake.wait("1d")
    await fake.say("ann: again", "ben: again", "cy: again", "ann: more", "dee: hello")
    await fake.run_job("inactive.flush")
    later = dict(await FirstCounted.all().values_list("user_id", "at"))
    assert {k: v for k, v in later.items() if k != "dee"} == first and later["dee"] > first["ann"]
    assert len(fake.app.scope("inactive").service(MessageCounts)._written) <= 2  # bounded (a peek)
    days = await DayCount.all().order_by("user_id", "day").values_list("user_id", "messages")
    assert days == [("ann", 1), ("ann", 2), ("ben", 1), ("ben", 1), ("cy", 1), ("cy", 1), ("dee", 1)]


@pytest.mark.bot_config({**EN, "plugins": {"inactive": {**RULE, "inactive_days": 0}}})
async def test_until_the_counts_cover_a_whole_window_the_rule_waits_and_says_so(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", "bob: hi")
    await fake.wait("10d")
    [preview] = await fake.say("alice: /inactive preview")
    assert preview.startswith("🧹 Inactive members, preview #1 (fewer than 3 messages in 30 days")
    assert "Nobody would be removed (2 members known)." in preview
    assert (
        "The messages rule selects nobody yet: messages are counted completely only since "
        "2026-03-02 09:00" in preview
    )
    assert "its 30-day window must lie after that: from 2026-04-01." in preview
    [status] = await fake.say("alice: /inactive status")
    assert "Rules here: fewer than 3 messages in 30 days" in status
    assert "from 2026-04-01" in status


class TestPostgres:
    """The counts' upserts and window sums on PostgreSQL (QUNBOT_TEST_PG_URL)."""

    @pytest.fixture
    def bot_database_url(self, pg_url):
        return pg_url

    async def test_messages_rule_on_postgres(self, fake):
        await test_few_messages_previewed_warned_privately_and_removed(fake)

    async def test_batches_on_postgres(self, fake):
        await test_counts_are_written_in_batches_not_per_message(fake)
