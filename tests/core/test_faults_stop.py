"""A full disk and a hanging adapter at stop: App.stop still ends, in bounded time, and a
failed write checkpoints the WAL (issue 18, item 4)."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from tortoise.exceptions import OperationalError

import bot.app
from bot.storage.faults import after_write_error
from bot.testing.driver import make_app


async def test_stop_is_bounded_when_the_last_flush_and_an_adapter_fail(tmp_path, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(bot.app, "STOP_STEP_SECONDS", 0.5)
    app, console = make_app((), {}, database_url=f"sqlite://{tmp_path / 'bot.db'}")
    await app.start()
    roster = app._runtime.roster
    calls = 0

    async def full_disk() -> None:
        nonlocal calls
        calls += 1
        raise OperationalError("database or disk is full")

    async def hangs() -> None:
        await asyncio.sleep(3600)

    monkeypatch.setattr(roster, "flush", full_disk)
    monkeypatch.setattr(console, "stop", hangs)
    started = time.monotonic()
    await asyncio.wait_for(app.stop(), 20)  # returns, never raises
    assert time.monotonic() - started < 10
    assert calls >= 1
    assert "could not stop adapter console" in caplog.text
    assert "could not write the roster's last activity" in caplog.text
    assert "WAL checkpointed after a failed write" in caplog.text


async def test_a_failed_write_checkpoints_the_wal(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    app, _ = make_app((), {}, database_url=f"sqlite://{tmp_path / 'bot.db'}")
    await app.start()
    try:
        await after_write_error(OperationalError("database or disk is full"))
        assert "WAL checkpointed" in caplog.text
        caplog.clear()
        await after_write_error(OperationalError("no such table: x"))  # not a write failure
        assert "WAL" not in caplog.text
    finally:
        await app.stop()


@pytest.mark.parametrize("words", ["database or disk is full", "disk I/O error"])
def test_write_failures_are_recognised(words):
    from bot.storage.faults import is_transient, is_write_failure

    assert is_write_failure(OperationalError(words)) and is_transient(OperationalError(words))
