"""The built-in commands every bot has, whatever plugins are enabled: /id and /forgetme."""

import pytest

from bot import Plugin, Scope, hookimpl

forgotten: list[tuple[str, str, str, str]] = []


def keeper(name: str, note: dict[str, str] | None) -> Plugin:
    """A plugin that keeps something about members and forgets it on request."""
    plugin = Plugin(name)

    class Hooks:
        @hookimpl
        def bot_delete_user_data(self, scope: Scope, platform: str, user_id: str, locale: str):
            forgotten.append((scope.plugin, platform, user_id, locale))
            return note[locale] if note else None

    plugin.hooks(Hooks())
    return plugin


ledger = keeper("ledger", {"en": "Your receipts stay for the tax office.", "zh": "收据依法保留。"})
diary = keeper("diary", None)

pytestmark = pytest.mark.plugins(ledger, diary)


@pytest.fixture(autouse=True)
def _reset():
    forgotten.clear()


async def test_forgetme_asks_first_then_every_plugin_forgets_and_says_what_stays(fake):
    await fake.say(":locale en", "alice: hello", "bob: hello")
    [ask] = await fake.say("alice: /forgetme")
    assert ask.startswith("Delete your profile")
    assert fake.outputs[-1].channel == "dm:alice" and fake.outputs[-1].buttons == ("Delete my data",)
    assert forgotten == []  # nothing happens before the confirmation

    out = await fake.say("alice click Delete my data")
    assert out == ["Done: your data is deleted.\nYour receipts stay for the tax office."]
    assert sorted(forgotten) == [
        ("diary", "console", "alice", "en"),
        ("ledger", "console", "alice", "en"),
    ]
    roster = fake.app.scope("ledger").roster
    [group] = await roster.groups("console")
    assert [m.user_id for m in await roster.members(group.ref)] == ["bob"]  # the core forgot too


async def test_the_confirm_button_is_only_for_the_member_who_asked(fake):
    await fake.say(":locale en", "alice: /forgetme")
    await fake.say("mallory click Delete my data")
    assert forgotten == []
    assert fake.console.toasts[-1] == ("mallory", "This button is not for you.")


async def test_notes_come_in_the_members_language(fake):
    await fake.say(":locale zh", "alice: /forgetme")
    [done] = await fake.say("alice click 删除我的数据")
    assert done == "已完成：你的数据已删除。\n收据依法保留。"


async def test_id_shows_the_member_and_the_group(fake):
    out = await fake.say(":locale en", "alice: /id")
    assert out == ["Your id: console:alice\nThis group's id: console:lobby"]
    assert await fake.dm("alice", "/id") == ["Your id: console:alice"]
