"""The roster and core tables, on SQLite and on PostgreSQL: ids round-trip, every message, join
and leave is recorded, a restart keeps everything."""

import asyncio
import gc
import os
from datetime import UTC, datetime, timedelta

import pytest
from tortoise.connection import connections
from tortoise.transactions import in_transaction

from bot.app import _SAVE_STATE  # the app's own write of its sync state
from bot.events import Guild, MemberJoined, MemberLeft, Message, MessageCreated, User
from bot.storage import Deferred, PlainSQL
from bot.storage.models import Account, RosterMember, SyncState
from bot.storage.statements import SCRIPT_ROWS, write_unflushed
from bot.tally import delivery
from bot.testing import make_app
from bot.testing.pytest_plugin import PG_ENV, reset_postgres

BIG_TELEGRAM_CHAT = "-1001234567890123"  # 52-bit ids need more than 32 bits
BIG_DISCORD_USER = "1234567890123456789"  # snowflakes use 64


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite://{tmp_path}/roster.sqlite3"
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set")
    await reset_postgres(url)
    return url


def at(minutes: int) -> datetime:
    return datetime(2026, 3, 2, 1, 0, tzinfo=UTC) + timedelta(minutes=minutes)


def event(kind, minutes, **extra):
    return kind(
        platform="console",
        self_id="qunbot",
        timestamp=at(minutes),
        guild=Guild(BIG_TELEGRAM_CHAT, "Study group"),
        user=User(BIG_DISCORD_USER, "Zhang San", username="zhangsan"),
        **extra,
    )


async def test_roster_follows_messages_joins_and_leaves(database_url):
    app, _ = make_app(database_url=database_url)
    async with app:
        await app.dispatch(event(MemberJoined, 0))
        for i in range(3):
            await app.dispatch(event(MessageCreated, 1 + i, message=Message(str(i), "hello")))
        await app.flush()  # activity is written within a second, or before any reader
        row = await RosterMember.get(guild_id=BIG_TELEGRAM_CHAT, user_id=BIG_DISCORD_USER)
        assert (row.message_count, row.is_member) == (3, True)
        assert row.joined_at == at(0) and row.last_active_at == at(3)
        await app.dispatch(event(MemberLeft, 10))

    # A restart on the same database keeps the roster, ids intact.
    app, _ = make_app(database_url=database_url)
    async with app:
        row = await RosterMember.get(guild_id=BIG_TELEGRAM_CHAT, user_id=BIG_DISCORD_USER)
        assert (row.is_member, row.left_at, row.message_count) == (False, at(10), 3)
        account = await Account.get(user_id=BIG_DISCORD_USER)
        assert account.username == "zhangsan"
        await app.dispatch(event(MessageCreated, 20, message=Message("9", "back again")))
        await app.flush()
        row = await RosterMember.get(guild_id=BIG_TELEGRAM_CHAT, user_id=BIG_DISCORD_USER)
        assert (row.is_member, row.message_count) == (True, 4)


async def test_channel_identities_and_forwards_are_not_activity(database_url):
    app, _ = make_app(database_url=database_url)
    async with app:
        channel = User("-100777", "Announcements", is_channel=True)
        await app.dispatch(
            MessageCreated(
                platform="console",
                self_id="qunbot",
                timestamp=at(0),
                guild=Guild(BIG_TELEGRAM_CHAT),
                user=channel,
                message=Message("1", "news"),
            )
        )
        assert await RosterMember.filter(user_id="-100777").count() == 0


async def test_group_migration_keeps_the_roster_once(database_url):
    app, _ = make_app(database_url=database_url)
    async with app:
        await app.dispatch(event(MessageCreated, 0, message=Message("1", "hi")))
        assert await app.migrate_guild("console", BIG_TELEGRAM_CHAT, "-100999") is True
        assert await app.migrate_guild("console", BIG_TELEGRAM_CHAT, "-100999") is False
        # One group, now addressed by its new id; its key (and so every row keyed by it) stays.
        roster = app.scope("core").roster
        [group] = [g for g in await roster.groups("console") if g.ref.name == "Study group"]
        assert (group.ref.id, group.ref.key) == ("-100999", BIG_TELEGRAM_CHAT)
        entry = await roster.member(group.ref, BIG_DISCORD_USER)
        assert entry is not None and entry.message_count == 1


