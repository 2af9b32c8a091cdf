"""The plugin guide's example, tested with the kit: this file is part of `make test`."""

import pytest
from greeter import plugin

pytestmark = pytest.mark.plugins(plugin)


async def test_newcomers_are_greeted(fake):
    assert await fake.say(":locale en", "+alice") == ["Welcome, alice!"]


async def test_an_admin_sets_the_groups_own_welcome(fake):
    fake.admin("alice")
    out = await fake.say(":locale en", "alice: /welcome set Hi {name}, the rules are pinned.")
    assert out == ["Saved. Newcomers will get this welcome ({name} becomes their name)."]
    assert await fake.say("+bob") == ["Hi bob, the rules are pinned."]
    assert await fake.say("bob: /welcome") == ["This group's welcome: Hi {name}, the rules are pinned."]
    assert await fake.say("bob: /welcome set mine") == ["You need to be an admin to use /welcome set."]
    # Each group has its own.
    assert await fake.say(":group other", "+carol") == ["Welcome, carol!"]


async def test_chinese_command_names(fake):
    fake.admin("alice")
    [saved] = await fake.say("alice: /欢迎语 设置 欢迎 {name}！")
    assert saved == "已保存。新成员会收到这条欢迎语（{name} 会换成他们的名字）。"
    assert await fake.say("+bob") == ["欢迎 bob！"]


async def test_the_welcome_survives_a_group_migration_with_no_plugin_code(fake):
    fake.admin("alice")
    await fake.say("alice: /welcome set Hello {name}")
    # What the Telegram adapter reports when a group becomes a supergroup (a new id).
    await fake.app.migrate_guild("console", "lobby", "superlobby")
    assert await fake.say(":group superlobby", "+bob") == ["Hello bob"]


async def test_forgetting_the_admin_keeps_their_welcome(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: /welcome set Hello {name}")
    await fake.say("alice: /forgetme")
    [done] = await fake.say("alice click Delete my data")
    assert done.endswith("A welcome text you wrote stays in its group, without your name.")
    assert await fake.say("+bob") == ["Hello bob"]


async def test_roll_checks_its_argument(fake):
    out = await fake.say(":locale en", "bob: /roll 20")
    value = int(out[0].split(": ")[1])
    assert 1 <= value <= 20
    assert await fake.say("bob: /roll 1") == ["A die has between 2 and 100 sides."]
    assert (await fake.say("bob: /roll many"))[0].endswith("Usage: /roll [sides]")


@pytest.mark.bot_config({"plugins": {"greeter": {"max_sides": 6}}})
async def test_config_is_validated_and_used(fake):
    assert await fake.say(":locale en", "bob: /roll 20") == ["A die has between 2 and 6 sides."]


async def test_good_morning_at_eight_local_time(fake):
    # The fake clock starts at 09:00 in Asia/Shanghai; the next 08:00 is 23 hours away.
    assert await fake.wait("22h") == []
    out = await fake.wait("1h")
    assert [o.text for o in out] == ["大家早上好！"]


async def test_a_missed_morning_is_not_sent_late(fake):
    # Jumping over 08:00 (as a bot that was down does) skips it: catch_up="none".
    assert await fake.wait("2d") == []
