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
from bot.app import App
from bot.clock import FakeClock
from bot.config import Config, ConfigError, load_config
from bot.logs import setup_logging
from bot.plugin import PluginError, discover_plugins
from bot.storage import close_database, is_postgres, make_migrations

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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qunbot", description="Self-hosted community bot.")
    parser.add_argument("--config", help="path to config.toml (default: $QUNBOT_CONFIG or ./config.toml)")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run the bot (the console when no token is configured)")
    run.add_argument("--script", help="console: play this script file instead of stdin")
    sub.add_parser("demo", help="play the built-in demo script on the console and print it")
    init = sub.add_parser("init", help="write config.toml from the documented example")
    init.add_argument("--force", action="store_true", help="overwrite an existing config.toml")
    sub.add_parser("check-config", help="validate the config without starting")
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("plugins", help="list installed plugins and whether they are enabled")
    mk = sub.add_parser("makemigrations", help="(developers) write migrations for model changes")
    mk.add_argument("apps", nargs="*")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    plugin_command = _plugin_command(argv)
    if plugin_command is not None:
        return plugin_command
    args = _parser().parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"qunbot: {exc}", file=sys.stderr)
        return 2
    setup_logging(config.bot.log_level, config.secrets())
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
    print(f"config OK ({config.source}); plugins: {names}")
    return 0


def _init(force: bool) -> int:
    target = Path("config.toml")
    if target.exists() and not force:
        print("config.toml exists; use --force to overwrite", file=sys.stderr)
        return 1
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
    await app.open()
    await close_database()
    print("database is up to date")
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
    """The console script: a file, else stdin when it is not a terminal, else None (interactive)."""
    if path:
        return Path(path).read_text(encoding="utf-8").splitlines()
    if sys.stdin.isatty():
        return None
    return sys.stdin.read().splitlines()


def demo_script(app: App) -> str:
    parts = [DEMO_CORE]
    for plugin in app.plugins.values():
        if plugin.demo:
            parts.append(f"# --- {plugin.name} ---\n{plugin.demo}")
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


def _plugin_command(argv: list[str]) -> int | None:
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
    plugins = discover_plugins()
    plugin = plugins.get(words[0])
    if plugin is None or words[1] not in plugin.load().cli_commands:
        return None
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        print(f"qunbot: {exc}", file=sys.stderr)
        return 2
    setup_logging(config.bot.log_level, config.secrets())
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
