"""Discord: gateway DISPATCH payloads (MESSAGE_CREATE, GUILD_MEMBER_ADD) -> discord.py's parser
(``ConnectionState.parsers``, what the gateway calls for each frame) -> the client's dispatch ->
the real Discord adapter (bot.adapters.discord) -> the core and every installed plugin -> the
database. And the same payloads through a bare discord.py Client whose ``on_message`` does
nothing.

Both clients log in and connect to the project's fake Discord server
(bot.testing.fake_discord), which sends READY and a GUILD_CREATE for each of the benchmark's
servers, so the parser finds guilds, channels and members cached as in production. Posting,
editing and deleting channel messages is then answered from memory
(:func:`~bench.stubs.discord_memory_http`); other REST calls (opening a DM) still go to the
fake server.

discord.py runs every event handler as a task of its own; there are no lanes. So:

- ``sequential``: one payload at a time, waiting for the handler task it started.
- ``tasks``: as discord.py runs in production: a batch of payloads parsed at once (a gateway
  burst), every handler a concurrent task; the next batch when those have finished.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any

from bench.common import core_counts, latency, memory
from bench.stubs import discord_memory_http
from bench.telegram_path import Dispatched, Feed, flush, throughput
from bench.workload import (
    START,
    Conversation,
    dc_channel_id,
    dc_guild_id,
    dc_owner_id,
    dc_role_id,
    dc_user_id,
)
from bot.app import keep_startup_objects

__all__ = ["run_bare", "run_qunbot"]

WAIT_LIMIT = 120.0
# Kick, manage roles, timeout, plus what the @everyone role of the fake grants (send, read).
BOT_PERMISSIONS = (1 << 1) | (1 << 28) | (1 << 40)


def _world(dc: Any, conv: Conversation) -> None:
    """The servers, their channel and members; a member who joins during the run is not a
    member of that server yet (discord.py ignores a join of a cached member)."""
    joining = {(line.member, line.group) for line in conv.lines if line.kind == "join"}
    dc.add_user(dc_owner_id(), "owner", global_name="Owner")
    for member in conv.members:
        name = (member.username or f"user{member.index}").lower()
        dc.add_user(dc_user_id(member.index), name, global_name=member.first_name)
    for group in range(conv.groups):
        guild = dc_guild_id(group)
        dc.add_guild(
            guild,
            f"Bench server {group}",
            owner_id=dc_owner_id(),
            roles=[
                {"id": dc_role_id(group), "name": "qunbot", "position": 5, "permissions": BOT_PERMISSIONS}
            ],
            channels=[{"id": dc_channel_id(group), "name": "general"}],
        )
        dc.set_bot_roles(guild, [dc_role_id(group)])
        for member in conv.members:
            if (member.index, group) not in joining:
                dc.add_member(guild, dc_user_id(member.index))


class _Tasks:
    """Collects the tasks discord.py's ``Client.dispatch`` starts (``_schedule_event``)."""

    def __init__(self, client: Any) -> None:
        self.pending: list[asyncio.Task[Any]] = []
        inner = client._schedule_event

        def schedule(*args: Any, **kwargs: Any) -> asyncio.Task[Any]:
            task = inner(*args, **kwargs)
            self.pending.append(task)
            return task

        client._schedule_event = schedule

    async def wait(self) -> None:
        for _ in range(1_000_000):  # bounded; a handler's own events (rare) add tasks
            if not self.pending:
                return
            pending, self.pending = self.pending, []
            if len(pending) == 1:
                await pending[0]
            else:
                await asyncio.gather(*pending)
        raise RuntimeError("discord handlers never settled")


def _parsers(client: Any) -> dict[str, Any]:
    return client._connection.parsers


