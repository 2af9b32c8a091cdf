"""A SQLite database that cannot be opened or written: one line naming the path and exit 2,
never a hang or a traceback; a full disk is said at start-up, recovered from once space is
freed, and never keeps the process from stopping (issue 18, items 2 and 4)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.storage.models import RosterMember
from bot.testing.driver import make_app

SORRY = "Sorry, something went wrong on my side. The admins have been told."


def qunbot(args, cwd, url, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        timeout=120, cwd=cwd, env={**os.environ, "QUNBOT_CONFIG": "", "QUNBOT_DATABASE_URL": url},
    )


def one_line(result) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("qunbot: [database] url: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("command", [["run"], ["points", "verify"]])
def test_a_path_sqlite_cannot_open_is_one_line_for_every_command(tmp_path, command):
    started = time.monotonic()
    line = one_line(qunbot(command, tmp_path, "sqlite:///proc/qunbot.sqlite3"))  # no file can be made there
    assert "/proc/qunbot.sqlite3" in line and "unable to open database file" in line
    assert time.monotonic() - started < 60


def test_a_file_that_is_not_a_database_is_named(tmp_path):
    (tmp_path / "notes.txt").write_text("not a database\n" * 100)
    line = one_line(qunbot(["run"], tmp_path, f"sqlite://{tmp_path / 'notes.txt'}"))
    assert "notes.txt: file is not a database" in line


def test_a_read_only_file_is_named_even_for_root(tmp_path):
    database = tmp_path / "bot.db"
    assert qunbot(["migrate"], tmp_path, f"sqlite://{database}").returncode == 0
    if subprocess.run(["chattr", "+i", str(database)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        line = one_line(qunbot(["run"], tmp_path, f"sqlite://{database}"))
    finally:
        subprocess.run(["chattr", "-i", str(database)], check=True)
    assert str(database) in line and "cannot be written" in line


def test_a_full_database_at_start_is_one_line(tmp_path):
    # SQLite's page limit fails a write exactly as a full disk does ("database or disk is full").
    url = f"sqlite://{tmp_path / 'bot.db'}?max_page_count=8"
    line = one_line(qunbot(["migrate"], tmp_path, url))
    assert "database or disk is full (free some space on that disk, then start again)" in line


# -- a real full disk: a small tmpfs (needs the right to mount, else skipped) ---------------------
@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)]
    mounted = subprocess.run(mount, capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, name: str = "filler") -> Path:
    """Take every free byte of ``disk``; returns the file that holds them."""
    filler = disk / name
    with open(filler, "wb", buffering=0) as out, contextlib.suppress(OSError):  # ENOSPC: full
        for chunk in (65536, 4096, 512):
            with contextlib.suppress(OSError):
                while True:
                    out.write(b"\0" * chunk)
    return filler


def test_a_full_disk_is_said_at_start_and_recovered_from_once_space_is_freed(small_disk):
    url = f"sqlite://{small_disk / 'bot.db'}"
    migrated = qunbot(["migrate"], small_disk.parent, url)
    assert migrated.returncode == 0, migrated.stderr
    # The migrations' WAL (megabytes) was given back: it cannot fill the disk later.
    assert not (small_disk / "bot.db-wal").exists() or (small_disk / "bot.db-wal").stat().st_size < 65536
    filler = fill(small_disk)
    line = one_line(qunbot(["run"], small_disk.parent, url, "alice: /help\n"))
    assert str(small_disk / "bot.db") in line and "the disk is full" in line
    assert "free some space, then start again" in line
    filler.unlink()
    again = qunbot(["run"], small_disk.parent, url, "alice: /help\n")
    assert again.returncode == 0, again.stderr
    assert "/help" in again.stdout


def keep_full(disk: Path, stop: threading.Event) -> None:
    """Take every byte ``disk`` frees, until ``stop`` (the bot's WAL checkpoints free some)."""
    with open(disk / "filler-kept", "ab", buffering=0) as out:
        while not stop.is_set():
            with contextlib.suppress(OSError):
                out.write(b"\0" * 512)
            time.sleep(0.002)


async def test_a_disk_that_fills_while_running(small_disk, caplog):
    url = f"sqlite://{small_disk / 'bot.db'}"
    app, console = make_app((), {"bot": {"locale": "en"}}, database_url=url)
    await app.start()
    stop = threading.Event()
    try:
        await console.run_line(":locale en")
        await console.run_line("alice: hello")
        await app.flush()
        fill(small_disk)
        # The write fails; the WAL's checkpoint gives back the space it held and the retry
        # goes through: bob is recorded.
        await asyncio.wait_for(console.run_line("bob: hello"), 30)
        await app.flush()
        # Now every byte freed is taken at once: the core's write is retried, then given up,
        # and carol hears that something went wrong.
        keeper = asyncio.create_task(asyncio.to_thread(keep_full, small_disk, stop))
        await asyncio.sleep(0.1)
        answer = await asyncio.wait_for(console.run_line("carol: /help"), 60)
        assert [o.text for o in answer] == [SORRY]
        assert "giving up after 5 attempts: OperationalError: database or disk is full" in caplog.text
    finally:
        started = time.monotonic()
        await asyncio.wait_for(app.stop(), 60)  # never raises, whatever it could not write
        stopped_in = time.monotonic() - started
        stop.set()
        await keeper
        for filler in small_disk.glob("filler*"):
            filler.unlink()
    assert stopped_in < 45
    # Space is back: the same database opens and takes writes again.
    app, console = make_app((), {"bot": {"locale": "en"}}, database_url=url)
    await app.start()
    try:
        await console.run_line(":locale en")
        assert [o.text for o in await console.run_line("carol: /help")][0].startswith("Commands you can use")
        await app.flush()
        seen = set(await RosterMember.all().values_list("user_id", flat=True))
        assert {"alice", "bob", "carol"} <= seen
    finally:
        await app.stop()
