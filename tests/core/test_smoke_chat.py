async def test_help_lists_builtin_commands(fake):
    out = await fake.say("alice: /help")
    assert len(out) == 1
    assert "/help" in out[0] and "/lang" in out[0]