def _at(name: str, data: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(data["timestamp"] if name == "MESSAGE_CREATE" else data["joined_at"])


async def _feed(
    parsers: dict[str, Any],
    tasks: _Tasks,
    payloads: list[tuple[str, dict[str, Any]]],
    feed: Feed,
    mode: str,
    batch: int,
    clock: Any | None,
) -> tuple[float, list[int], list[int]]:
    samples: list[int] = []
    batch_samples: list[int] = []
    feed.start()
    if mode == "sequential":
        for n, (name, data) in enumerate(payloads, 1):
            if clock is not None:
                clock.set(_at(name, data))
            t0 = time.perf_counter_ns()
            parsers[name](data)
            await tasks.wait()
            samples.append(time.perf_counter_ns() - t0)
            if not feed.step(n):
                break
    else:
        for start in range(0, len(payloads), batch):
            chunk = payloads[start : start + batch]
            if clock is not None:
                clock.set(_at(*chunk[-1]))
            t0 = time.perf_counter_ns()
            for name, data in chunk:
                parsers[name](data)
            async with asyncio.timeout(WAIT_LIMIT):
                await tasks.wait()
            batch_samples.append(time.perf_counter_ns() - t0)
            if not feed.step(start + len(chunk)):
                break
    return feed.finish(), samples, batch_samples


# -- bare discord.py -----------------------------------------------------------------------------


async def run_bare(
    conv: Conversation, payloads: list[tuple[str, dict[str, Any]]], feed: Feed
) -> dict[str, Any]:
    from bot.testing.discord import discord_client, make_client
    from bot.testing.fake_discord import FakeDiscordServer

    async with FakeDiscordServer() as dc:
        _world(dc, conv)
        client = make_client()

        async def nothing(*args: Any) -> None:
            return None

        client.on_message = nothing  # type: ignore[attr-defined]
        client.on_member_join = nothing  # type: ignore[attr-defined]
        started = time.perf_counter()
        async with discord_client(dc, client, ready_timeout=30.0):
            startup = time.perf_counter() - started
            keep_startup_objects()  # the same treatment as qunbot's run
            tasks = _Tasks(client)
            todo = payloads[: feed.count]
            elapsed, samples, _ = await _feed(_parsers(client), tasks, todo, feed, "sequential", 1, None)
    return {
        **feed.report(len(todo)),
        "seconds": round(elapsed, 3),
        "events_per_second": round(feed.done / elapsed),
        **latency(samples),
        "startup_s": round(startup, 4),
        **memory(),
    }


# -- qunbot --------------------------------------------------------------------------------------


def _build_app(dc: Any, clock: Any, database_url: str) -> tuple[Any, Any]:
    """As bot.testing.discord builds it, with a fake clock."""
    from bench.common import plugin_names
    from bot.adapters.discord import DiscordAdapter
    from bot.app import App
    from bot.testing.driver import build_config, choose_plugins

    chosen = choose_plugins(plugin_names())
    endpoints = {"token": dc.token, "api_base": dc.api_base, "gateway_url": dc.gateway_url}
    settings = build_config(None, chosen, discord=endpoints)
    adapter = DiscordAdapter(
        settings.discord, guild_ready_timeout=0.1, identify_delay=0.0, ready_timeout=30.0
    )
    app = App(settings, adapters=[adapter], clock=clock, plugins=chosen, database_url=database_url)
    return app, adapter


async def run_qunbot(
    conv: Conversation,
    payloads: list[tuple[str, dict[str, Any]]],
    database_url: str,
    feed: Feed,
    mode: str = "sequential",
    batch: int = 100,
    checks: bool = True,
) -> dict[str, Any]:
    from bot.clock import FakeClock
    from bot.testing.fake_discord import FakeDiscordServer

    clock = FakeClock(START)
    todo = payloads[: feed.count]
    result: dict[str, Any] = {"mode": mode}
    async with FakeDiscordServer() as dc:
        _world(dc, conv)
        app, adapter = _build_app(dc, clock, database_url)
        started = time.perf_counter()
        await app.start()
        result["startup_s"] = round(time.perf_counter() - started, 4)
        keep_startup_objects()  # as `qunbot run` does once the bot is up
        try:
            client = adapter.client
            me = client.user
            bot_user = {
                "id": str(me.id),
                "username": me.name,
                "global_name": None,
                "discriminator": "0",
                "avatar": None,
                "bot": True,
                "system": False,
                "public_flags": 0,
                "flags": 0,
            }
            try:
                calls = discord_memory_http(client, bot_user)
                result["outbound"] = "memory"
            except AttributeError:
                calls = None
                result["outbound"] = "fake server (HTTP)"
            tasks = _Tasks(client)
            dispatched = Dispatched(app, timed=mode != "sequential")
            elapsed, samples, batch_samples = await _feed(
                _parsers(client), tasks, todo, feed, mode, batch, clock
            )
            flush_began = time.perf_counter()
            await flush(app)
            elapsed += time.perf_counter() - flush_began
            result.update(
                throughput(feed, dispatched, len(todo), elapsed, mode, samples, batch_samples, batch)
            )
            if calls is not None:
                result["outbound_calls"] = dict(calls)
            if checks:
                result.update(await core_counts())
            result.update(memory())
        finally:
            stopping = time.perf_counter()
            await app.stop()
            result["stop_s"] = round(time.perf_counter() - stopping, 4)
    return result
