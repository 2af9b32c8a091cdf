"""A database that cannot be used is one clear line and exit 2, never a hang or a traceback."""

import os
import socket
import subprocess
import sys
import time

import pytest

from bot.config import Config, ConfigError, load_config


def qunbot(args, cwd, env=None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, "QUNBOT_CONFIG": "", **(env or {})},
    )


def one_line_error(result) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) <= 2 and "Traceback" not in result.stderr, result.stderr
    return result.stderr


def test_an_unsupported_database_is_refused_by_check_config(tmp_path):
    (tmp_path / "config.toml").write_text('[database]\nurl = "mysql://root@localhost/bot"\n')
    err = one_line_error(qunbot(["--config", "config.toml", "check-config"], tmp_path))
    assert "database.url: 'mysql' is not a supported database: use sqlite://PATH or postgres://" in err


def test_webhook_mode_without_its_url_is_refused(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[telegram]\nmode = "webhook"\ntoken = "1:abc"\n')
    with pytest.raises(ConfigError, match="webhook_url"):
        load_config(str(path))
    err = one_line_error(qunbot(["--config", "config.toml", "check-config"], tmp_path))
    assert 'telegram: mode = "webhook" needs webhook_url: the public https URL Telegram posts to' in err


def test_a_directory_as_the_sqlite_file_is_one_line_not_a_hang(tmp_path):
    (tmp_path / "db").mkdir()
    result = qunbot(["run"], tmp_path, env={"QUNBOT_DATABASE_URL": f"sqlite://{tmp_path / 'db'}"})
    err = one_line_error(result)
    assert str(tmp_path / "db") in err and "directory" in err


def test_an_unreachable_postgres_names_the_server_without_the_password(tmp_path):
    url = "postgres://postgres:s3cret@127.0.0.1:1/test"
    err = one_line_error(qunbot(["run"], tmp_path, env={"QUNBOT_DATABASE_URL": url}))
    assert "nothing listens on 127.0.0.1:1 (is PostgreSQL running there? is the port right?)" in err
    assert "s3cret" not in err


def test_a_port_where_something_else_listens_is_a_timeout_not_a_hang(tmp_path):
    with socket.socket() as silent:  # accepts connections, never speaks PostgreSQL
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        url = f"postgres://postgres@127.0.0.1:{port}/test?timeout=1"
        started = time.monotonic()
        err = one_line_error(qunbot(["migrate"], tmp_path, env={"QUNBOT_DATABASE_URL": url}))
    assert f"no PostgreSQL answered on 127.0.0.1:{port} within 1 s" in err
    assert time.monotonic() - started < 30


def test_a_missing_postgres_database_is_named(tmp_path):
    base = os.environ.get("QUNBOT_TEST_PG_URL")
    if not base:
        pytest.skip("QUNBOT_TEST_PG_URL is not set")
    url = base.rsplit("/", 1)[0] + "/qunbot_no_such_db"
    err = one_line_error(qunbot(["run"], tmp_path, env={"QUNBOT_DATABASE_URL": url}))
    assert 'the database "qunbot_no_such_db" does not exist on 127.0.0.1:5432' in err
    assert "createdb -h 127.0.0.1 -p 5432 -U postgres qunbot_no_such_db" in err


def test_defaults_are_a_valid_config():
    assert Config().database.url.startswith("sqlite://")
