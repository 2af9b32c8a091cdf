"""The README's contract: the console runs with no token, reads a script from stdin, exits 0."""

import os
import subprocess
import sys

import pytest


def run(args, stdin="", cwd=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


def test_script_on_stdin_prints_help_and_exits_zero(tmp_path):
    result = run(["run"], "alice: /help\n", cwd=tmp_path, env={"QUNBOT_CONFIG": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("bot@lobby: ")
    assert "/help" in result.stdout
    assert (tmp_path / "data" / "qunbot.sqlite3").exists()


def test_script_errors_name_the_line_and_go_on(tmp_path):
    result = run(["run"], "what is this\n:locale en\nbob: /help\n", cwd=tmp_path)
    assert result.returncode == 0
    assert "! line 1: cannot read script line" in result.stdout
    assert "Commands you can use" in result.stdout


def test_demo_plays_every_plugin(tmp_path):
    result = run(["demo"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "> alice: /help" in result.stdout
    assert "bot@demo-group:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("command", ["plugins", "migrate"])
def test_maintenance_commands(tmp_path, command):
    result = run([command], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
