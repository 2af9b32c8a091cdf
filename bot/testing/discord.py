"""Run plugins on the real discord.py client, through the Discord adapter, against the local
:class:`~bot.testing.fake_discord.FakeDiscordServer`::

    from bot.testing.discord import ALICE, CHANNEL, GUILD, discord_bot, eventually

    async def test_hello():
        async with discord_bot(plugins=[my_plugin]) as (app, dc):
            await dc.user_says(CHANNEL, ALICE, "hello")
            reply = await eventually(lambda: dc.sent(CHANNEL))
            assert "hi" in reply[0].content

The fake server starts with one server (:data:`GUILD`) seeded by :func:`seed_guild`: an owner,
Alice (moderator), Bob (member), Carol (a role above the bot's), a "Regular" role the bot may
give, and two text channels. Pass ``seed=`` to build another world, ``server=`` to reuse a
server (a restart test), ``database_url=`` for a database that outlives one run.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, TypeVar

from bot.adapters.discord import DiscordAdapter
from bot.app import App
from bot.plugin import Plugin
from bot.testing.driver import build_config, choose_plugins
from bot.testing.fake_discord import FakeDiscordServer

__all__ = [
    "ALICE",
    "BOB",
    "BOT_ROLE",
    "CAROL",
    "CHANNEL",
    "GUILD",
    "HIGH_ROLE",
    "MOD_ROLE",
    "OTHER_CHANNEL",
    "OWNER",
    "REGULAR_ROLE",
    "discord_bot",
    "eventually",
    "seed_guild",
    "settle",
]

T = TypeVar("T")

GUILD = "1"
CHANNEL, OTHER_CHANNEL = "10", "11"
OWNER, ALICE, BOB, CAROL = "100", "101", "102", "103"
BOT_ROLE, MOD_ROLE, HIGH_ROLE, REGULAR_ROLE = "5", "6", "7", "8"

_KICK_MEMBERS = 1 << 1
_MANAGE_ROLES = 1 << 28
_MODERATE_MEMBERS = 1 << 40
BOT_PERMISSIONS = _KICK_MEMBERS | _MANAGE_ROLES | _MODERATE_MEMBERS
MOD_PERMISSIONS = _KICK_MEMBERS | _MODERATE_MEMBERS


def seed_guild(dc: FakeDiscordServer) -> None:
    """The default world: the bot's role (position 5: kick, timeout, manage roles, not admin)
    sits above Alice's moderator role and the Regular role, below Carol's."""
    dc.add_user(OWNER, "owner", global_name="Owner")
    dc.add_user(ALICE, "alice", global_name="Alice")
    dc.add_user(BOB, "bob", global_name="Bob")
    dc.add_user(CAROL, "carol", global_name="Carol")
    dc.add_guild(
        GUILD,
        "Test Guild",
        owner_id=OWNER,
        roles=[
            {"id": BOT_ROLE, "name": "qunbot", "position": 5, "permissions": BOT_PERMISSIONS},
            {"id": MOD_ROLE, "name": "Moderator", "position": 3, "permissions": MOD_PERMISSIONS},
            {"id": HIGH_ROLE, "name": "Elder", "position": 9, "permissions": 0},
            {"id": REGULAR_ROLE, "name": "Regular", "position": 1, "permissions": 0},
        ],
        channels=[{"id": CHANNEL, "name": "general"}, {"id": OTHER_CHANNEL, "name": "random"}],
    )
    dc.set_bot_roles(GUILD, [BOT_ROLE])
    dc.add_member(GUILD, ALICE, roles=[MOD_ROLE])
    dc.add_member(GUILD, BOB)
    dc.add_member(GUILD, CAROL, roles=[HIGH_ROLE])


@contextlib.asynccontextmanager
async def discord_bot(
    plugins: Sequence[str | Plugin] = (),
    config: dict[str, Any] | None = None,
    *,
    server: FakeDiscordServer | None = None,
    seed: Callable[[FakeDiscordServer], None] | None = seed_guild,
    database_url: str = "sqlite://:memory:",
    **adapter_options: Any,
) -> AsyncIterator[tuple[App, FakeDiscordServer]]:
    """A started App whose only adapter is Discord, connected to a fake server.

    ``plugins``: names of installed plugins or Plugin objects (their ``requires`` are added).
    ``config``: raw config; its ``[discord]`` section is merged over the fake's endpoints.
    ``adapter_options``: keyword arguments of :class:`DiscordAdapter` (defaults here: a fast
    ready, no pause before re-identifying)."""
    async with contextlib.AsyncExitStack() as stack:
        if server is None:
            server = await stack.enter_async_context(FakeDiscordServer())
            if seed is not None:
                seed(server)
        chosen = choose_plugins(plugins)
        endpoints = {"token": server.token, "api_base": server.api_base, "gateway_url": server.gateway_url}
        settings = build_config(config, chosen, discord=endpoints)
        options = {"guild_ready_timeout": 0.1, "identify_delay": 0.0, "ready_timeout": 10.0}
        adapter = DiscordAdapter(settings.discord, **{**options, **adapter_options})
        app = App(settings, adapters=[adapter], plugins=chosen, database_url=database_url)
        try:
            await app.start()
        except BaseException:
            await adapter.stop()
            await app.stop()
            raise
        try:
            yield app, server
        finally:
            await settle(app)
            await app.stop()


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


async def settle(app: App, grace: float = 0.05, within: float = 10.0) -> None:
    """Wait until the Discord adapter has handled everything the fake sent (for asserting
    that something did *not* happen): a short grace for frames in flight, then until no
    handler runs."""
    adapter = app.adapters.get("discord")
    await asyncio.sleep(grace)
    for _ in range(int(within / _POLL)):
        if not (isinstance(adapter, DiscordAdapter) and adapter.busy):
            return
        await asyncio.sleep(_POLL)
