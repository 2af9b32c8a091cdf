"""Plugin declarations and the async hook driver.

A plugin module builds one :class:`Plugin` and decorates its functions; nothing is bound at
import time. The core reads the declarations when it loads the plugin (``PluginHost``), so a
plugin can be imported by tests and tools without starting anything.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, TypeVar

import pluggy
from pydantic import BaseModel

from bot.commands import CommandSpec, args_from_handler
from bot.events import Event
from bot.markers import PROJECT
from bot.permissions import PermissionLevel

__all__ = [
    "ENTRY_POINT_GROUP",
    "CronSpec",
    "HookDriver",
    "Plugin",
    "PluginError",
    "discover_plugins",
]

ENTRY_POINT_GROUP = "qunbot.plugins"
log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
CatchUp = Literal["all", "latest", "none"]


class PluginError(Exception):
    """A plugin cannot be loaded (missing requirement, bad declaration, bad config)."""


@dataclass(frozen=True, slots=True)
class CronSpec:
    name: str
    # A cron expression, or a function of the plugin's config that returns one (a job whose
    # time is configured runs only then, instead of waking every few minutes to check).
    spec: str | Callable[[Any], str]
    handler: Callable[..., Awaitable[Any]]
    # Run once per group in that group's timezone; otherwise once, in the bot's timezone.
    per_guild: bool = True
    # Slots missed while the bot was down or the clock jumped: "all" runs each in order,
    # "latest" the newest one, "none" skips them.
    catch_up: CatchUp = "latest"


@dataclass(slots=True)
class Plugin:
    """The declarations of one plugin.

    :param name: unique name; also the Tortoise app label and the ``[plugins.<name>]`` section.
    :param config: a pydantic model (subclass ``bot.StrictModel``) for the plugin's section.
    :param requires: names of plugins whose services this one uses.
    :param optional: names of plugins whose services this one uses when they are enabled
        (``scope.service`` raises PluginError when one is not).
    :param models: dotted module path of the plugin's Tortoise models.
    :param migrations: dotted module path of its migrations package.
    :param locales: folder with ``zh.toml`` / ``en.toml``; default ``<package>/locales``.
    :param needs_content: the plugin reads ordinary message text (Discord's message-content
        intent, Telegram privacy mode off); it is disarmed where the platform withholds it.
    :param hookspecs: a module or class of extra hook specs other plugins may implement.
    :param demo: console script lines that show the plugin in ``qunbot demo``.
    :param parts: for a plugin that is a package, its modules that declare its parts
        (``("commands", "handlers", "jobs", "hooks")``); each imports ``plugin`` from the
        package and decorates. They are imported when the plugin is loaded, never as a side
        effect of importing the package.
    """

    name: str
    config: type[BaseModel] | None = None
    requires: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    models: str | None = None
    migrations: str | None = None
    locales: Path | None = None
    needs_content: bool = False
    hookspecs: Any = None
    description: str = ""
    demo: str = ""
    parts: tuple[str, ...] = ()
    commands: list[CommandSpec] = field(default_factory=list)
    handlers: list[tuple[tuple[type[Event], ...], Callable[..., Awaitable[Any]]]] = field(
        default_factory=list
    )
    crons: list[CronSpec] = field(default_factory=list)
    buttons: dict[str, Callable[..., Awaitable[Any]]] = field(default_factory=dict)
    services: dict[type, Callable[..., Any]] = field(default_factory=dict)
    hook_objects: list[Any] = field(default_factory=list)
    cli_commands: dict[str, Callable[..., Any]] = field(default_factory=dict)
    module: str = ""

    def __post_init__(self) -> None:
        self.requires = tuple(self.requires)
        self.optional = tuple(self.optional)
        self.parts = tuple(self.parts)
        # The module that created the plugin: its folder holds the locales by default.
        module = sys.modules.get(sys._getframe(2).f_globals.get("__name__", ""))
        self.module = module.__name__ if module else ""
        if self.locales is None and module is not None and getattr(module, "__file__", None):
            self.locales = Path(module.__file__).parent / "locales"

    def load(self) -> Plugin:
        """Import the modules named in ``parts`` (once), so every declaration is made."""
        for part in self.parts:
            importlib.import_module(f"{self.module}.{part}")
        return self

    # -- declarations --------------------------------------------------------------------------
    def command(
        self,
        name: str,
        *,
        description: str = "",
        level: PermissionLevel | str = PermissionLevel.MEMBER,
        right: str | None = None,
        guild_only: bool = False,
        private_only: bool = False,
        aliases: Iterable[str] = (),
        hidden: bool = False,
    ) -> Callable[[F], F]:
        """Declare a command; arguments come from the handler's signature (bot.commands)."""

        def decorator(handler: F) -> F:
            self.commands.append(
                CommandSpec(
                    name=name,
                    handler=handler,
                    plugin=self.name,
                    args=args_from_handler(handler),
                    description=description,
                    level=PermissionLevel.parse(level),
                    right=right,
                    guild_only=guild_only,
                    private_only=private_only,
                    aliases=tuple(aliases),
                    hidden=hidden,
                )
            )
            return handler

        return decorator

    def on(self, *event_types: type[Event]) -> Callable[[F], F]:
        """Handle events of these types: ``async def h(ctx, event)``."""
        if not event_types:
            raise TypeError("on() needs at least one event type")

        def decorator(handler: F) -> F:
            self.handlers.append((event_types, handler))
            return handler

        return decorator

    def cron(
        self, spec: str | Callable[[Any], str], *, name: str | None = None, per_guild: bool = True,
        catch_up: CatchUp = "latest",
    ) -> Callable[[F], F]:
        """A scheduled job: ``async def job(job: JobContext)``; cron ``spec`` in local time
        (or ``spec(config)`` giving it from the plugin's validated config).
        ``catch_up``: what to do with slots missed while the bot was down or the clock jumped
        (``all`` in order, the ``latest``, or ``none``)."""
        if catch_up not in ("all", "latest", "none"):
            raise ValueError(f"catch_up must be all, latest or none, not {catch_up!r}")

        def decorator(handler: F) -> F:
            job_name = f"{self.name}.{name or handler.__name__}"
            self.crons.append(CronSpec(job_name, spec, handler, per_guild, catch_up))
            return handler

        return decorator

    def button(self, action: str) -> Callable[[F], F]:
        """Handle presses of buttons with this action: ``async def h(ctx, payload)``."""

        def decorator(handler: F) -> F:
            self.buttons[action] = handler
            return handler

        return decorator

    def service(self, cls: type[T]) -> type[T]:
        """Offer ``cls`` to other plugins (``ctx.service(cls)``); built once as ``cls(scope)``
        with this plugin's scope. If it defines ``for_caller(scope)``, each caller gets what
        that returns for its own scope (so the service knows who asked)."""
        self.services[cls] = cls
        return cls

    def hooks(self, obj: Any) -> Any:
        """Register an object or module whose ``@hookimpl`` functions implement hooks."""
        self.hook_objects.append(obj)
        return obj

    def cli(self, name: str) -> Callable[[F], F]:
        """A maintenance command ``qunbot <plugin> <name>``: ``async def h(scope, args) -> int``
        (the database is open, no adapter is online)."""

        def decorator(handler: F) -> F:
            self.cli_commands[name] = handler
            return handler

        return decorator


