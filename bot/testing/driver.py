"""ChatDriver: tests that read like a chat, on the console adapter with a fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from bot.adapters.console import ConsoleAdapter, Output
from bot.app import App
from bot.clock import FakeClock
from bot.config import Config
from bot.plugin import Plugin, discover_plugins

__all__ = ["ChatDriver", "build_config", "choose_plugins", "eventually", "make_app"]

DEFAULT_START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Asia/Shanghai, a Monday
T = TypeVar("T")


def choose_plugins(plugins: Sequence[str | Plugin]) -> dict[str, Plugin]:
    """Plugins by name (installed through the entry point) or as Plugin objects (a plugin under
    test that is not installed), with the plugins they require."""
    installed = discover_plugins()
    chosen: dict[str, Plugin] = {}
    for item in plugins:
        plugin = item if isinstance(item, Plugin) else installed.get(item)
        if plugin is None:
            raise LookupError(f"no installed plugin named {item!r}")
        chosen[plugin.name] = plugin
    pending = list(chosen.values())
    while pending:
        for name in pending.pop().requires:
            if name not in chosen:
                if name not in installed:
                    raise LookupError(f"no installed plugin named {name!r} (required)")
                chosen[name] = installed[name]
                pending.append(chosen[name])
    return chosen


def build_config(raw: dict[str, Any] | None, chosen: dict[str, Plugin], **sections: dict[str, Any]) -> Config:
    """A Config from a test's raw dict: exactly the chosen plugins enabled, and ``sections``
    (a platform's endpoints) under whatever the test set in the same section."""
    data = dict(raw or {})
    data["plugins"] = {**data.get("plugins", {}), "enabled": sorted(chosen)}
    for name, defaults in sections.items():
        data[name] = {**defaults, **data.get(name, {})}
    return Config.model_validate(data)


def make_app(
    plugins: Sequence[str | Plugin] = (),
    config: dict[str, Any] | None = None,
    *,
    database_url: str = "sqlite://:memory:",
    start: datetime = DEFAULT_START,
    group: str = "lobby",
) -> tuple[App, ConsoleAdapter]:
    """An App on the console adapter with a fake clock."""
    chosen = choose_plugins(plugins)
    clock = FakeClock(start)
    console = ConsoleAdapter(clock, group=group, echo=None)
    app = App(
        build_config(config, chosen), adapters=[console], clock=clock, plugins=chosen,
        database_url=database_url,
    )
    return app, console


class ChatDriver:
    """Drive the console like a member would::

        out = await fake.say("alice: /checkin")
        assert "#1" in out[0]
    """

    def __init__(self, app: App, console: ConsoleAdapter) -> None:
        self.app = app
        self.console = console

    @property
    def clock(self) -> FakeClock:
        return self.console.clock

    @property
    def outputs(self) -> list[Output]:
        return self.console.outputs

    @property
    def kicked(self) -> list[tuple[str, str]]:
        return self.console.kicked

    @property
    def group(self) -> str:
        return self.console.current

    async def say(self, *lines: str) -> list[str]:
        """Play script lines; returns the texts the bot sent in response, in order."""
        return [o.text for o in await self.play(lines)]

    async def play(self, lines: Iterable[str]) -> list[Output]:
        out: list[Output] = []
        for block in lines:
            for line in block.splitlines():
                out.extend(await self.console.run_line(line))
        return out

    async def message(self, user: str, text: str) -> list[str]:
        return await self.say(f"{user}: {text}")

    async def command(self, user: str, text: str) -> list[str]:
        return await self.say(f"{user}: {text if text.startswith('/') else '/' + text}")

    async def dm(self, user: str, text: str) -> list[str]:
        return await self.say(f"{user}@dm: {text}")

    async def join(self, user: str) -> list[str]:
        return await self.say(f"+{user}")

    async def leave(self, user: str) -> list[str]:
        return await self.say(f"-{user}")

    async def click(self, user: str, label: str) -> list[str]:
        return await self.say(f"{user} click {label}")

    async def wait(self, delta: timedelta | str) -> list[Output]:
        before = len(self.outputs)
        if isinstance(delta, str):
            await self.console.run_line(f":wait {delta}")
        else:
            await self.clock.advance(delta)
        return self.outputs[before:]

    def admin(self, user: str, group: str | None = None) -> None:
        self.console._group(group or self.group).admins.add(user)

    def replies(self, channel: str | None = None) -> list[Output]:
        return [o for o in self.outputs if channel is None or o.channel == channel]

    async def run_job(self, name: str, group: str | None = None) -> list[Output]:
        before = len(self.outputs)
        await self.app.run_job(name, "console", group)
        return self.outputs[before:]


_POLL = 0.01


async def eventually(probe: Callable[[], T], within: float = 5.0) -> T:
    """Poll ``probe`` until it returns something truthy (the bot answers asynchronously);
    returns that value, or fails the test after ``within`` seconds."""
    for _ in range(max(1, int(within / _POLL))):
        value = probe()
        if value:
            return value
        await asyncio.sleep(_POLL)
    value = probe()
    if not value:
        raise AssertionError(f"not true within {within} s: {probe}")
    return value
