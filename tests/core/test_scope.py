"""A plugin's scope: transactions whose after-commit work waits for the commit, hooks that
receive their own plugin's scope, and the adapter's online/offline events."""

import sqlite3

import pytest
from tortoise import fields
from tortoise.models import Model

from bot import (
    AdapterOffline,
    AdapterOnline,
    Context,
    Plugin,
    Scope,
    StrictModel,
    hookimpl,
    hookspec,
)
from bot.testing import make_app

# -- transactions ------------------------------------------------------------------------------
ledger = Plugin("ledger", models=__name__)


class Entry(Model):
    id = fields.IntField(primary_key=True)
    text = fields.CharField(max_length=50)

    class Meta:
        table = "test_scope_entry"
        app = "ledger"


@pytest.fixture
def bot_database_url(tmp_path):
    # A file, so a second connection can tell what is committed.
    return f"sqlite://{tmp_path}/scope.sqlite3"


def committed(bot_app) -> list[str]:
    """What another connection reads: only committed rows."""
    path = bot_app._database_url[len("sqlite://"):].split("?")[0]
    with sqlite3.connect(path) as other:
        return [row[0] for row in other.execute("SELECT text FROM test_scope_entry ORDER BY id")]


@pytest.mark.plugins(ledger)
async def test_after_commit_work_runs_once_the_writes_are_committed(bot_app):
    scope = bot_app.scope("ledger")
    seen: list[object] = []

    async def announce() -> None:
        seen.append(committed(bot_app))

    async with scope.transaction() as tx:
        await Entry.create(text="paid", using_db=tx.connection)
        tx.after_commit(announce)
        seen.append("block done")
    assert seen == ["block done", ["paid"]]


@pytest.mark.plugins(ledger)
async def test_a_failed_block_writes_nothing_and_announces_nothing(bot_app):
    scope = bot_app.scope("ledger")
    seen: list[str] = []

    async def announce() -> None:
        seen.append("announced")

    with pytest.raises(RuntimeError):
        async with scope.transaction() as tx:
            await Entry.create(text="half", using_db=tx.connection)
            tx.after_commit(announce)
            raise RuntimeError("the second write failed")
    assert seen == []
    assert committed(bot_app) == []


@pytest.mark.plugins(ledger)
async def test_a_joined_transaction_announces_after_the_callers_commit(bot_app):
    scope = bot_app.scope("ledger")
    seen: list[object] = []

    async def announce() -> None:
        seen.append(committed(bot_app))

    async with scope.transaction() as outer:
        await Entry.create(text="day recorded", using_db=outer.connection)
        async with scope.transaction(using=outer) as inner:  # what a service given using= does
            await Entry.create(text="points paid", using_db=inner.connection)
            inner.after_commit(announce)
        seen.append("caller still writing")
    assert seen == ["caller still writing", ["day recorded", "points paid"]]


@ledger.command("pay")
async def pay(ctx: Context, fail: str = "") -> None:
    async with ctx.transaction() as tx:
        await Entry.create(text="paid", using_db=tx.connection)
        assert await ctx.reply("you paid") is None  # a reply about the change: after the commit
        if fail:
            raise RuntimeError("the ledger refused")


@pytest.mark.plugins(ledger)
async def test_a_reply_inside_a_transaction_is_sent_once_it_committed_and_never_when_it_failed(
    fake, bot_app
):
    seen: list[object] = []
    real = bot_app._runtime.deliver

    async def deliver(*args, **kwargs):
        seen.append(committed(bot_app))  # what is durable when the member is told
        return await real(*args, **kwargs)

    bot_app._runtime.deliver = deliver
    assert await fake.say("alice: /pay") == ["you paid"]
    assert seen == [["paid"]]
    replies = await fake.say("alice: /pay fail")
    assert "you paid" not in " ".join(replies) and committed(bot_app) == ["paid"]


@pytest.mark.plugins(ledger)
async def test_a_message_the_plugin_waits_for_inside_a_transaction_is_a_mistake_it_hears_of(bot_app):
    scope = bot_app.scope("ledger")
    with pytest.raises(RuntimeError, match="after the commit"):
        async with scope.transaction():
            await scope.send_to_channel("console", "general", "an id, please", wait=True)


# -- hooks get their own plugin's scope ---------------------------------------------------------
class AnnouncerSpecs:
    @hookspec
    def announced(self, scope: Scope, text: str) -> None:
        """Something was announced; ``scope`` is the listener's own."""


class ListenerConfig(StrictModel):
    tag: str = "none"


announcer = Plugin("announcer", hookspecs=AnnouncerSpecs)
heard: list[tuple[str, str, str]] = []


@announcer.command("announce")
async def announce(ctx: Context, text: str) -> None:
    await ctx.emit("announced", text=text)


def listener(name: str) -> Plugin:
    plugin = Plugin(name, config=ListenerConfig, requires=("announcer",))

    class Hooks:
        @hookimpl
        def announced(self, scope: Scope, text: str) -> None:
            heard.append((scope.plugin, scope.config.tag, text))

    plugin.hooks(Hooks())
    return plugin


@pytest.mark.plugins(announcer, listener("left"), listener("right"))
@pytest.mark.bot_config({"plugins": {"left": {"tag": "L"}, "right": {"tag": "R"}}})
async def test_a_hook_impl_receives_its_own_plugins_scope(fake):
    heard.clear()
    await fake.say("alice: /announce hello")
    assert sorted(heard) == [("left", "L", "hello"), ("right", "R", "hello")]


# -- adapters online and offline ----------------------------------------------------------------
watcher = Plugin("watcher")
states: list[tuple[str, str, str]] = []


@watcher.on(AdapterOnline, AdapterOffline)
async def adapter_state(ctx: Context, event: AdapterOnline | AdapterOffline) -> None:
    states.append((type(event).__name__, event.platform, ctx.plugin))


async def test_the_console_adapter_reports_online_and_offline():
    states.clear()
    app, console = make_app([watcher])
    async with app:
        assert states == [("AdapterOnline", "console", "watcher")]
        await console.run_line("alice: hi")
    assert states == [("AdapterOnline", "console", "watcher"), ("AdapterOffline", "console", "watcher")]