def discover_plugins() -> dict[str, Plugin]:
    """Installed plugins by name, from the ``qunbot.plugins`` entry points."""
    found: dict[str, Plugin] = {}
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            plugin = entry.load()
        except Exception as exc:
            log.error("plugin entry point %s cannot be imported: %s", entry.name, exc)
            continue
        if not isinstance(plugin, Plugin):
            log.error("entry point %s does not point at a bot.Plugin", entry.name)
            continue
        found[plugin.name] = plugin
    return found


class HookDriver:
    """Calls pluggy hooks whose implementations may be coroutines, isolating failures.

    Implementations are registered as ``<plugin>:<name>``; one that takes a ``scope``
    argument receives its own plugin's scope (``scope_for(plugin)``).
    """

    def __init__(self, scope_for: Callable[[str], Any]) -> None:
        self.pm = pluggy.PluginManager(PROJECT)
        self._scope_for = scope_for

    def add_specs(self, specs: ModuleType | type) -> None:
        self.pm.add_hookspecs(specs)

    def register(self, obj: Any, name: str) -> None:
        self.pm.register(obj, name=name)

    async def call(self, hook: str, **kwargs: Any) -> list[Any]:
        results, _ = await self._run(hook, kwargs, firstresult=False)
        return results

    async def first(self, hook: str, **kwargs: Any) -> Any:
        results, _ = await self._run(hook, kwargs, firstresult=True)
        return results[0] if results else None

    async def call_in_transaction(self, hook: str, **kwargs: Any) -> None:
        """Every implementation, in a transaction: the first failure propagates (the caller
        rolls back), nothing is isolated."""
        await self._run(hook, kwargs, firstresult=False, isolate=False)

    async def _run(
        self, hook: str, kwargs: dict[str, Any], firstresult: bool, isolate: bool = True
    ) -> tuple[list[Any], int]:
        caller = getattr(self.pm.hook, hook, None)
        if caller is None:
            return [], 0
        results: list[Any] = []
        failures = 0
        # pluggy runs the implementations list from its end: tryfirst last in the list.
        for impl in reversed(caller.get_hookimpls()):
            try:
                args = {
                    name: self._scope_for(impl.plugin_name.partition(":")[0])
                    if name == "scope" and name not in kwargs
                    else kwargs[name]
                    for name in impl.argnames
                }
                result = impl.function(**args)
                if inspect.isawaitable(result):
                    result = await result
            except Exception:
                if not isolate:
                    raise
                failures += 1
                log.exception("plugin %s failed in hook %s", impl.plugin_name, hook)
                continue
            if result is not None:
                results.append(result)
                if firstresult:
                    break
        return results, failures
