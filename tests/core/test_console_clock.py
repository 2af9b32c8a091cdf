"""The console keeps its clock with its database (issue 17, items 3 and 4): a second
``qunbot run`` goes on where ``:wait`` left the clock, ``:reset`` starts clean; a script with
unreadable lines exits non-zero naming them (item 19)."""

import os
import sqlite3
import subprocess
import sys
from datetime import datetime

import pytest

from bot.adapters.console import CLOCK_STATE, ConsoleReset


def run(stdin: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"], input=stdin, capture_output=True, text=True, timeout=120,
        cwd=cwd, env={**os.environ, "QUNBOT_CONFIG": ""},
    )


def saved_clock(cwd) -> datetime:
    with sqlite3.connect(cwd / "data" / "qunbot.sqlite3") as db:
        [(value,)] = db.execute("select value from core_sync_state where key = ?", (CLOCK_STATE,))
    return datetime.fromisoformat(value)


def clock_line(result: subprocess.CompletedProcess) -> str:
    return next(line for line in result.stdout.splitlines() if line.startswith("* clock: "))


def test_a_second_run_starts_where_the_first_left_the_clock(tmp_path):
    first = run(":locale en\nalice: /timezone\n:wait 3d\n", tmp_path)
    assert first.returncode == 0, first.stderr
    assert "starts now (a new database)" in clock_line(first)
    started = datetime.strptime(clock_line(first)[9:25], "%Y-%m-%d %H:%M")
    moved = saved_clock(tmp_path)
    assert (moved.replace(tzinfo=None) - started).days == 3

    second = run(":locale en\nalice: /timezone\n", tmp_path)
    assert second.returncode == 0, second.stderr
    assert clock_line(second) == (
        f"* clock: {moved:%Y-%m-%d %H:%M} UTC, continues from the database; :wait moves it, "
        ":reset starts clean"
    )
    assert saved_clock(tmp_path) == moved  # saved at stop too


def test_reset_deletes_the_database_and_the_clock(tmp_path):
    run(":wait 10d\n", tmp_path)
    moved = saved_clock(tmp_path)
    result = run(":reset\nalice: /id\n", tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "continues from the database" in lines[0]
    assert lines[1] == "* :reset: the console's database is deleted; starting clean"
    assert "starts now (a new database)" in lines[2]
    assert lines[3].startswith("bot@lobby: ")  # the script goes on after :reset
    assert saved_clock(tmp_path) < moved


def test_unreadable_script_lines_exit_non_zero_and_are_named(tmp_path):
    result = run("alice: /help\nwhat is this\n:nonsense\nbob: /help\n", tmp_path)
    assert result.returncode == 1
    assert "! line 2: cannot read script line: 'what is this'" in result.stdout
    assert "! line 3: unknown directive :nonsense" in result.stdout
    assert "qunbot: the script has unreadable lines: 2, 3" in result.stderr


async def test_reset_is_a_request_to_whoever_runs_the_console(fake):
    with pytest.raises(ConsoleReset):
        await fake.say(":reset")
    fake.console.cannot_reset = "not here"
    with pytest.raises(Exception, match="not here"):
        await fake.say(":reset")