async def test_delete_user_data_forgets_the_core_rows(database_url):
    app, _ = make_app(database_url=database_url)
    async with app:
        await app.dispatch(event(MessageCreated, 0, message=Message("1", "hi")))
        await app.scope("core").forget_user("console", BIG_DISCORD_USER)
        assert await Account.filter(user_id=BIG_DISCORD_USER).count() == 0
        assert await RosterMember.filter(user_id=BIG_DISCORD_USER).count() == 0


async def test_activity_is_written_with_its_batch_and_at_stop(database_url):
    app, console = make_app(database_url=database_url)
    async with app:
        await console.run_line("bob: first")  # a first sighting: the row at once, the count later
        await console.run_line("bob: second")
        await console.run_line("bob: third")
        # A command writes none of it: it would be the activity of updates not yet confirmed,
        # counted again if they came back after a crash.
        await console.run_line("alice: /help")
        await app.flush()  # what the adapter's save of a batch does
        row = await RosterMember.get(guild_id="lobby", user_id="bob")
        assert row.message_count == 3
        await console.run_line("bob: fourth")
    app, _ = make_app(database_url=database_url)
    async with app:
        row = await RosterMember.get(guild_id="lobby", user_id="bob")
        assert row.message_count == 4


async def test_a_member_who_only_sends_commands_is_on_the_roster(database_url):
    # Telegram and the console deliver "/checkin" as a command, never as a message: a member
    # who speaks only in commands is still present and active.
    app, console = make_app(database_url=database_url)
    async with app:
        await console.run_line("alice: /help")
        await console.clock.advance(timedelta(hours=2))
        await console.run_line("alice: /help")
        await app.flush()
        row = await RosterMember.get(guild_id="lobby", user_id="alice")
        assert (row.is_member, row.message_count, row.last_active_at) == (True, 2, at(120))
        await console.run_line("alice@dm: /help")  # private chat is not group activity
        await app.flush()
        assert (await RosterMember.get(guild_id="lobby", user_id="alice")).message_count == 2


async def test_a_small_member_cache_forgets_the_least_recent_without_losing_anything(tmp_path):
    # [bot] member_cache = 2: five members take turns, so every message finds its member gone
    # from memory; the counts, names and languages still come out right from the database.
    url = f"sqlite://{tmp_path}/cache.sqlite3"
    app, console = make_app(config={"bot": {"member_cache": 2}}, database_url=url)
    async with app:
        roster = app._runtime.roster
        for round_ in range(3):
            for name in ("ann", "ben", "cy", "dee", "eve"):
                await console.run_line(f"{name}: message {round_}")
            assert len(roster._members) <= 2 and len(roster._accounts) <= 2  # bounded (a peek)
        await console.run_line("ann: /lang en")  # a choice written, then the cache moves on
        for name in ("ben", "cy", "dee"):
            await console.run_line(f"{name}: again")
        await app.flush()
        counts = dict(await RosterMember.filter(guild_id="lobby").values_list("user_id", "message_count"))
        assert counts == {"ann": 4, "ben": 4, "cy": 4, "dee": 4, "eve": 3}
        assert ("console", "ann") not in roster._accounts
        assert (await Account.get(platform="console", user_id="ann")).locale == "en"
        assert await app.scope("core").roster.locale_of("console", "ann") == "en"


