"""What counts as activity besides messages and commands: a red packet grabbed, the onboarding
form completed (``activity``), answered by those plugins through the inactive plugin's hook."""

import pytest

POINTS = {"activity_points": "none", "announce_level_up": False}
PACKETS = {
    "bot": {"locale": "en"},
    "plugins": {"points": POINTS, "redpacket": {"edit_interval_seconds": 0}},
}
ONLY_MESSAGES = {**PACKETS, "plugins": {**PACKETS["plugins"], "inactive": {"activity": []}}}
ANSWERS = [
    "张三", "某公司", "运营", "上海市", "社群运营、活动策划", "找一位懂 Telegram 机器人的开发者", "/skip"
]


async def grab_after_20_days(fake):
    """bob and carol speak; 20 days later bob grabs alice's red packet; 20 days more pass."""
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", "bob: hi", "carol: hi", "alice: /points give @alice 500 fund")
    await fake.wait("20d")
    await fake.say("alice: /redpacket 100 5 thanks all", "bob click Grab")
    assert fake.console.toasts[-1][1].startswith("🧧 You got ")
    await fake.wait("20d")
    await fake.say("alice: still here")


@pytest.mark.plugins("inactive", "redpacket")
@pytest.mark.bot_config(PACKETS)
async def test_a_red_packet_grab_counts_as_activity(fake):
    await grab_after_20_days(fake)
    [preview] = await fake.say("alice: /inactive preview")
    assert "1. carol — not seen for 40 days" in preview
    assert "bob" not in preview


@pytest.mark.plugins("inactive", "redpacket")
@pytest.mark.bot_config(ONLY_MESSAGES)
async def test_a_group_may_count_messages_only(fake):
    await grab_after_20_days(fake)
    [preview] = await fake.say("alice: /inactive preview")
    assert "1. bob — not seen for 40 days" in preview and "2. carol" in preview


@pytest.mark.plugins("inactive", "redpacket")
@pytest.mark.bot_config(PACKETS)
async def test_a_warned_member_who_grabs_a_packet_is_spared(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", "bob: hi", "carol: hi")
    await fake.wait("40d")
    await fake.say("alice: /points give @alice 500 fund")
    await fake.say("alice: /inactive preview", "alice click Confirm")
    await fake.wait("1d")
    await fake.say("alice: /redpacket 100 5 wake up", "carol click Grab")
    out = [o.text for o in await fake.wait("2d")]
    assert fake.kicked == [("lobby", "bob")]
    assert "Spared: active again 1." in out[-1]


@pytest.mark.plugins("inactive", "onboarding")
@pytest.mark.bot_config({"bot": {"locale": "en"}})
async def test_completing_the_onboarding_form_counts_as_activity(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", "+bob", "+carol")
    await fake.wait("15d")
    await fake.say(*[f"carol@dm: {answer}" for answer in ANSWERS])  # in private: not a message here
    await fake.wait("25d")
    await fake.say("alice: still here")
    [preview] = await fake.say("alice: /inactive preview")
    assert "1. bob — not seen for 40 days" in preview
    assert "carol" not in preview


class TestPostgres:
    """The plugins' answers (a grouped MAX over grabs, the forms) on PostgreSQL."""

    @pytest.fixture
    def bot_database_url(self, pg_url):
        return pg_url

    @pytest.mark.plugins("inactive", "redpacket")
    @pytest.mark.bot_config(PACKETS)
    async def test_grab_on_postgres(self, fake):
        await test_a_red_packet_grab_counts_as_activity(fake)

    @pytest.mark.plugins("inactive", "onboarding")
    @pytest.mark.bot_config({"bot": {"locale": "en"}})
    async def test_form_on_postgres(self, fake):
        await test_completing_the_onboarding_form_counts_as_activity(fake)
