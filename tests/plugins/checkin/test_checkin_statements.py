"""The check-in's own statements (one for a repeat, three for a new day) and the rules they
carry: the day already there found by the same read that locks the summary, a day before the
last one worked out from the member's days, the group's quiet choice read with the rest, a
milestone paid once ever though known milestones are not asked of the ledger again."""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import Channel, GroupRef, Guild, MemberRef, Message, MessageCreated, User
from plugins.checkin.models import CheckIn, CheckinMember
from plugins.points import Points

POINTS = {"activity_points": "none", "announce_level_up": False}
pytestmark = [
    pytest.mark.plugins("checkin"), pytest.mark.bot_config({"plugins": {"points": POINTS}}),
    pytest.mark.both_databases,
]
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Milestone 2 only, one point a day: what a check-in paid is easy to tell.
MILESTONE = {"base_points": 1, "streak_step": 0, "first_bonuses": [], "milestones": {"2": 100}}


def at(fake, day, hour=9):
    fake.clock.set(datetime(2026, 3, day, hour, tzinfo=SHANGHAI))


async def balance(fake, user):
    member = MemberRef("console", user, GroupRef("console", "lobby", "lobby"))
    return await fake.app.scope("points").service(Points).balance(member)


async def late_word(fake, user, day, message_id):
    """``user``'s 签到 sent on ``day`` at 23:00 and handled only now; the replies it got."""
    sent = datetime(2026, 3, day, 23, tzinfo=SHANGHAI)
    event = MessageCreated(
        platform="console", self_id="qunbot", timestamp=sent, guild=Guild("lobby", "lobby"),
        channel=Channel("lobby"), user=User(id=user, name=user, username=user),
        message=Message(id=str(message_id), text="签到", created_at=sent),
    )
    before = len(fake.outputs)
    await fake.app.dispatch(event)
    return [o.text for o in fake.outputs[before:]]


