"""/timezone: admins set a group's timezone; anything that is not a zone gets a clear answer."""


async def test_timezone_rejects_an_area_without_a_city(fake):
    fake.admin("alice")
    out = await fake.say(":locale en", "alice: /timezone America")
    assert out[0].startswith("“America” is not a timezone. Use an IANA name such as Asia/Shanghai")
    out = await fake.say("alice: /timezone")
    assert out[0].startswith("This group's timezone: Asia/Shanghai")


async def test_timezone_set_by_an_admin_is_shown_in_local_time(fake):
    fake.admin("alice")
    out = await fake.say(":locale en", "alice: /timezone Europe/Berlin")
    # The fake clock starts at 2026-03-02 01:00 UTC: 02:00 in Berlin.
    assert out == ["This group's timezone is now Europe/Berlin (local time 2026-03-02 02:00)."]
    out = await fake.say("bob: /timezone Asia/Tokyo")
    assert out == ["You need to be an admin to use /timezone."]
