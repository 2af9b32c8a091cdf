"""Inactive members: the preview, Confirm, the warning, removal at the deadline, undo."""

import pytest

from bot.storage.models import AuditEntry
from plugins.inactive import plugin
from plugins.inactive.models import Candidate

EN = {"bot": {"locale": "en"}}
pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(EN)]


async def lurkers(fake, *names):
    """alice (an admin) and ``names`` speak, then 40 days pass; alice speaks again."""
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", *[f"{n}: hello" for n in names])
    await fake.wait("40d")
    await fake.say("alice: still here")


async def test_preview_confirm_warn_then_remove_only_those_still_inactive(fake):
    await lurkers(fake, "bob", "carol", "dave")
    [preview] = await fake.play(["alice: /inactive preview"])
    assert preview.text.startswith("🧹 Inactive members, preview #1 (inactive ≥ 30 days")
    assert "1. bob — not seen for 40 days" in preview.text
    assert "alice" not in preview.text.split("\n", 1)[1]
    assert preview.buttons == ("Confirm", "Cancel")
    fake.console.dm_closed.add("dave")  # never opened a private chat with the bot
    out = await fake.play(["alice click Confirm"])
    dms = {o.channel: o.text for o in out if o.channel.startswith("dm:")}
    assert sorted(dms) == ["dm:bob", "dm:carol"]
    assert dms["dm:bob"].startswith("⚠️ lobby: you are on the list of inactive members to be removed at "
                                    "2026-04-14 09:00 (not seen for 40 days")
    [warning] = [o.text for o in out if o.channel == "lobby"]
    assert warning == (
        "⚠️ Inactivity notice: this member will be removed at 2026-04-14 09:00 unless they speak or "
        "check in before then: @dave\n2 more were told privately.\nAnyone removed may join again. (run #1)"
    )
    # carol speaks during the warning period: spared.
    await fake.wait("1d")
    await fake.say("carol: I am here!")
    assert fake.kicked == []
    out = [o.text for o in await fake.wait("2d")]
    assert fake.kicked == [("lobby", "bob"), ("lobby", "dave")]
    assert out == [
        "🧹 Run #1: removed 2 inactive members: bob, dave.\nSpared: active again 1.\n"
        "An admin can let them back within 7 days: /inactive undo 1"
    ]
    # A second deadline job, or a restart, removes nobody again.
    await fake.run_job("inactive.deadlines")
    assert fake.kicked == [("lobby", "bob"), ("lobby", "dave")]
    audit = await AuditEntry.filter(action="inactive.remove").order_by("id").values_list("target", flat=True)
    assert [t.rsplit(":", 1)[-1] for t in audit] == ["bob", "dave"]


async def test_who_speaks_between_the_preview_and_the_confirm_is_not_warned(fake):
    await lurkers(fake, "bob", "carol", "dave")
    await fake.play(["alice: /inactive preview"])
    await fake.say("carol: back from my holidays")
    fake.console.dm_closed.update({"bob", "dave"})
    out = await fake.play(["alice click Confirm"])
    [warning] = [o.text for o in out if o.channel == "lobby"]
    assert "@bob, @dave" in warning and "carol" not in warning
    assert not [o for o in out if o.channel == "dm:carol"]
    await fake.wait("3d")
    assert fake.kicked == [("lobby", "bob"), ("lobby", "dave")]


async def test_undo_lets_them_back_and_keeps_the_record(fake):
    await lurkers(fake, "bob")
    await fake.say("alice: /inactive preview", "alice click Confirm")
    await fake.wait("3d")
    assert fake.kicked == [("lobby", "bob")]
    out = await fake.play(["alice: /inactive undo 1"])
    [undone] = [o.text for o in out if o.channel == "lobby"]
    assert undone.startswith("↩️ Run #1 undone: 1 member may come back (bob)")
    dm = [o for o in fake.outputs if o.channel == "dm:bob"]
    assert "an admin has undone it" in dm[-1].text
    assert await fake.say("alice: /inactive undo 1") == ["Run #1 was already undone."]
    assert await fake.say("alice: /inactive undo 9") == ["There is no run #9 in this group."]


async def test_members_are_never_told_before_an_admin_confirms(fake):
    await lurkers(fake, "bob")
    await fake.say("alice: /inactive preview")
    assert await fake.say("bob click Confirm") == []
    assert fake.console.toasts[-1] == ("bob", "Only an admin who may remove members can do this.")
    assert await fake.say("bob: /inactive preview") == ["You need to be an admin to use /inactive preview."]
    await fake.wait("5d")
    assert fake.kicked == []


async def test_protected_members_are_never_selected(fake):
    fake.admin("alice")
    fake.admin("mod")
    await fake.say(":locale en", "alice: hi", "mod: hi", "bob: hi", "friend: hi")
    await fake.say("alice: /inactive protect @friend")
    await fake.wait("40d")
    await fake.say("+newbie")  # joined within the grace period
    [preview] = await fake.say("alice: /inactive preview")
    assert "bob" in preview
    for name in ("mod", "friend", "newbie", "qunbot"):
        assert name not in preview
    assert "Protected on a live check and left out: admins 1." in preview


