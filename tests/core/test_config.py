"""Config: defaults work, mistakes are named by key and file, secrets come from the env."""

import subprocess
import sys

import pytest

from bot import StrictModel
from bot.app import App
from bot.config import ConfigError, load_config
from bot.plugin import Plugin


def write(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(env={})
    assert config.bot.locale == "zh"
    assert config.database.url.startswith("sqlite://")
    assert config.source == "(defaults)"


def test_unknown_key_is_named_with_the_file(tmp_path):
    path = write(tmp_path, "[bot]\nlocal = 'en'\n")
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert "bot.local: unknown key" in str(err.value)
    assert str(path) in str(err.value)


def test_wrong_type_is_named(tmp_path):
    path = write(tmp_path, "[bot]\ncommand_rate = 'many'\n")
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert "bot.command_rate" in str(err.value)


def test_bad_timezone_and_owner_are_explained(tmp_path):
    path = write(tmp_path, "[bot]\ntimezone = 'Mars/Olympus'\nowners = ['12345']\n")
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    message = str(err.value)
    assert "bot.timezone" in message and "Mars/Olympus" in message
    assert "bot.owners" in message and "platform:user_id" in message


def test_broken_toml_names_the_file(tmp_path):
    path = write(tmp_path, "[bot\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path, env={})


def test_secrets_from_environment(tmp_path):
    path = write(tmp_path, "[telegram]\nmode = 'polling'\n")
    config = load_config(path, env={"QUNBOT_TELEGRAM_TOKEN": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"})
    assert config.telegram.token.startswith("123456:")
    assert "ABCDEFGH" not in repr(config)


def test_config_path_from_env_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(env={"QUNBOT_CONFIG": str(tmp_path / "missing.toml")})


class GreeterConfig(StrictModel):
    greeting: str = "hi"
    times: int = 1


greeter = Plugin("greeter", config=GreeterConfig)


def app_with(tmp_path, text, plugins):
    return App(load_config(write(tmp_path, text), env={}), plugins=plugins)


def test_plugin_section_validated_by_its_schema(tmp_path):
    app = app_with(tmp_path, "[plugins.greeter]\ntimes = 'x'\n", {"greeter": greeter})
    with pytest.raises(ConfigError) as err:
        app.load_plugins()
    assert "plugins.greeter.times" in str(err.value)


def test_plugin_section_unknown_key(tmp_path):
    app = app_with(tmp_path, "[plugins.greeter]\ngreting = 'x'\n", {"greeter": greeter})
    with pytest.raises(ConfigError, match="plugins.greeter.greting: unknown key"):
        app.load_plugins()


def test_section_for_a_plugin_that_is_not_installed(tmp_path):
    app = app_with(tmp_path, "[plugins.nope]\nx = 1\n", {"greeter": greeter})
    with pytest.raises(ConfigError, match="plugins.nope: no such plugin"):
        app.load_plugins()


def test_enabled_and_requires(tmp_path):
    needy = Plugin("needy", requires=["greeter"])
    app = app_with(tmp_path, "[plugins]\nenabled = ['needy']\n", {"greeter": greeter, "needy": needy})
    with pytest.raises(ConfigError, match="needy requires greeter"):
        app.load_plugins()
    app = app_with(tmp_path, "[plugins]\nenabled = ['greeter']\n", {"greeter": greeter, "needy": needy})
    app.load_plugins()
    assert "greeter" in app.plugins and "needy" not in app.plugins
    assert app.plugin_config("greeter").greeting == "hi"


def test_check_config_command_reports_the_key(tmp_path):
    path = write(tmp_path, "[database]\nurll = 'x'\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(path), "check-config"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "database.urll: unknown key" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_config_accepts_the_documented_example(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--config", "config.example.toml", "check-config"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "config OK" in result.stdout


def test_a_timezone_area_without_a_city_is_explained(tmp_path):
    # "Asia" is a folder of the tz database, not a zone: a message, not a traceback.
    path = write(tmp_path, "[bot]\ntimezone = 'Asia'\n")
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert "bot.timezone" in str(err.value) and "Asia" in str(err.value)
