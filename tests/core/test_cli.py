"""The README's contract: the console runs with no token, reads a script from stdin, exits 0."""

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
    # Every section is played as written: none is cut short by the command rate limit.
    assert "命令发得太快" not in result.stdout and "too fast" not in result.stdout


def test_plugins_lists_the_installed_plugins(tmp_path):
    result = run(["plugins"], cwd=tmp_path, env={"QUNBOT_CONFIG": ""})
    assert result.returncode == 0, result.stderr
    assert "points" in result.stdout and "enabled" in result.stdout


def exits(argv) -> int:
    with pytest.raises(SystemExit) as stop:
        bot.cli.main(argv)
    return stop.value.code


def test_help_lists_every_command_and_the_plugins_commands(cli_folder, capsys):
    assert exits(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("run", "demo", "init", "check-config", "migrate", "plugins"):
        assert f"\n    {command} " in out, command
    assert "points plugin: import, verify" in out
    assert "ads plugin: check" in out


def test_a_plugin_alone_shows_its_commands(cli_folder, capsys):
    assert exits(["points"]) == 0
    out = capsys.readouterr().out
    assert "usage: qunbot points" in out
    assert "verify    Check every balance against its ledger" in out
    assert "import    Import a MEE6-style CSV" in out
    assert exits(["points", "nosuch"]) == 2
    assert "invalid choice: 'nosuch' (choose from 'import', 'verify')" in capsys.readouterr().err


def test_migrate_says_what_it_applied_then_that_nothing_is_left(cli_folder, capsys):
    assert bot.cli.main(["migrate"]) == 0
    lines = capsys.readouterr().out.splitlines()
    applied = [line for line in lines if line.startswith("applied ")]
    assert "applied core.0001_initial" in applied and "applied points.0001_initial" in applied
    assert lines[-1] == f"sqlite://data/qunbot.sqlite3: {len(applied)} migrations applied"
    assert bot.cli.main(["migrate"]) == 0
    again = capsys.readouterr().out
    assert again == "sqlite://data/qunbot.sqlite3: already up to date, no migration to apply\n"


def test_points_import_takes_console_names_as_ids(cli_folder, capsys):
    (cli_folder / "xp.csv").write_text("alice,120\nbob,30\n")  # no header: the first row is data
    assert bot.cli.main(["points", "import", "xp.csv", "--platform", "console", "--guild", "lobby"]) == 0
    assert "2 member(s) imported" in capsys.readouterr().out
    assert bot.cli.main(["points", "verify"]) == 0
    assert "OK, 2 balance(s) match the ledger" in capsys.readouterr().out
    # On Telegram an id is a number: a name is refused with the line and what is wrong.
    assert bot.cli.main(["points", "import", "xp.csv", "--platform", "telegram", "--guild", "-1001"]) == 2
    assert "line 1: 'alice' is not a telegram user id" in capsys.readouterr().out


def test_check_config_without_a_file_says_the_defaults_are_used(cli_folder, capsys):
    assert bot.cli.main(["check-config"]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert first.startswith("no config file") and "the defaults are used" in first
    assert second.startswith("defaults OK; database sqlite://data/qunbot.sqlite3; plugins: ")


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
def tool_installed(cli_folder, monkeypatch):
    monkeypatch.setattr(bot.cli, "discover_plugins", lambda: {"tool": tool})
    monkeypatch.setattr(bot.app, "discover_plugins", lambda: {"tool": tool})
    return cli_folder


def test_a_plugin_command_gets_the_plugins_scope(tool_installed, capsys):
    (tool_installed / "config.toml").write_text('[plugins.tool]\ngreeting = "hi"\n')
    assert bot.cli.main(["tool", "hello", "--dry-run", "x"]) == 3
    assert capsys.readouterr().out == "tool Scope hi ['--dry-run', 'x'] 0\n"


def test_a_command_of_a_disabled_plugin_says_so_in_one_line(tool_installed, capsys):
    (tool_installed / "config.toml").write_text('[plugins]\ndisabled = ["tool"]\n')
    assert bot.cli.main(["tool", "hello"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qunbot: ") and "tool" in err and "Traceback" not in err


def test_a_script_file_that_is_missing_or_not_utf8_is_named(cli_folder, capsys):
    assert bot.cli.main(["run", "--script", "nosuch.txt"]) == 2
    assert capsys.readouterr().err == "qunbot: cannot read the script nosuch.txt: No such file or directory\n"
    (cli_folder / "latin1.txt").write_bytes("alice: /help\nbob: caf\xe9\n".encode("latin-1"))
    assert bot.cli.main(["run", "--script", "latin1.txt"]) == 2
    out, err = capsys.readouterr()
    assert err == "qunbot: the script latin1.txt is not UTF-8 at line 2: save it as UTF-8\n"
    assert out == ""  # nothing played
