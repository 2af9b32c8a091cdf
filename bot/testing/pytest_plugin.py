"""pytest plugin (entry point ``pytest11``) for qunbot and its plugin authors.

Fixtures:

- ``bot_app``: a started App on the console adapter, in-memory SQLite, a fake clock. Choose the
  plugins with ``@pytest.mark.plugins("points", my_plugin)`` and config with
  ``@pytest.mark.bot_config({...})``; ``@pytest.mark.both_databases`` runs the test on SQLite
  and on PostgreSQL (``pg_url``), or ``bot_database_url`` may be overridden.
- ``fake``: a :class:`ChatDriver` on that app (``await fake.say("alice: /help")``;
  ``fake.wait("1d")`` moves the clock, stopping at each slot a job runs and waiting for the
  jobs it started; ``fake.run_job(name)`` runs one now).
- ``pg_url``: the PostgreSQL URL of ``QUNBOT_TEST_PG_URL`` with an empty schema, or a skip.
- ``cli_folder``: an empty current folder for ``bot.cli.main`` (``qunbot ...``) run in the test's
  process, no config from the environment, its logging set-up undone afterwards.

What a test may ask of the app: ``bot_app.scope("points")`` is that plugin's scope (its
services, the roster), ``bot_app.flush()`` writes the roster's pending activity,
``bot_app.migrate_guild(platform, old_id, new_id)`` is what an adapter reports when a group
changes id.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.app import App
from bot.testing.driver import ChatDriver, make_app

PG_ENV = "QUNBOT_TEST_PG_URL"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "plugins(*names): plugins the bot_app fixture loads")
    config.addinivalue_line("markers", "bot_config(dict): raw config for the bot_app fixture")
    config.addinivalue_line(
        "markers", "both_databases: run the test on SQLite and on PostgreSQL (bot_database_url)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_databases") and (
        "bot_database_url" in metafunc.fixturenames
    ):
        metafunc.parametrize("bot_database_url", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def bot_database_url(request: pytest.FixtureRequest) -> str:
    """SQLite in memory; with ``@pytest.mark.both_databases``, PostgreSQL (``pg_url``) too."""
    if getattr(request, "param", "sqlite") == "postgres":
        return request.getfixturevalue("pg_url")
    return "sqlite://:memory:"


async def reset_postgres(url: str) -> None:
    """Drop every table of the test database (a PostgreSQL test starts from nothing)."""
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


@pytest.fixture
async def pg_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set")
    await reset_postgres(url)
    return url


@pytest.fixture
async def bot_app(request: pytest.FixtureRequest, bot_database_url: str) -> AsyncIterator[App]:
    marker = request.node.get_closest_marker("plugins")
    plugins = marker.args if marker else ()
    config_marker = request.node.get_closest_marker("bot_config")
    config = config_marker.args[0] if config_marker else {}
    app, _console = make_app(plugins, config, database_url=bot_database_url)
    await app.start()
    try:
        yield app
    finally:
        await app.stop()


@pytest.fixture
def cli_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """``bot.cli.main`` run in this process, in an empty folder and without a config file from
    the environment; the logging it sets up is undone afterwards."""
    monkeypatch.chdir(tmp_path)
    for var in ("QUNBOT_CONFIG", "QUNBOT_DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield tmp_path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def fake(bot_app: App) -> ChatDriver:
    return ChatDriver(bot_app, bot_app.adapter("console"))
