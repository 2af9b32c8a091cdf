"""A plugin that raises is isolated: logged with its name, the member gets a short apology in
their language, and every other plugin still sees the event."""

import logging

import pytest

from bot import Button, ButtonClicked, Context, MessageCreated, Outgoing, Plugin, Text, hookimpl

seen: list[str] = []

broken = Plugin("broken")
watcher = Plugin("watcher")


@broken.on(MessageCreated)
async def explode(ctx: Context, event: MessageCreated) -> None:
    raise RuntimeError("boom")


@broken.command("crash")
async def crash(ctx: Context) -> None:
    raise ValueError("bad state")


@watcher.on(MessageCreated)
async def watch(ctx: Context, event: MessageCreated) -> None:
    seen.append(event.message.text)


class Filters:
    @hookimpl
    def bot_event_filter(self, ctx):
        if isinstance(ctx.event, MessageCreated) and ctx.event.message.text == "drop me":
            return False
        return None

    @hookimpl
    async def bot_command_error(self, ctx, command, error):
        seen.append(f"error:{command.name}:{type(error).__name__}")


watcher.hooks(Filters())

pytestmark = pytest.mark.plugins(broken, watcher)


@pytest.fixture(autouse=True)
def _reset():
    seen.clear()


async def test_raising_handler_does_not_stop_others(fake, caplog):
    with caplog.at_level(logging.ERROR):
        out = await fake.say(":locale en", "alice: hello")
    assert seen == ["hello"]
    assert out == ["Sorry, something went wrong on my side. The admins have been told."]
    assert any("plugin broken failed" in r.getMessage() for r in caplog.records)
    assert all("Traceback" not in text for text in out)


async def test_apologies_do_not_flood_a_channel(fake):
    first = await fake.say("alice: one")
    second = await fake.say("alice: two")
    assert len(first) == 1 and second == []
    assert seen == ["one", "two"]
    await fake.wait("61s")
    assert len(await fake.say("alice: three")) == 1


async def test_raising_command_apologizes_in_the_members_language(fake):
    out = await fake.say(":locale zh", "bob: /crash")
    assert out == ["抱歉，我这边出了点问题，已通知管理员。"]
    assert "error:crash:ValueError" in seen


async def test_event_filter_drops(fake):
    await fake.say("alice: drop me", "alice: keep me")
    assert seen == ["keep me"]


# -- buttons ------------------------------------------------------------------------------------
votes = Plugin("votes")
tally: list[tuple[str, str]] = []


@votes.command("poll")
async def poll(ctx: Context) -> None:
    await ctx.reply(
        Outgoing((Text("Lunch?"),)).with_buttons(
            [Button("Yes", "vote", {"choice": "yes"}), Button("No", "vote", {"choice": "no"})],
            [Button("Mine", "vote", {"choice": "private"}, only_user=ctx.event.uid)],
        )
    )


@votes.button("vote")
async def vote(ctx: Context, payload: dict) -> None:
    tally.append((ctx.event.user.id, payload["choice"]))
    await ctx.answer(f"voted {payload['choice']}")


@pytest.mark.plugins(votes)
async def test_buttons_carry_server_side_payloads(fake):
    tally.clear()
    await fake.say("alice: /poll")
    message = fake.outputs[-1]
    assert message.buttons == ("Yes", "No", "Mine")
    # The platform only ever sees random tokens, never the payload.
    assert all("yes" not in token and len(token) <= 64 for token in message.button_ids.values())
    await fake.say("bob click Yes", "carol click No")
    assert tally == [("bob", "yes"), ("carol", "no")]


@pytest.mark.plugins(votes)
async def test_forged_and_foreign_buttons_change_nothing(fake):
    tally.clear()
    await fake.say(":locale en", "alice: /poll")
    await fake.console._emit(ButtonClicked, "lobby", "mallory", button_id="forged-token")
    assert fake.console.toasts[-1] == ("mallory", "This button has expired.")
    await fake.say("bob click Mine")
    assert fake.console.toasts[-1] == ("bob", "This button is not for you.")
    assert tally == []
    await fake.say("alice click Mine")
    assert tally == [("alice", "private")]
    assert fake.console.toasts[-1] == ("alice", "voted private")