async def test_migrating_a_new_database_leaves_the_cycle_collector_as_it_was(tmp_path):
    # The migrations run with the process's objects set aside (gc.freeze) and frequent full
    # passes; afterwards nothing stays frozen (a test process would never free them) and the
    # thresholds are the process's own again.
    collections = []

    def count(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            collections.append(info["collected"])

    threshold = gc.get_threshold()
    gc.callbacks.append(count)
    try:
        app, _ = make_app(("points",), database_url=f"sqlite://{tmp_path}/new.sqlite3")
        async with app:
            assert gc.get_threshold() == threshold and gc.get_freeze_count() == 0
    finally:
        gc.callbacks.remove(count)
    assert len(collections) > 10  # full passes came along the way, not only at the end


async def test_messages_held_for_a_delivery_are_written_only_with_its_confirmation(database_url):
    # What a Telegram update counts waits for the commit that confirms the update (bot.tally):
    # a flush in between writes when the member was last active, not the count; readers see
    # the count all the same.
    app, _ = make_app(database_url=database_url)
    async with app:
        await app.dispatch(event(MessageCreated, 0, message=Message("1", "hello")))
        await app.flush()
        with delivery():
            await app.dispatch(event(MessageCreated, 5, message=Message("2", "held")))
        await app.flush()
        row = await RosterMember.get(guild_id=BIG_TELEGRAM_CHAT, user_id=BIG_DISCORD_USER)
        assert (row.message_count, row.last_active_at) == (1, at(5))
        scope = app.scope("core")
        info = await scope.roster.group_by_key("console", BIG_TELEGRAM_CHAT)
        assert info is not None
        group = info.ref
        [entry] = await scope.roster.members(group)
        one = await scope.roster.member(group, BIG_DISCORD_USER)
        assert entry.message_count == 2 and one is not None and one.message_count == 2
        await app.save_state("telegram:test", "{}")  # the confirming commit
        row = await RosterMember.get(guild_id=BIG_TELEGRAM_CHAT, user_id=BIG_DISCORD_USER)
        assert row.message_count == 2


SAVE = PlainSQL(
    'INSERT INTO "core_sync_state" ("key","value") VALUES ({},{}) '
    'ON CONFLICT ("key") DO UPDATE SET "value"=excluded."value"'
)
AWKWARD = [
    "O'Brien said \\'hi\\' ; DROP TABLE core_member; --",
    "E'not an escape' $1 $2 \\x00-free",
    "名字 🎉 Ωμέγα\nsecond line\ttab",
]


async def test_writes_sent_together_keep_every_value_as_written(database_url):
    # The confirming commit's writes (Deferred): on PostgreSQL one script with the values
    # written in as literals, so quotes, backslashes and "$1" must come back as they went in.
    app, _ = make_app(database_url=database_url)
    async with app:
        await app.dispatch(event(MemberJoined, 0))
        await app.flush()
        writes = Deferred(connections.get("default").capabilities)
        await writes.execute_many(SAVE.on(writes), [[f"k{i}", text] for i, text in enumerate(AWKWARD)])
        seen = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
        update = PlainSQL('UPDATE "core_member" SET "last_active_at"={} WHERE "user_id"={}')
        stored_at = RosterMember._meta.fields_map["last_active_at"].to_db_value(seen, None)
        await writes.execute_many(update.on(writes), [[stored_at, BIG_DISCORD_USER]])
        await writes.run()
        for i, text in enumerate(AWKWARD):
            assert (await SyncState.get(key=f"k{i}")).value == text
        assert (await RosterMember.get(user_id=BIG_DISCORD_USER)).last_active_at == seen


async def test_many_writes_sent_together_all_land(database_url):
    # Past SCRIPT_ROWS rows PostgreSQL gets prepared statements in a transaction instead.
    app, _ = make_app(database_url=database_url)
    async with app:
        writes = Deferred(connections.get("default").capabilities)
        rows = [[f"key{i}", AWKWARD[i % len(AWKWARD)]] for i in range(SCRIPT_ROWS + 5)]
        await writes.execute_many(SAVE.on(writes), rows)
        await writes.run()
        assert {r.key: r.value for r in await SyncState.filter(key__startswith="key")} == dict(rows)


async def test_writes_sent_together_are_one_transaction(database_url):
    app, _ = make_app(database_url=database_url)
    async with app:
        writes = Deferred(connections.get("default").capabilities)
        await writes.execute_many(SAVE.on(writes), [["first", "written?"]])
        await writes.execute_many('UPDATE "core_sync_state" SET "no_such_column"=1', [[]])
        with pytest.raises(Exception, match="no_such_column"):
            await writes.run()
        assert await SyncState.filter(key="first").count() == 0


async def test_writes_sent_together_land_on_connections_the_pool_opens_anew(pg_url):
    # PostgreSQL prepares the statements of these writes once per connection: a connection
    # that replaces one (a restart of the server, the pool recycling it) has none prepared.
    app, _ = make_app(database_url=pg_url)
    async with app:
        client = connections.get("default")
        for round_ in range(3):
            for _ in range(client._pool.get_size() + 1):  # every connection of the pool
                writes = Deferred(client.capabilities)
                await writes.execute_many(SAVE.on(writes), [[f"r{round_}", AWKWARD[round_]]])
                await writes.run()
            await client._pool.expire_connections()
        assert {r.key: r.value for r in await SyncState.filter(key__startswith="r")} == {
            f"r{i}": AWKWARD[i] for i in range(3)
        }


async def test_writes_sent_together_land_when_the_server_forgets_what_was_prepared(pg_url):
    # As behind PgBouncer in transaction mode, where the next transaction may run on a server
    # connection that never saw the PREPARE: the values are written out instead.
    app, _ = make_app(database_url=pg_url)
    async with app:
        client = connections.get("default")
        for i in range(3):
            writes = Deferred(client.capabilities)
            await writes.execute_many(SAVE.on(writes), [[f"f{i}", AWKWARD[i]]])
            await writes.run()
            for _ in range(client._pool.get_size() + 1):
                async with client.acquire_connection() as connection:
                    await connection.execute("DEALLOCATE ALL")
        assert {r.key: r.value for r in await SyncState.filter(key__startswith="f")} == {
            f"f{i}": AWKWARD[i] for i in range(3)
        }


async def test_a_write_the_server_cannot_prepare_still_lands(pg_url):
    # A value whose type nothing in the statement tells: PostgreSQL cannot prepare it, and
    # the write goes with its values written in, in the same transaction as the rest.
    app, _ = make_app(database_url=pg_url)
    async with app:
        writes = Deferred(connections.get("default").capabilities)
        await writes.execute_many(SAVE.on(writes), [["untyped", "before"]])
        untyped = PlainSQL('UPDATE "core_sync_state" SET "value"=\'after\' WHERE "key"={} AND {} IS NOT NULL')
        await writes.execute_many(untyped.on(writes), [["untyped", "anything"]])
        for _ in range(2):
            await writes.run()
            assert (await SyncState.get(key="untyped")).value == "after"
            await SyncState.filter(key="untyped").update(value="before")


async def test_activity_written_by_two_transactions_side_by_side_never_deadlocks(database_url):
    # A batch's confirming commit and the roster's own flush can write the activity of the same
    # members at the same moment (lanes on PostgreSQL), one seeing a member the other only
    # counts: both lock the rows in the same order, so neither is ever a deadlock's victim.
    app, console = make_app(database_url=database_url)
    async with app:
        names = [f"m{i:02d}" for i in range(40)]
        for name in names:
            await console.run_line(f"{name}: hello")  # the rows exist
        await app.flush()
        roster = app._runtime.roster
        keys = [("console", "lobby", name) for name in names]
        when = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

        async def write(seen: list, counted: list) -> None:
            async with in_transaction() as transaction:
                await roster._write(transaction, {k: when for k in seen}, {k: (1,) for k in counted})

        for _ in range(5):
            await asyncio.gather(write(keys[::2], keys), write(keys[1::2], keys[::-1]))
        rows = RosterMember.filter(guild_id="lobby", user_id__in=names)
        counts = rows.values_list("message_count", flat=True)
        assert set(await counts) == {1 + 2 * 5}  # every message of both, each once


async def test_a_connection_given_back_mid_transaction_leaves_nothing_to_the_next_user(pg_url):
    # The pool gives connections back without a session reset (bot.storage.postgres): what was
    # left open on one must still be rolled back before anyone else gets it.
    app, _ = make_app(database_url=pg_url)
    async with app:
        client = connections.get("default")
        async with client.acquire_connection() as connection:
            await connection.execute("BEGIN")
            await connection.execute(
                "INSERT INTO core_sync_state (key, value) VALUES ('left-open', 'never committed')"
            )
        for _ in range(client._pool.get_size() + 1):  # whichever connection comes next
            async with client.acquire_connection() as connection:
                assert not connection.is_in_transaction()
        await SyncState.create(key="after", value="committed")
        assert {r.key for r in await SyncState.filter(key__in=["left-open", "after"])} == {"after"}


async def test_a_write_that_need_not_wait_for_the_disk_leaves_others_waiting(pg_url):
    # PostgreSQL: alone it commits without waiting; inside a transaction it is part of that
    # transaction, whose commit must still wait.
    app, _ = make_app(database_url=pg_url)
    await app.start()
    try:
        connection = connections.get("default")
        await write_unflushed(connection, _SAVE_STATE, ["first", "1"])
        async with in_transaction() as tx:
            await write_unflushed(tx, _SAVE_STATE, ["second", "2"])
            rows = await tx.execute_query_dict("SHOW synchronous_commit")
            assert rows[0]["synchronous_commit"] == "on"
        rows = await connection.execute_query_dict("SHOW synchronous_commit")
        assert rows[0]["synchronous_commit"] == "on"  # SET LOCAL ended with its transaction
        assert await SyncState.filter(key__in=["first", "second"]).count() == 2
    finally:
        await app.stop()
