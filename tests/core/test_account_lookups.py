"""``@name`` resolved on the message path without reading every account, on SQLite and on
PostgreSQL: by username whatever its case, then by display name (issue #11). Each lookup read
the whole account table before: 80 ms with 100,000 accounts (make bench), on every mention."""

import re
from datetime import UTC, datetime

import pytest
from tortoise.connection import connections
from tortoise.transactions import in_transaction

from bot.events import Guild, Message, MessageCreated, User
from bot.storage import PlainSQL
from bot.testing import make_app

GROUP = Guild("-1001234567890123", "Study group")
CARLA = User("501", "Carla M", username="Carla_M")
ZHANG = User("502", "张三")
OTHERS = 3000  # accounts of the bot's other groups
ADD_ACCOUNT = PlainSQL(
    'INSERT INTO "core_account" ("platform","user_id","name","username","is_bot","created_at")'
    " VALUES ({},{},{},{},{},{})"
)


def said(user: User, n: int) -> MessageCreated:
    return MessageCreated(
        platform="console", self_id="qunbot", timestamp=datetime(2026, 3, 2, 1, n, tzinfo=UTC),
        guild=GROUP, user=user, message=Message(str(n), "hello"),
    )


class Recorded:
    """The statements the ORM sends on the default connection while recording."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, list]] = []
        self.client = connections.get("default")

    def __enter__(self) -> "Recorded":
        for name in ("execute_query", "execute_query_dict"):
            original = getattr(self.client, name)

            async def recording(sql, values=None, *, _original=original):
                self.statements.append((sql, list(values or [])))
                return await _original(sql, values)

            setattr(self.client, name, recording)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in ("execute_query", "execute_query_dict"):
            delattr(self.client, name)


async def plan(sql: str, values: list) -> str:
    """How the database would run ``sql``; on PostgreSQL with sequential scans priced out, so
    the plan says whether an index can serve it at all, whatever the table's size."""
    client = connections.get("default")
    if client.capabilities.dialect == "sqlite":
        rows = await client.execute_query_dict("EXPLAIN QUERY PLAN " + sql, values)
        return "\n".join(row["detail"] for row in rows)
    async with in_transaction() as transaction:
        await transaction.execute_query("SET LOCAL enable_seqscan TO off")
        rows = await transaction.execute_query_dict("EXPLAIN " + sql, values)
    return "\n".join(row["QUERY PLAN"] for row in rows)


def reads_every_account(plan_text: str) -> bool:
    """Whether the plan reads all accounts of the platform in any of its parts: a scan, or an
    index searched by the platform alone (every account of a bot shares it), the handle checked
    row by row."""
    lines = plan_text.splitlines()
    sqlite_reads = [line for line in lines if re.match(r"\s*(?:SEARCH|SCAN) core_account\b", line)]
    if sqlite_reads:
        served = r"USING (?:COVERING )?INDEX \S+ \(platform=\? AND (?:<expr>|name)=\?\)"
        return not all(re.search(served, line) for line in sqlite_reads)
    table_reads = [line for line in lines if re.search(r"Scan\b.* on core_account\b(?!_)", line)]
    by_handle = [line for line in lines if re.search(r"Index Cond: .*\b(?:upper|name)\b", line)]
    scanned = any("Seq Scan" in line for line in table_reads)
    return not table_reads or scanned or len(by_handle) < len(table_reads)


@pytest.mark.both_databases
async def test_mentions_are_found_by_index_whatever_their_case(bot_database_url):
    app, _ = make_app(database_url=bot_database_url)
    async with app:
        for n, user in enumerate((CARLA, ZHANG)):
            await app.dispatch(said(user, n))
        await app.flush()
        client = connections.get("default")
        joined = datetime(2026, 1, 1, tzinfo=UTC)
        await client.execute_many(ADD_ACCOUNT.on(client), [
            ["console", str(10_000 + i), f"Member {i}", f"member_{i}", False, joined] for i in range(OTHERS)
        ])
        roster = app._runtime.roster
        group = await roster.group("console", GROUP.id, GROUP.name)
        with Recorded() as recorded:
            by_username = await roster.find_user("console", group, "@CARLA_m")
            by_name = await roster.find_user("console", group, "张三")
            members = await roster.find_members(group, "carla_m")
            nobody = await roster.find_user("console", group, "@no_such_member")
        assert by_username is not None and by_username.id == CARLA.id
        assert by_name is not None and by_name.id == ZHANG.id
        assert [m.id for m in members] == [CARLA.id]
        assert nobody is None
        lookups = [(sql, values) for sql, values in recorded.statements if "core_account" in sql]
        assert len(lookups) >= 4  # at least one for each of the four
        for sql, values in lookups:
            how = await plan(sql, values)
            assert not reads_every_account(how), f"{sql}\n{how}"
