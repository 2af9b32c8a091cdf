"""HQ broadcast on the console: tags, preview and confirm, the queue sent once, local times,
failures, leaders' confirmations."""

from datetime import UTC, datetime

import pytest

from bot import PlatformError
from plugins.broadcast import Broadcasts, plugin
from plugins.broadcast.models import SENDING, SENT, UNKNOWN, Delivery, GroupLeader, Schedule

FAST = {"rate_per_second": 1000, "group_gap_seconds": 0, "retry_seconds": 60}
CONFIG = {"bot": {"owners": ["console:boss"], "locale": "en"}, "plugins": {"broadcast": FAST}}

pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(CONFIG)]


def in_group(fake, name):
    return [o.text for o in fake.outputs if o.channel == name]


async def setup_groups(fake, groups=("g1", "g2", "g3"), tagged=("g1", "g2")):
    """HQ and the groups; the console's own "lobby" is a group too (it gets untagged sends)."""
    await fake.say(":locale en", ":group hq", "boss: hello", "boss: /hq set")
    for name in groups:
        await fake.say(f":group {name}", f"lead_{name}: hi")
        fake.admin(f"lead_{name}")
        if name in tagged:
            await fake.say(f"lead_{name}: /groups tag study", f"lead_{name}: /groups leader @lead_{name}")
    await fake.say(":group hq")
    fake.admin("boss")


async def test_preview_confirm_and_every_tagged_group_gets_one_copy(fake):
    await setup_groups(fake)
    [preview] = await fake.say("boss: /broadcast study Exam tomorrow, bring your ID")
    assert "to 2 groups (tags: study), now" in preview
    assert "Exam tomorrow, bring your ID" in preview
    assert in_group(fake, "g1") == ["This group's tags: study", "lead_g1 is now this group's leader and "
                                    "confirms each HQ broadcast."]
    await fake.click("boss", "Confirm")
    await fake.run_job("broadcast.deliver")
    assert in_group(fake, "g1")[-1] == "Exam tomorrow, bring your ID"
    assert in_group(fake, "g2")[-1] == "Exam tomorrow, bring your ID"
    assert in_group(fake, "g3") == []
    hq = in_group(fake, "hq")
    assert any("sent 2/2 · failed 0 · unknown 0 · waiting 0" in line for line in hq)
    # A second press, another drain: nothing more.
    await fake.run_job("broadcast.deliver")
    assert sum("Exam tomorrow" in o.text for o in fake.outputs if o.channel != "hq") == 2
    assert await Delivery.filter(status=SENT).count() == 2


async def test_without_tags_every_group_but_hq_and_only_admins(fake):
    await setup_groups(fake)
    out = await fake.say("eve: /broadcast hi all")
    assert "admin" in out[0].lower() or "permission" in out[0].lower() or "not allowed" in out[0].lower()
    [preview] = await fake.say("boss: /broadcast hi all")
    assert "to 4 groups (all groups)" in preview
    await fake.say(":group g1")
    out = await fake.say("lead_g1: /broadcast hi")
    assert out == ["This works in the HQ group only (a bot owner sets it there with /hq set)."]


async def test_leader_confirms_and_status_shows_who_has_not(fake):
    await setup_groups(fake)
    await fake.say("boss: /broadcast study Meeting at 8")
    await fake.click("boss", "Confirm")
    await fake.run_job("broadcast.deliver")
    # The newest copy with the button is g2's: its leader confirms, nobody else may.
    await fake.click("eve", "✅ Received")
    await fake.click("lead_g2", "✅ Received")
    [status] = await fake.say("boss: /broadcast status 1")
    assert "Leaders confirmed: 1/2" in status
    assert "Not confirmed yet: g1（lead_g1）" in status
    assert await Delivery.filter(confirmed_at__not_isnull=True).count() == 1


async def test_at_21_in_each_groups_own_timezone(fake):
    await setup_groups(fake, groups=("shanghai", "london"), tagged=())
    await fake.say(":group london", "lead_london: /timezone Europe/London")
    await fake.say(":group hq")
    fake.clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))  # 18:00 Shanghai, 10:00 London
    [preview] = await fake.say("boss: /broadcast at 21:00 Good evening")
    assert "at 21:00 in each group's local time" in preview
    await fake.click("boss", "Confirm")
    await fake.run_job("broadcast.deliver")
    assert "Good evening" not in in_group(fake, "shanghai")
    await fake.wait("3h")  # 21:00 in Shanghai
    assert in_group(fake, "shanghai")[-1] == "Good evening"
    assert "Good evening" not in in_group(fake, "london")
    await fake.wait("7h59m")  # 20:59 in London
    assert "Good evening" not in in_group(fake, "london")
    await fake.wait("2m")
    assert in_group(fake, "london")[-1] == "Good evening"
    rows = {r.guild_id: r for r in await Delivery.all()}
    assert rows["shanghai"].sent_at == datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
    assert rows["london"].sent_at >= datetime(2026, 3, 2, 21, 0, tzinfo=UTC)


async def test_transient_failures_retry_with_backoff_and_removal_is_final(fake, monkeypatch):
    await setup_groups(fake, tagged=())
    console = fake.console
    real_send = console.send
    # What the adapters raise: a passing 502 (retryable), a refusal (neither flag).
    failures = {"g1": [PlatformError("Telegram: server error (Bad Gateway)", retryable=True)] * 2,
                "g2": [PlatformError("Telegram refused: Forbidden: bot was kicked from the supergroup chat")]}

    async def flaky(channel_id, message):
        queue = failures.get(channel_id)
        if queue:
            raise queue.pop(0)
        return await real_send(channel_id, message)

    monkeypatch.setattr(console, "send", flaky)
    await fake.say("boss: /broadcast Notice")
    await fake.click("boss", "Confirm")
    await fake.run_job("broadcast.deliver")
    assert in_group(fake, "g3")[-1] == "Notice"
    assert "Notice" not in in_group(fake, "g1")
    await fake.wait("1m")  # first retry after 60 s
    assert "Notice" not in in_group(fake, "g1")
    await fake.wait("2m")  # second after 120 s more
    assert in_group(fake, "g1")[-1] == "Notice"
    assert in_group(fake, "g1").count("Notice") == 1
    [status] = await fake.say("boss: /broadcast status 1")
    assert "sent 3/4 · failed 1" in status
    assert "✖ g2: Telegram refused: Forbidden: bot was kicked" in status


