"""zh and en, chosen per member and per group."""


async def test_member_language_beats_group_language_beats_platform(fake):
    # The platform says en (console :locale), nobody chose anything yet.
    assert (await fake.say(":locale en", "bob: /lang"))[0].startswith("Missing argument")
    fake.admin("alice")
    assert await fake.say("alice: /lang group zh") == ["本群语言已设为中文。"]
    assert (await fake.say("bob: /lang"))[0].startswith("缺少参数")
    assert await fake.say("bob: /lang en") == ["Your language is now English."]
    assert (await fake.say("bob: /help"))[0].startswith("Commands you can use")
    assert (await fake.say("carol: /help"))[0].startswith("你可以使用的命令")


async def test_group_language_needs_an_admin(fake):
    out = await fake.say(":locale en", "bob: /lang group en")
    assert out == ["You need to be an admin to use /lang group."]
