"""``qunbot`` / ``python -m bot``: run, demo, init, check-config, migrate, plugins.

Plugins add maintenance commands of their own: ``qunbot <plugin> <command>`` (for example
``qunbot points verify``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shutil
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.adapters.base import Adapter, PlatformError
from bot.adapters.console import ConsoleAdapter, ConsoleReset, ScriptError
from bot.app import App, keep_startup_objects
from bot.clock import FakeClock
from bot.config import DEFAULTS, Config, ConfigError, load_config
from bot.logs import setup_logging
from bot.plugin import Plugin, PluginError, discover_plugins
from bot.storage import close_database, is_postgres, make_migrations, open_database, where

__all__ = ["main"]

log = logging.getLogger("qunbot")
EXAMPLE_CONFIG = Path(__file__).resolve().parent.parent / "config.example.toml"

DEMO_CORE = """\
# qunbot demo: the console plays a small group. Lines starting with '#' are comments.
:group demo-group
:admin alice
alice: /help
bob: /help
bob: /lang en
bob: /help
bob: /timezone
alice: /timezone America/New_York
bob: /nosuchcommand
"""


def _parser(plugins: dict[str, Plugin]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qunbot", description="Self-hosted community bot.",
        epilog="A plugin's commands: qunbot PLUGIN --help (for example qunbot points --help).",
    )
    parser.add_argument("--config", help="path to config.toml (default: $QUNBOT_CONFIG or ./config.toml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="run the bot (the console when no token is configured)")
    run.add_argument("--script", help="console: play this script file instead of stdin")
    sub.add_parser("demo", help="play the built-in demo script on the console and print it")
    init = sub.add_parser("init", help="write config.toml from the documented example")
    init.add_argument("--force", action="store_true", help="overwrite an existing config.toml")
    sub.add_parser("check-config", help="validate the config without starting")
    sub.add_parser("migrate", help="apply database migrations and say which")
    sub.add_parser("plugins", help="list installed plugins and whether they are enabled")
    mk = sub.add_parser("makemigrations", help="(developers) write migrations for model changes")
    mk.add_argument("apps", nargs="*")
    for name, plugin in sorted(plugins.items()):
        commands = sorted(plugin.cli_commands)
        if not commands:
            continue
        group = sub.add_parser(
            name, help=f"{name} plugin: {', '.join(commands)}", description=plugin.description or None
        )
        own = group.add_subparsers(dest="plugin_command", metavar="COMMAND")
        for command in commands:
            # Each command reads its own options (``qunbot points import --help``).
            own.add_parser(command, help=_first_line(plugin.cli_commands[command].__doc__), add_help=False)
    return parser


def _first_line(text: str | None) -> str:
    return (text or "").strip().split("\n\n", 1)[0].replace("\n", " ")


def _installed_plugins() -> dict[str, Plugin]:
    """Installed plugins with their declarations made (their maintenance commands known); one
    that fails to load is left out here and named when it is used."""
    plugins = {}
    for name, plugin in discover_plugins().items():
        try:
            plugins[name] = plugin.load()
        except Exception as exc:
            log.debug("plugin %s not loaded for the command list: %s", name, exc)
    return plugins


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    plugins = _installed_plugins()
    plugin_command = _plugin_command(argv, plugins)
    if plugin_command is not None:
        return plugin_command
    parser = _parser(plugins)
    args = parser.parse_args(argv)
    if args.command in plugins:
        # ``qunbot points`` alone: what it can do.
        parser.parse_args([args.command, "--help"])
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"qunbot: {exc}", file=sys.stderr)
        return 2
    setup_logging(config.bot.log_level, config.secrets(), config.logging.personal_data)
    command = args.command or "run"
    try:
        if command == "check-config":
            return _check_config(config)
        if command == "init":
            return _init(args.force)
        if command == "plugins":
            return _plugins(config)
        if command == "migrate":
            return asyncio.run(_migrate(config))
        if command == "makemigrations":
            return asyncio.run(_makemigrations(config, args.apps))
        if command == "demo":
            return asyncio.run(_demo(config))
        adapters_configured = bool(config.telegram.token or config.discord.token)
        script = None if adapters_configured else _script_lines(getattr(args, "script", None))
        return asyncio.run(_run(config, script))
    except (ConfigError, PluginError, PlatformError) as exc:
        print(f"qunbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _check_config(config: Config) -> int:
    app = App(config)
    app.load_plugins()
    names = ", ".join(sorted(n for n in app.plugins if n != "core")) or "none"
    if config.source == DEFAULTS:
        print("no config file (neither --config, $QUNBOT_CONFIG nor ./config.toml): the defaults "
              "are used; `qunbot init` writes a config.toml to edit")
        print(f"defaults OK; database {config.database.url}; plugins: {names}")
    else:
        print(f"config OK ({config.source}); database {where(config.database.url)}; plugins: {names}")
    return 0


def _init(force: bool) -> int:
    target = Path("config.toml")
    if target.exists() and not force:
        print("config.toml exists; use --force to overwrite", file=sys.stderr)
        return 1
    if not EXAMPLE_CONFIG.exists():  # installed as a package (pip install ., a container)
        print("qunbot: config.example.toml is not installed with the package: copy it from the "
              "source tree to config.toml", file=sys.stderr)
        return 2
    shutil.copyfile(EXAMPLE_CONFIG, target)
    print("wrote config.toml")
    return 0


def _plugins(config: Config) -> int:
    app = App(config)
    app.load_plugins()
    for name, plugin in sorted(app.available.items()):
        state = "enabled" if name in app.plugins else "disabled"
        print(f"{name:12} {state:9} {plugin.description}")
    return 0


async def _migrate(config: Config) -> int:
    app = App(config)
    app.load_plugins()
    database = where(config.database.url)
    storage_log = logging.getLogger("bot.storage")
    level = storage_log.level
    storage_log.setLevel(logging.WARNING)  # migrate says what it applied on stdout
    try:
        applied = await open_database(config.database.url, app.models())
    finally:
        storage_log.setLevel(level)
        await close_database()
    for name in applied:
        print(f"applied {name}")
    if applied:
        print(f"{database}: {len(applied)} migration{'s' if len(applied) != 1 else ''} applied")
    else:
        print(f"{database}: already up to date, no migration to apply")
    return 0


async def _makemigrations(config: Config, labels: list[str]) -> int:
    app = App(config)
    app.load_plugins()
    await make_migrations("sqlite://:memory:", app.models(), labels or None)
    return 0


def _adapters(config: Config) -> list[Adapter]:
    adapters: list[Adapter] = []
    if config.telegram.token:
        from bot.adapters.telegram import TelegramAdapter

        adapters.append(TelegramAdapter(config.telegram))
    if config.discord.token:
        from bot.adapters.discord import DiscordAdapter

        adapters.append(DiscordAdapter(config.discord))
    return adapters


async def _run(config: Config, script: list[str] | None) -> int:
    adapters = _adapters(config)
    if not adapters:
        return await _console(config, script)
    app = App(config, adapters=adapters)
    try:
        await app.start()
    except BaseException:
        await app.stop()  # closes the database: its worker thread would keep the process alive
        raise
    keep_startup_objects()
    log.info("qunbot is running on %s", ", ".join(app.adapters))
    stop = asyncio.Event()
    _stop_on_signals(stop)
    try:
        await stop.wait()
    finally:
        await app.stop()
    return 0


def _stop_on_signals(stop: asyncio.Event) -> None:
    import signal

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass


def console_app(config: Config, *, echo=print, database_url: str | None = None) -> tuple[App, ConsoleAdapter]:
    clock = FakeClock(datetime.now(UTC))
    console = ConsoleAdapter(clock, group=config.console.group, echo=echo)
    return App(config, adapters=[console], clock=clock, database_url=database_url), console


async def _console(config: Config, script: list[str] | None) -> int:
    """The console on the configured database, its clock kept with it; ``:reset`` deletes the
    database and goes on with a new one. A script with unreadable lines exits 1 naming them."""
    url = config.database.url
    done = 0  # script lines played before a :reset
    bad: list[int] = []
    while True:
        app, console = console_app(config)
        console.keep_clock = True
        if is_postgres(url):
            console.cannot_reset = ":reset deletes a SQLite file; on PostgreSQL drop and create the database"
        try:
            await app.start()
            if script is None:
                await console.interactive()
            else:
                bad += await console.run_script(script[done:], first=done + 1)
            break
        except ConsoleReset as reset:
            done = reset.line
        finally:
            await app.stop()  # also when the start failed: the database's thread would keep us alive
        _delete_database(url)
        print("* :reset: the console's database is deleted; starting clean")
    if bad:
        lines = ", ".join(str(n) for n in bad)
        print(f"qunbot: the script has unreadable lines: {lines}", file=sys.stderr)
        return 1
    return 0


def _delete_database(url: str) -> None:
    """Delete a SQLite database file (and its WAL files); nothing to do for ``:memory:``."""
    path = url[len("sqlite://") :].split("?", 1)[0] if url.startswith("sqlite://") else ""
    if path in ("", ":memory:") or path.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(path + suffix).expanduser().unlink(missing_ok=True)


def _script_lines(path: str | None) -> list[str] | None:
    """The console script: a file, else stdin when it is not a terminal, else None
    (interactive). A script that is not UTF-8 is refused before it plays, naming the line."""
    if path:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read the script {path}: {exc.strerror}") from None
    elif sys.stdin.isatty():
        return None
    else:
        data = sys.stdin.buffer.read()
    lines = []
    for number, raw in enumerate(data.splitlines(), 1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ConfigError(
                f"the script {path or '(stdin)'} is not UTF-8 at line {number}: save it as UTF-8"
            ) from None
    return lines


def demo_script(app: App) -> str:
    parts = [DEMO_CORE]
    for plugin in app.plugins.values():
        if plugin.demo:
            # A minute between sections: each starts with its members' command windows free
            # (the demo's alice would otherwise hit the per-member command rate limit).
            parts.append(f"# --- {plugin.name} ---\n:wait 1m\n{plugin.demo}")
    return "\n".join(parts)


async def _demo(config: Config) -> int:
    app, console = console_app(config, database_url="sqlite://:memory:")
    app.load_plugins()
    try:
        await app.start()
        for line in demo_script(app).splitlines():
            if line.strip():
                print(f"> {line}" if not line.startswith("#") else line)
            try:
                await console.run_line(line)
            except ScriptError as exc:
                print(f"! {exc}")
    finally:
        await app.stop()
    return 0


def _plugin_command(argv: list[str], plugins: dict[str, Plugin]) -> int | None:
    """``qunbot <plugin> <command> [args]`` for commands that plugins declare with ``@plugin.cli``."""
    words = list(argv)
    config_path = None
    if "--config" in words:
        at = words.index("--config")
        config_path = words[at + 1] if at + 1 < len(words) else None
        del words[at : at + 2]
    # The command's own options (e.g. ``points import FILE --guild ID``) pass through to it.
    if len(words) < 2 or words[0].startswith("-"):
        return None
    plugin = plugins.get(words[0])
    if plugin is None or words[1] not in plugin.cli_commands:
        return None
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        print(f"qunbot: {exc}", file=sys.stderr)
        return 2
    setup_logging(config.bot.log_level, config.secrets(), config.logging.personal_data)
    handler = plugin.cli_commands[words[1]]
    rest = words[2:]

    async def run() -> int:
        # The database is open and the plugin's services are built; no adapter is online.
        app = App(config)
        try:
            await app.open()
            return int(await handler(app.scope(plugin.name), rest) or 0)
        finally:
            await close_database()

    try:
        return asyncio.run(run())
    except (ConfigError, PluginError) as exc:
        # A plugin that config.toml does not enable has no scope: say so in one line.
        print(f"qunbot: {exc}", file=sys.stderr)
        return 2