class Statements(logging.Handler):
    """The statements sent to the database while it is installed, by their SQL."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sql: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.args:
            self.sql.append(str(record.args[0]))

    def of(self, table: str) -> list[str]:
        return [sql for sql in self.sql if f'"{table}' in sql]


async def statements_of(fake, line):
    await fake.app.flush()
    logger = logging.getLogger("tortoise.db_client")
    handler, level = Statements(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        replies = await fake.say(line)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return handler, replies


async def test_a_repeat_is_one_statement_and_a_new_day_three(fake):
    at(fake, 2)
    sent, [reply] = await statements_of(fake, "alice: /checkin")
    assert "签到成功" in reply
    # The first check-in in the group also makes the summary row (and reads it again).
    assert len(sent.of("checkin_")) == 5
    sent, [reply] = await statements_of(fake, "alice: 签到")
    assert "今天已经签到过了" in reply and "今日第 1 名" in reply
    # The summary, the day already there and the group's quiet choice: one read.
    assert len(sent.of("checkin_")) == 1
    at(fake, 3)
    sent, [reply] = await statements_of(fake, "alice: 签到")
    assert "连续签到 2 天" in reply
    assert len(sent.of("checkin_")) == 3


@pytest.mark.bot_config({"plugins": {"points": POINTS, "checkin": MILESTONE}})
async def test_a_milestone_known_to_be_paid_is_not_asked_of_the_ledger_again(fake):
    for day in (2, 3):
        at(fake, day)
        await fake.say("alice: /checkin")
    at(fake, 4)
    sent, [reply] = await statements_of(fake, "alice: /checkin")
    assert "连续签到 3 天" in reply and "里程碑！" not in reply
    # The day's own key is looked up (the ledger's "once" rule), the milestone's no longer.
    assert len([sql for sql in sent.of("points_ledger") if sql.startswith("SELECT")]) == 1
    assert await balance(fake, "alice") == 3 + 100


@pytest.mark.bot_config({"plugins": {"points": POINTS, "checkin": MILESTONE}})
async def test_a_milestone_whose_payment_was_rolled_back_is_paid_at_the_next_checkin(
    fake, monkeypatch
):
    at(fake, 2)
    await fake.say("alice: /checkin")
    at(fake, 3)
    points = fake.app.scope("checkin").service(Points)
    real = points.earn
    paid = []

    async def milestone_then_failure(*args, **kwargs):
        result = await real(*args, **kwargs)
        paid.append(kwargs["key"])
        if kwargs["key"].endswith(":milestone:2"):
            raise RuntimeError("injected: what came after the milestone failed")
        return result

    with monkeypatch.context() as patch:
        patch.setattr(points, "earn", milestone_then_failure)
        assert not any("签到成功" in reply for reply in await fake.say("alice: /checkin"))
    assert paid[-1].endswith(":milestone:2")
    assert await balance(fake, "alice") == 1
    [reply] = await fake.say("alice: /checkin")
    assert "达成连续 2 天里程碑" in reply
    assert await balance(fake, "alice") == 1 + 1 + 100


@pytest.mark.bot_config({"plugins": {"points": POINTS, "checkin": MILESTONE}})
async def test_a_member_forgotten_and_back_reaches_a_milestone_again(fake):
    for day in (2, 3):
        at(fake, day)
        await fake.say("alice: /checkin")
    assert await balance(fake, "alice") == 2 + 100
    await fake.app.scope("checkin").forget_user("console", "alice")
    assert not await CheckinMember.filter(user_id="alice").exists()
    for day in (4, 5):
        at(fake, day)
        [reply] = await fake.say("alice: /checkin")
    assert "连续签到 2 天" in reply and "达成连续 2 天里程碑" in reply
    assert await balance(fake, "alice") == 2 + 100


async def test_a_late_message_for_a_day_before_the_last_counts_from_the_members_days(fake):
    for day in (2, 4):
        at(fake, day)
        await fake.say("alice: 签到")
    await fake.say("bob: 签到")
    [reply] = await late_word(fake, "alice", 3, 900)
    # Day 3 fills the gap: a run of 3 days ending at day 4; alone on day 3, so first.
    assert "签到成功" in reply and "今日第 1 名" in reply and "连续签到 3 天" in reply
    member = await CheckinMember.get(user_id="alice")
    assert (member.streak, member.longest, member.total, member.last_day) == (3, 3, 3, date(2026, 3, 4))
    [again] = await late_word(fake, "alice", 3, 901)
    assert "今天已经签到过了" in again and "今日第 1 名" in again
    assert await CheckIn.filter(user_id="alice").count() == 3


async def test_a_late_message_for_a_made_up_day_says_it_was_made_up(fake):
    fake.admin("admin")
    at(fake, 2)
    await fake.say("alice: 签到")
    at(fake, 4)
    await fake.say("alice: 签到", "admin: /points give @alice 100")
    [card] = await fake.say("alice: /checkin makeup 2026-03-03")
    assert "已补签" in card
    money = await balance(fake, "alice")
    [reply] = await late_word(fake, "alice", 3, 900)
    assert "这一天已经补签过了" in reply
    assert await balance(fake, "alice") == money


async def test_a_summary_row_without_days_is_no_obstacle(fake):
    # /checkin remind off makes the member's summary row before any check-in.
    at(fake, 2)
    await fake.say("alice: /checkin remind off")
    [reply] = await fake.say("alice: /checkin")
    assert "签到成功" in reply and "今日第 1 名" in reply and "连续签到 1 天" in reply
    member = await CheckinMember.get(user_id="alice")
    assert (member.streak, member.total, member.remind) == (1, 1, False)


async def test_in_a_quiet_group_the_already_reply_is_short_lived_too(fake):
    fake.admin("alice")
    await fake.say("alice: /checkin quiet on")
    [first] = await fake.play(["bob: 签到"])
    [again] = await fake.play(["bob: 签到"])
    assert first.text.startswith("✅ bob 今日第 1 名") and "今天已经签到过了" in again.text
    await fake.wait("2m")
    assert first.deleted and again.deleted
    await fake.say("alice: /checkin quiet off")
    [kept] = await fake.play(["bob: 签到"])
    await fake.wait("2m")
    assert not kept.deleted


async def test_places_of_a_day_go_on_from_the_last_one_taken(fake):
    at(fake, 2)
    for place, user in enumerate(("a1", "a2", "a3", "a4", "a5"), start=1):
        [reply] = await fake.say(f"{user}: 签到")
        assert f"今日第 {place} 名" in reply
    at(fake, 3)
    [reply] = await fake.say("a5: 签到")
    assert "今日第 1 名" in reply and "+22 积分" in reply
    days = await CheckIn.filter(day=date(2026, 3, 2)).order_by("place").values_list("place", "reward")
    assert days == [(1, 20), (2, 15), (3, 13), (4, 10), (5, 10)]
