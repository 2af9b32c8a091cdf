"""XP from chat activity, levels and titles, level-up announcements and rewards, driven through
the console adapter with the fake clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import GroupRef, Guild, MemberRef, Message, MessageCreated, PlatformError, User
from bot.config import ConfigError
from bot.testing import make_app
from plugins.points import Points
from plugins.points.config import PointsConfig
from plugins.points.levels import Curve, progress_bar, title_for

FIXED_20 = {"plugins": {"points": {"xp_min": 20, "xp_max": 20, "min_length": 3}}}
pytestmark = pytest.mark.plugins("points")


def points_of(fake) -> Points:
    return fake.app.scope("points").service(Points)


async def standing(fake, user: str, group: str = "lobby"):
    return await points_of(fake).standing(MemberRef("console", user, GroupRef("console", group, group)))


async def xp_of(fake, user: str, group: str = "lobby") -> int:
    return (await standing(fake, user, group)).lifetime_xp


# -- cooldown, length, who counts ------------------------------------------------------------------
@pytest.mark.bot_config(FIXED_20)
async def test_cooldown_is_one_award_per_minute_per_member_per_group(fake):
    await fake.say("alice: good morning everyone")
    await fake.clock.advance(59)
    await fake.say("alice: anyone here?")
    assert await xp_of(fake, "alice") == 20
    await fake.clock.advance(1)
    await fake.say("alice: hello again")
    assert await xp_of(fake, "alice") == 40
    # Another member, and the same member in another group, have their own cooldowns.
    await fake.say("bob: morning alice", ":group other", "alice: hi other group")
    assert await xp_of(fake, "bob") == 20
    assert await xp_of(fake, "alice", "other") == 20


@pytest.mark.bot_config(FIXED_20)
async def test_cooldown_survives_a_restart_of_the_cache(fake):
    await fake.say("alice: good morning everyone")
    points_of(fake).forget_caches()  # as after a restart: memory is empty
    await fake.clock.advance(30)
    await fake.say("alice: still within the minute")
    assert await xp_of(fake, "alice") == 20
    await fake.clock.advance(30)
    await fake.say("alice: now a minute later")
    assert await xp_of(fake, "alice") == 40


@pytest.mark.bot_config(
    {"bot": {"member_cache": 2}, "plugins": {"points": {"xp_min": 20, "xp_max": 20, "daily_xp_cap": 50}}}
)
async def test_a_small_member_cache_reads_cooldowns_and_caps_back_from_the_database(fake):
    # Three members take turns with room for two in memory: each message finds its member's
    # row gone and reads it back. Within the minute nothing; past it the day's cap still counts.
    async def round_(seconds: int) -> None:
        await fake.say(*(f"{name}: hello at {seconds} s" for name in ("ann", "ben", "cy")))
        await fake.clock.advance(30)

    activity = points_of(fake).activity
    for seconds in (0, 30, 60):  # an award, the cooldown, an award
        await round_(seconds)
        assert len(activity._states) <= 2  # bounded (a peek)
    assert [await xp_of(fake, name) for name in ("ann", "ben", "cy")] == [40, 40, 40]
    points_of(fake).forget_caches()  # as after a restart: three rows, room for two
    for seconds in (90, 120, 150, 180):  # the cooldown, the cap's last 10, the cooldown, the cap
        await round_(seconds)
    assert [await xp_of(fake, name) for name in ("ann", "ben", "cy")] == [50, 50, 50]


@pytest.mark.bot_config(FIXED_20)
async def test_short_messages_and_commands_earn_nothing(fake):
    await fake.say("alice: ok", "alice:    hi   ", "alice: /me")
    assert await xp_of(fake, "alice") == 0
    await fake.say("alice: hey")  # exactly the minimum length
    assert await xp_of(fake, "alice") == 20


@pytest.mark.bot_config(FIXED_20)
async def test_bots_channels_and_forwards_earn_nothing(fake):
    def message(user: User, forwarded: bool = False) -> MessageCreated:
        return MessageCreated(
            platform="console", self_id="qunbot", timestamp=fake.clock.now(), guild=Guild("lobby"),
            user=user, message=Message(id=user.id + str(forwarded), text="a long enough message",
                                       forwarded=forwarded),
        )

    await fake.app.dispatch(message(User("helper", "helper", is_bot=True)))
    await fake.app.dispatch(message(User("news", "news", is_channel=True)))
    await fake.app.dispatch(message(User("fwd", "fwd"), forwarded=True))
    for user in ("helper", "news", "fwd"):
        assert await xp_of(fake, user) == 0
    await fake.app.dispatch(message(User("real", "real")))
    assert await xp_of(fake, "real") == 20


@pytest.mark.bot_config({"plugins": {"points": {"xp_min": 20, "xp_max": 20, "daily_xp_cap": 50}}})
async def test_daily_cap_in_the_group_local_day(fake):
    for _ in range(4):
        await fake.say("alice: talking all day long")
        await fake.clock.advance(61)
    assert await xp_of(fake, "alice") == 50  # 20 + 20 + 10, then nothing
    # 09:04 in Shanghai; the group's next day starts at 16:00 UTC.
    await fake.clock.advance(timedelta(hours=15))
    await fake.say("alice: a new day")
    assert await xp_of(fake, "alice") == 70


@pytest.mark.bot_config({"plugins": {"points": {"xp_min": 15, "xp_max": 25}}})
async def test_awards_are_random_within_the_configured_range(fake):
    awards = []
    for _ in range(20):
        before = await xp_of(fake, "alice")
        await fake.say("alice: chatting along")
        awards.append(await xp_of(fake, "alice") - before)
        await fake.clock.advance(60)
    assert all(15 <= a <= 25 for a in awards) and len(set(awards)) > 1


@pytest.mark.bot_config({"plugins": {"points": {"xp_min": 20, "xp_max": 20, "activity_points": "none"}}})
async def test_xp_without_points(fake):
    await fake.say("alice: only experience please")
    alice = await standing(fake, "alice")
    assert (alice.balance, alice.lifetime_xp) == (0, 20)


# -- levels and titles -----------------------------------------------------------------------------
def test_mee6_curve_at_its_boundaries():
    curve = Curve(PointsConfig())
    assert [curve.threshold(level) for level in range(4)] == [0, 100, 255, 475]
    assert [curve.level_for(xp) for xp in (0, 99, 100, 254, 255, 474, 475)] == [0, 0, 1, 1, 2, 2, 3]
    assert curve.progress(130) == (30, 155)


def test_linear_and_table_curves():
    linear = Curve(PointsConfig(curve="linear", linear_a=10, linear_b=100))
    assert [linear.threshold(level) for level in range(4)] == [0, 100, 210, 330]
    assert linear.level_for(209) == 1 and linear.level_for(210) == 2
    table = Curve(PointsConfig(curve="table", table=[50, 150]))
    assert [table.level_for(xp) for xp in (49, 50, 149, 150, 10**9)] == [0, 1, 1, 2, 2]
    assert table.progress(10**9) == (0, 0)
    assert progress_bar(0, 0).endswith("MAX")


def test_bad_curve_config_is_refused():
    for bad in ({"curve": "table"}, {"curve": "table", "table": [50, 50]}, {"xp_min": 30, "xp_max": 20},
                {"titles": [{"level": 3, "zh": "x", "en": "x"}]}):
        with pytest.raises(ValueError):
            PointsConfig(**bad)
    app, _ = make_app(["points"], {"plugins": {"points": {"curve": "table"}}})
    with pytest.raises(ConfigError, match="plugins.points"):
        app.load_plugins()


def test_titles_change_at_their_levels():
    config = PointsConfig()
    assert [title_for(config, level, "zh") for level in (0, 4, 5, 9, 10, 49, 50, 999)] == [
        "新人", "新人", "青铜", "青铜", "白银", "钻石", "传奇", "传奇",
    ]
    assert title_for(config, 20, "en") == "Gold"


# -- level-ups -------------------------------------------------------------------------------------
REWARDS_1 = [{"level": 1, "role": "regular"}]
LEVEL_100 = {"plugins": {"points": {"xp_min": 100, "xp_max": 100}}}


@pytest.mark.bot_config(LEVEL_100)
async def test_level_up_is_announced_once_per_level(fake):
    announced = []
    for _ in range(5):  # 100, 200, 300, 400, 500 XP: levels 1, 1, 2, 2, 3
        announced += [t for t in await fake.say("alice: keep talking please") if "alice" in t]
        await fake.clock.advance(60)
    assert announced == [f"@alice 升到了 {level} 级：新人！🎉" for level in (1, 2, 3)]


@pytest.mark.bot_config({"bot": {"locale": "en"}, "plugins": {"points": {"rewards": REWARDS_1}}})
async def test_a_level_up_in_a_callers_transaction_is_told_only_once_it_committed(fake):
    await fake.say("bob: hello, I am in the group")  # the group and bob are known
    points, caller = points_of(fake), fake.app.scope("points")
    bob = MemberRef("console", "bob", GroupRef("console", "lobby", "lobby"))
    before = len(fake.outputs)
    with pytest.raises(RuntimeError):
        async with caller.transaction() as tx:
            await points.earn(bob, 300, key="bonus:1", reason="bonus", using=tx)
            raise RuntimeError("the caller's own write failed")
    # Rolled back: no level, no announcement, no reward.
    assert fake.outputs[before:] == []
    assert (await standing(fake, "bob")).level == 0
    assert "bob" not in fake.console.groups["lobby"].roles

    async with caller.transaction() as tx:
        await points.earn(bob, 300, key="bonus:2", reason="bonus", using=tx)
        assert fake.outputs[before:] == []  # not before the commit
    assert [o.text for o in fake.outputs[before:]] == ["@bob reached level 2: Newcomer! 🎉"]
    assert fake.console.groups["lobby"].roles["bob"] == {"regular"}


@pytest.mark.bot_config(
    {"bot": {"locale": "en"},
     "plugins": {"points": {"xp_min": 100, "xp_max": 100, "announce_level_up": False}}}
)
async def test_level_up_announcement_can_be_turned_off(fake):
    assert await fake.say("alice: keep talking please") == []
    assert (await standing(fake, "alice")).level == 1


REWARDS = [
    {"level": 1, "role": "regular"},
    {"level": 2, "role": "veteran", "title": "Veteran"},
    {"level": 3, "role": "elder", "platform": "discord"},
]


@pytest.mark.bot_config({"plugins": {"points": {"xp_min": 100, "xp_max": 100, "rewards": REWARDS}}})
async def test_role_rewards_stack_and_titles_are_set(fake):
    group = fake.console.groups["lobby"]
    await fake.say("alice: first words here")
    assert group.roles["alice"] == {"regular"}
    for _ in range(4):
        await fake.clock.advance(60)
        await fake.say("alice: more words here")
    assert group.roles["alice"] == {"regular", "veteran"}  # the discord-only reward is not for us
    assert group.titles["alice"] == "Veteran"


@pytest.mark.bot_config(
    {"plugins": {"points": {"xp_min": 300, "xp_max": 300, "rewards": REWARDS, "role_mode": "replace"}}}
)
async def test_role_rewards_can_replace_the_previous_one(fake):
    group = fake.console.groups["lobby"]
    await fake.say("alice: jumping two levels")  # 300 XP: level 2 at once
    assert group.roles["alice"] == {"veteran"}


@pytest.mark.bot_config({"plugins": {"points": {"xp_min": 100, "xp_max": 100, "rewards": REWARDS}}})
async def test_a_refused_reward_does_not_lose_the_level(fake, monkeypatch):
    async def refuse(*args, **kwargs):
        raise PlatformError("missing permission")

    monkeypatch.setattr(fake.console, "set_role", refuse)
    out = await fake.say("alice: hello with no rights")
    assert any("1 级" in line for line in out)
    assert (await standing(fake, "alice")).level == 1
