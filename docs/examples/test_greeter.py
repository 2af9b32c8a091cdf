"""The plugin guide's example, tested with the kit: this file is part of `make test`."""

import pytest
from greeter import plugin

pytestmark = pytest.mark.plugins(plugin)


async def test_newcomers_are_greeted(fake):
    assert await fake.say(":locale en", "+alice") == ["Welcome, alice!"]


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
