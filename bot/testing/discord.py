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

The real client finds the fake through the adapter's config (``api_base``, ``gateway_url``);
:func:`discord_client` connects a bare discord.py client the same way, for tests of the fake and
of conversions, and :func:`expect` awaits what such a client dispatches.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import discord

from bot.adapters.discord import DiscordAdapter
from bot.adapters.discord.client import endpoints
from bot.app import App
from bot.config import DiscordSection
from bot.plugin import Plugin
from bot.testing.driver import build_config, choose_plugins, eventually
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
    "discord_client",
    "eventually",
    "expect",
    "make_client",
    "seed_guild",
    "settle",
]

# The fake server each running test bot talks to (``settle`` syncs with its gateway).
_servers: weakref.WeakKeyDictionary[App, FakeDiscordServer] = weakref.WeakKeyDictionary()

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
        # The real client finds the fake through the adapter's config, as it would a proxy.
        fake = {"token": server.token, "api_base": server.api_base, "gateway_url": server.gateway_url}
        settings = build_config(config, chosen, discord=fake)
        options = {"guild_ready_timeout": 0.1, "identify_delay": 0.0, "ready_timeout": 10.0}
        adapter = DiscordAdapter(settings.discord, **{**options, **adapter_options})
        app = App(settings, adapters=[adapter], plugins=chosen, database_url=database_url)
        _servers[app] = server
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


async def settle(app: App, within: float = 10.0) -> None:
    """Wait until the bot has handled everything the fake sent so far (to assert that
    something did *not* happen): the fake's gateway confirms the client read every event
    (:meth:`FakeDiscordServer.sync`), then every handler discord.py started has finished,
    and again until handling caused nothing new."""
    server = _servers.get(app)
    async with asyncio.timeout(within):
        while True:
            if server is not None and server.connected:
                await server.sync(within)
            running = _event_tasks()
            if not running:
                return
            await asyncio.wait(running)


def _event_tasks() -> set[asyncio.Task[Any]]:
    """The handlers discord.py is running: it starts each event's as a task of this name."""
    current = asyncio.current_task()
    return {
        task
        for task in asyncio.all_tasks()
        if task is not current and not task.done() and task.get_name().startswith("discord.py: ")
    }


# -- a bare discord.py client (tests of the fake itself and of conversions) -------------------


def make_client(**options: Any) -> discord.Client:
    """A ``discord.Client`` with the intents qunbot asks for (default plus members and
    message content) and a short ``guild_ready_timeout`` (discord.py otherwise waits 2 s for
    more guilds before ``on_ready``)."""
    if "intents" not in options:
        intents = discord.Intents.default()
        intents.members = True
        intents.message_content = True
        options["intents"] = intents
    options.setdefault("guild_ready_timeout", 0.1)
    return discord.Client(**options)


@contextlib.asynccontextmanager
async def discord_client(
    server: FakeDiscordServer,
    client: discord.Client | None = None,
    *,
    token: str | None = None,
    ready_timeout: float = 5.0,
) -> AsyncIterator[discord.Client]:
    """``client`` (default :func:`make_client`) logged in to ``server`` and ready; closed on
    exit. It finds the fake as the adapter does, through a ``[discord]`` section's
    ``api_base`` and ``gateway_url``. A connect failure (``PrivilegedIntentsRequired``, a
    refused token) is raised here, not turned into a timeout."""
    config = DiscordSection(
        token=token or server.token, api_base=server.api_base, gateway_url=server.gateway_url
    )
    client = client or make_client()
    with endpoints(config.api_base, config.gateway_url):
        connector: asyncio.Task[None] | None = None
        ready: asyncio.Future[Any] | None = None
        try:
            await client.login(config.token)
            # discord.py binds client.loop in login: the ready waiter can only come after it.
            ready = asyncio.ensure_future(client.wait_for("ready"))
            connector = asyncio.create_task(client.connect())
            done, _ = await asyncio.wait(
                {ready, connector}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if connector in done:
                connector.result()  # raises the connect error
                raise RuntimeError("discord client stopped before it was ready")
            if not done:
                raise TimeoutError("discord client was not ready in time")
            yield client
        finally:
            if ready is not None:
                ready.cancel()
            await client.close()
            if connector is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await asyncio.wait_for(connector, ready_timeout)


async def expect(
    client: discord.Client,
    event: str,
    trigger: Awaitable[Any],
    check: Callable[..., bool] | None = None,
    within: float = 5.0,
) -> Any:
    """Await ``trigger`` and return what ``client`` then dispatched as ``event`` (the
    ``client.wait_for`` result). The waiter is registered first, so a fast event is not
    missed; the wait is bounded by ``within`` seconds."""
    waiter = asyncio.ensure_future(client.wait_for(event, check=check, timeout=within))
    await asyncio.sleep(0)  # let wait_for register its listener
    try:
        await trigger
    except BaseException:
        waiter.cancel()
        raise
    return await waiter