async def test_an_admin_promoted_after_the_warning_is_not_removed(fake):
    await lurkers(fake, "bob", "carol")
    await fake.say("alice: /inactive preview", "alice click Confirm")
    fake.admin("carol")  # silent promotion: only the live check at action time knows
    await fake.wait("3d")
    assert fake.kicked == [("lobby", "bob")]


async def test_a_permission_error_halts_the_run_and_reports(fake):
    await lurkers(fake, "bob", "carol", "dave")
    await fake.say("alice: /inactive preview", "alice click Confirm")
    fake.console.unkickable.add("carol")
    out = [o.text for o in await fake.wait("3d")]
    assert fake.kicked == [("lobby", "bob")]
    assert out[-1].startswith("⛔ Run #1 stopped: the platform refused to remove carol")
    assert "1 removed before that" in out[-1]
    await fake.run_job("inactive.deadlines")
    assert fake.kicked == [("lobby", "bob")]  # no retry: an admin previews again


async def test_the_set_grew_so_confirm_previews_again(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", "bob: hi")
    await fake.wait("252h")  # 10.5 days
    await fake.say("carol: hi")
    await fake.wait("708h")  # 29.5 days more: bob 40 days, carol 29.5 days
    await fake.say("alice: /inactive preview")
    await fake.wait("1d")
    # carol is inactive now too: the admin must see the new list before anyone is warned.
    [again] = await fake.say("alice click Confirm")
    assert again.startswith("The selection changed since the preview")
    assert "preview #2" in again and "carol" in again
    fake.console.dm_closed.update({"bob", "carol"})
    [warning] = await fake.say("alice click Confirm")
    assert "these 2 members will be removed" in warning and "@bob, @carol" in warning


async def test_cancel_stops_a_warned_sweep(fake):
    await lurkers(fake, "bob")
    await fake.say("alice: /inactive preview", "alice click Confirm")
    assert await fake.say("alice: /inactive cancel") == ["Run #1 cancelled: nobody is removed."]
    await fake.wait("4d")
    assert fake.kicked == []


@pytest.mark.bot_config({**EN, "plugins": {"inactive": {"cap": 3, "inactive_days": 0, "grace_days": 0}}})
async def test_capacity_mode_stops_exactly_at_the_cap(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi")
    for name in ["m1", "m2", "m3", "m4", "m5"]:
        await fake.say(f"{name}: hello")
        await fake.wait("1d")
    [preview] = await fake.say("alice: /inactive preview")
    # 6 members, cap 3: the 3 least active unprotected (alice is an admin) go.
    assert "3 would be removed" in preview
    await fake.say("alice click Confirm")
    await fake.wait("3d")
    assert fake.kicked == [("lobby", "m1"), ("lobby", "m2"), ("lobby", "m3")]


async def test_chinese_names_and_texts(fake):
    fake.admin("alice")
    await fake.say("alice: 你好", "bob: 你好")
    await fake.wait("40d")
    [preview] = await fake.say("alice: /潜水 预览")
    assert preview.startswith("🧹 潜水成员清理预览 #1")
    assert "bob" in preview


class TestPostgres:
    """The key flows again on PostgreSQL (QUNBOT_TEST_PG_URL)."""

    @pytest.fixture
    def bot_database_url(self, pg_url):
        return pg_url

    async def test_preview_warn_remove_on_postgres(self, fake):
        await test_preview_confirm_warn_then_remove_only_those_still_inactive(fake)

    async def test_undo_on_postgres(self, fake):
        await test_undo_lets_them_back_and_keeps_the_record(fake)

    async def test_halt_on_postgres(self, fake):
        await test_a_permission_error_halts_the_run_and_reports(fake)

    async def test_set_grew_on_postgres(self, fake):
        await test_the_set_grew_so_confirm_previews_again(fake)


async def crash_before_bobs_warning(fake):
    """Confirm, then leave the state a crash right after the confirmation's commit leaves: bob's
    warning never went out (his row is not marked)."""
    await lurkers(fake, "bob", "carol")
    await fake.say("alice: /inactive preview", "alice click Confirm")
    assert await Candidate.filter(user_id="bob", warned="dm").update(warned="") == 1


async def test_a_warning_cut_short_by_a_crash_is_sent_by_the_deadline_job(fake):
    await crash_before_bobs_warning(fake)
    out = await fake.wait("15m")
    assert [o.channel for o in out] == ["dm:bob", "lobby"]
    assert out[1].text.startswith("⚠️ Inactivity notice: 1 member was told privately")
    await fake.wait("3d")
    assert fake.kicked == [("lobby", "bob"), ("lobby", "carol")]


async def test_a_member_whose_warning_never_went_out_is_not_removed(fake):
    await crash_before_bobs_warning(fake)
    # The deadline job runs next only after the deadline (the bot was down): too late to warn.
    [report] = [o.text for o in await fake.wait("3d")]
    assert fake.kicked == [("lobby", "carol")]
    assert "Spared: never warned 1." in report
