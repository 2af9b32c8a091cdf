"""The CSV export: one row per group per local hour with ISO 8601 times that carry their UTC
offset (a DST fold's repeated hour spans two real hours), rolled-up days as day rows, figures
other plugins report as their own columns; /stats export in private, and qunbot stats export."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import GroupRef
from bot.testing import make_app
from plugins.stats.cli import export as export_cli
from plugins.stats.rollup import roll_up
from plugins.stats.service import Stats

pytestmark = pytest.mark.plugins("stats")
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
LOBBY = GroupRef("console", "lobby", "lobby", "lobby")
HEADER = [
    "platform", "group", "group_name", "period", "start", "end", "timezone", "messages", "speakers",
    "joins", "leaves", "checkins", "points", "packets_sent", "packets_grabbed", "ads_removed",
]


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


async def test_an_admin_gets_the_groups_hours_as_csv_in_private(fake, images):
    fake.admin("alice")
    fake.clock.set(datetime(2026, 3, 2, 21, 5, tzinfo=SHANGHAI))
    await fake.say("bob: hi", "carol: hello", "bob: how are you?", "+dave")
    scope = fake.app.scope("stats")
    await scope.emit("stats_count", group=LOBBY, name="polls", amount=2)
    fake.clock.set(datetime(2026, 3, 2, 22, 40, tzinfo=SHANGHAI))
    await scope.emit("stats_count", group=LOBBY, name="packets_sent", amount=1)  # an hour of its own
    fake.clock.set(datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI))
    assert (await fake.say(":locale en", "alice: /lang en", "alice: /stats export 2026-03-02"))[1:] == [
        "📄 lobby: 3 rows of figures since 2026-03-02 (times with their UTC offset).",
        "The CSV file is in your private chat.",
    ]
    assert fake.outputs[-2].channel == "dm:alice"
    [(name, data)] = images()
    assert name == "stats-console-lobby-20260302-20260303.csv"
    assert data.startswith("\ufeff".encode())  # spreadsheet programs then read UTF-8
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == [*HEADER, "extra.polls"]
    assert table[1:] == [
        ["console", "lobby", "lobby", "hour", "2026-03-02T21:00:00+08:00", "2026-03-02T22:00:00+08:00",
         "Asia/Shanghai", "3", "2", "1", "0", "0", "0", "0", "0", "0", "2"],
        ["console", "lobby", "lobby", "hour", "2026-03-02T22:00:00+08:00", "2026-03-02T23:00:00+08:00",
         "Asia/Shanghai", "0", "0", "0", "0", "0", "0", "1", "0", "0", ""],
        # alice's /lang this morning (the export itself is counted once it has run).
        ["console", "lobby", "lobby", "hour", "2026-03-03T08:00:00+08:00", "2026-03-03T09:00:00+08:00",
         "Asia/Shanghai", "1", "1", "0", "0", "0", "0", "0", "0", "0", ""],
    ]
    [refused] = await fake.say("bob: /stats export")
    assert "admin" in refused
    fake.console.dm_closed.add("alice")
    [closed] = await fake.say("alice: /stats export")
    assert "alice" in closed and "private" in closed.lower()


async def test_the_repeated_hour_of_a_dst_fold_spans_two_real_hours_and_old_days_are_day_rows(fake, images):
    fake.admin("alice")
    await fake.say("alice: /timezone America/New_York")
    # 2026-11-01: New York falls back from EDT to EST; 01:30 happens twice.
    for stamp in ("2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-01T03:10:00-05:00"):
        fake.clock.set(datetime.fromisoformat(stamp))
        await fake.say("bob: still up")
    fake.clock.set(datetime(2026, 3, 10, 12, tzinfo=NEW_YORK))
    await fake.say("carol: long ago")
    await fake.app.scope("stats").service(Stats).flush()
    await roll_up(fake.app.scope("stats"), date(2026, 4, 1))
    fake.clock.set(datetime(2026, 11, 2, 9, tzinfo=NEW_YORK))
    await fake.say("alice: /stats export 2026-03-01")
    [(_name, data)] = images()
    rows = [(r["period"], r["start"], r["end"], r["messages"]) for r in rows_of(data)]
    # Older than the raw window: rolled up, one row for the whole local day.
    assert ("day", "2026-03-10T00:00:00-04:00", "2026-03-11T00:00:00-04:00", "1") in rows
    assert ("hour", "2026-11-01T01:00:00-04:00", "2026-11-01T02:00:00-05:00", "2") in rows
    assert ("hour", "2026-11-01T03:00:00-05:00", "2026-11-01T04:00:00-05:00", "1") in rows


# -- qunbot stats export ---------------------------------------------------------------------------
async def make_figures(database: str) -> None:
    app, console = make_app(["stats"], database_url=database,
                            start=datetime(2026, 3, 2, 21, 5, tzinfo=SHANGHAI))
    async with app:
        for group in ("lobby", "出海交流群"):
            await console.run_line(f":group {group}")
            await console.run_line("ann: hello")


async def test_qunbot_stats_export_writes_every_groups_csv(tmp_path):
    database = f"sqlite://{tmp_path}/bot.sqlite3"
    await make_figures(database)
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{database}"\n[plugins]\nenabled = ["stats"]\n')
    env = {k: v for k, v in os.environ.items() if k != "QUNBOT_DATABASE_URL"}

    def qunbot(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", "--config", str(config), "stats", "export", *args],
            capture_output=True, text=True, env=env, timeout=60,
        )

    done = qunbot("--since", "2026-03-01", "--until", "2026-03-03")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["group_name"], r["start"], r["messages"]) for r in rows] == [
        ("lobby", "2026-03-02T21:00:00+08:00", "1"), ("出海交流群", "2026-03-02T21:00:00+08:00", "1"),
    ]
    bad = qunbot("--since", "March")
    assert bad.returncode == 2 and "'March' is not a date like 2026-03-01" in bad.stderr


async def test_the_cli_filters_a_group_writes_a_file_and_refuses_what_it_cannot_do(tmp_path, capsys):
    database = f"sqlite://{tmp_path}/bot.sqlite3"
    await make_figures(database)
    app, _console = make_app(["stats"], database_url=database,
                             start=datetime(2026, 3, 3, 9, tzinfo=SHANGHAI))
    await app.open()
    try:
        scope = app.scope("stats")
        out = tmp_path / "lobby.csv"
        assert await export_cli(scope, ["--group", "console:lobby", "--since", "2026-03-01",
                                        "--out", str(out)]) == 0
        assert [r["group"] for r in rows_of(out.read_bytes())] == ["lobby"]
        assert f"{out}: rows 1, groups 1" in capsys.readouterr().err
        assert await export_cli(scope, ["--group", "console:nowhere"]) == 2
        assert "no figures of group 'console:nowhere'" in capsys.readouterr().err
        assert await export_cli(scope, ["--since", "2026-03-05", "--until", "2026-03-01"]) == 2
        assert "is after --until" in capsys.readouterr().err
    finally:
        await app.stop()
