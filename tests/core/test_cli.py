"""The README's contract: the console runs with no token, reads a script from stdin, exits 0."""

import logging
import os
import subprocess
import sys

import pytest

import bot.app
import bot.cli
from bot import Plugin, Scope, StrictModel


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
    first, second = result.stdout.splitlines()[:2]
    assert first.startswith("* clock: ") and "starts now (a new database)" in first
    assert second.startswith("bot@lobby: ")
    assert "/help" in result.stdout
    assert (tmp_path / "data" / "qunbot.sqlite3").exists()


def test_script_errors_name_the_line_and_go_on_then_exit_non_zero(tmp_path):
    result = run(["run"], "what is this\n:locale en\nbob: /help\n", cwd=tmp_path)
    assert result.returncode == 1  # issue 17, item 19: a script with unreadable lines fails
    assert "unreadable lines: 1" in result.stderr
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


# -- plugins' maintenance commands ---------------------------------------------------------------
class ToolConfig(StrictModel):
    greeting: str = "hello"


tool = Plugin("tool", config=ToolConfig)


@tool.cli("hello")
async def hello(scope: Scope, args: list[str]) -> int:
    groups = await scope.roster.groups()  # the database is open
    print(f"{scope.plugin} {type(scope).__name__} {scope.config.greeting} {args} {len(groups)}")
    return 3


@pytest.fixture
def tool_installed(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QUNBOT_CONFIG", raising=False)
    monkeypatch.setattr(bot.cli, "discover_plugins", lambda: {"tool": tool})
    monkeypatch.setattr(bot.app, "discover_plugins", lambda: {"tool": tool})
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield tmp_path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
    root.setLevel(level)


def test_a_plugin_command_gets_the_plugins_scope(tool_installed, capsys):
    (tool_installed / "config.toml").write_text('[plugins.tool]\ngreeting = "hi"\n')
    assert bot.cli.main(["tool", "hello", "--dry-run", "x"]) == 3
    assert capsys.readouterr().out == "tool Scope hi ['--dry-run', 'x'] 0\n"


def test_a_command_of_a_disabled_plugin_says_so_in_one_line(tool_installed, capsys):
    (tool_installed / "config.toml").write_text('[plugins]\ndisabled = ["tool"]\n')
    assert bot.cli.main(["tool", "hello"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qunbot: ") and "tool" in err and "Traceback" not in err
