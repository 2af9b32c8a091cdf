"""A bot process for the restart tests: on a database and a fake Telegram or Discord server, it
drains the broadcast queue, and the test kills it (SIGKILL) in the middle of a send.

``python broadcast_child.py SPEC`` (SPEC: JSON with platform, database, endpoints, config and
the fake clock's ``now``). :func:`build` makes the same bot in the test's own process."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime
from typing import Any

from bot.adapters.discord import DiscordAdapter
from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram.limits import OutboundLimiter
from bot.app import App
from bot.clock import FakeClock
from bot.testing.driver import build_config, choose_plugins
from plugins.broadcast import Broadcasts, plugin


def build(spec: dict[str, Any]) -> App:
    chosen = choose_plugins([plugin])
    clock = FakeClock(datetime.fromisoformat(spec["now"]))
    if spec["platform"] == "telegram":
        settings = build_config(spec["config"], chosen, telegram=spec["endpoints"])
        # Faster than Telegram's 30 a second, so the test takes seconds: not what it checks.
        adapter: Any = TelegramAdapter(settings.telegram, limiter=OutboundLimiter(overall=1000))
    else:
        settings = build_config(spec["config"], chosen, discord=spec["endpoints"])
        adapter = DiscordAdapter(
            settings.discord, guild_ready_timeout=0.1, identify_delay=0.0, ready_timeout=30.0
        )
    return App(settings, adapters=[adapter], clock=clock, plugins=chosen,
               database_url=spec["database"])


async def main(spec: dict[str, Any]) -> None:
    app = build(spec)
    await app.start()
    await app.scope("broadcast").service(Broadcasts).run()
    await app.stop()


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