async def test_a_crash_between_claim_and_record_is_reported_not_resent(fake):
    await setup_groups(fake, tagged=())
    await fake.say("boss: /broadcast Once only")
    service = fake.app.scope("broadcast").service(Broadcasts)
    # Confirm without the drain, then fake a process that claimed g1 and died.
    await service.confirm(1)
    await Delivery.filter(guild_id="g1").update(
        status=SENDING, claimed_by="dead", claimed_at=fake.clock.now()
    )
    assert await service.recover() == 1
    await fake.run_job("broadcast.deliver")
    assert "Once only" not in in_group(fake, "g1")
    assert in_group(fake, "g2")[-1] == "Once only"
    [status] = await fake.say("boss: /broadcast status 1")
    assert "unknown 1" in status and "❓ g1" in status
    await fake.say("boss: /broadcast resend 1")
    await fake.run_job("broadcast.deliver")
    assert in_group(fake, "g1").count("Once only") == 1
    assert await Delivery.filter(status=UNKNOWN).count() == 0


async def test_cancel_a_scheduled_broadcast(fake):
    await setup_groups(fake, tagged=())
    await fake.say("boss: /broadcast at 23:00 Late notice")
    await fake.click("boss", "Confirm")
    [done] = await fake.say("boss: /broadcast cancel 1")
    assert "4 copies not sent yet are cancelled" in done
    await fake.wait("1d")
    assert not any("Late notice" in o.text for o in fake.outputs if o.channel != "hq")


async def test_recall_deletes_every_copy_and_hq_gets_the_summary(fake):
    await setup_groups(fake)
    await fake.say("boss: /broadcast study Wrong date, sorry")
    await fake.click("boss", "Confirm")
    await fake.run_job("broadcast.deliver")
    copies = [o for o in fake.outputs if o.text == "Wrong date, sorry" and o.channel != "hq"]
    assert [o.channel for o in copies] == ["g1", "g2"]
    [answer] = await fake.say("boss: /broadcast recall 1")
    assert answer == "🗑 Broadcast #1: deleting 2 copies; HQ gets a summary when they are done."
    await fake.run_job("broadcast.deliver")
    assert all(o.deleted for o in copies)
    assert "🗑 Recall: deleted 2 · not deleted 0 · waiting 0" in in_group(fake, "hq")[-1]
    assert await fake.say("boss: /broadcast recall 1") == [
        "🗑 Broadcast #1: deleting 0 copies; HQ gets a summary when they are done."
    ]
    assert await fake.say("boss: /broadcast recall 7") == ["There is no confirmed broadcast #7."]


async def test_recall_of_a_scheduled_broadcast_cancels_what_is_not_sent(fake):
    await setup_groups(fake)
    await fake.say("boss: /broadcast study at 23:00 Late notice")
    await fake.click("boss", "Confirm")
    [answer] = await fake.say("boss: /broadcast recall 1")
    assert "Broadcast #1: 2 copies not sent yet are cancelled." in answer
    await fake.wait("1d")
    assert not any("Late notice" in o.text for o in fake.outputs if o.channel != "hq")


async def test_pin_where_the_platform_cannot_is_reported(fake):
    await setup_groups(fake)
    [preview] = await fake.say("boss: /broadcast study pin Keep this on top")
    assert "📌 The copies will be pinned where the bot may pin" in preview
    await fake.click("boss", "Confirm")
    await fake.run_job("broadcast.deliver")
    assert in_group(fake, "g1")[-1] == "Keep this on top"
    [status] = await fake.say("boss: /broadcast status 1")
    assert "📌 Pinned: 0/2" in status
    assert "📌✖ g1: not pinned: pinning is not available on this platform" in status


async def test_forgetme_removes_leaderships_and_authorship_but_not_the_posts(fake):
    await setup_groups(fake)
    await fake.say(":group g1", "lead_g1: /schedule add daily 10:00 Reading time")
    await fake.say("lead_g1: /forgetme")
    await fake.click("lead_g1", "Delete my data")
    assert await GroupLeader.filter(user_id="lead_g1").count() == 0
    [schedule] = await Schedule.all()
    assert schedule.author == "" and schedule.text == "Reading time"
    await fake.wait("61m")
    assert in_group(fake, "g1")[-1] == "Reading time"


async def test_zh_command_names(fake):
    await setup_groups(fake, tagged=())
    await fake.say(":locale zh")
    [preview] = await fake.say("boss: /广播 定时 9:30 早安")
    assert "发往 4 个群" in preview and "当地时间 09:30" in preview


class TestOnPostgres:
    """The queue's claims and conditional updates on PostgreSQL."""

    @pytest.fixture
    def bot_database_url(self, pg_url):
        return pg_url

    async def test_one_copy_each_on_postgres(self, fake):
        await test_preview_confirm_and_every_tagged_group_gets_one_copy(fake)

    async def test_crash_leftover_unknown_on_postgres(self, fake):
        await test_a_crash_between_claim_and_record_is_reported_not_resent(fake)

    async def test_local_times_on_postgres(self, fake):
        await test_at_21_in_each_groups_own_timezone(fake)
