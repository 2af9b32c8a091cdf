"""An HQ broadcast to 1,000 Telegram groups: how long from the Confirm press until the last
group has its copy, next to the floor Telegram's flood limit sets (30 messages a second
overall: 1,000 / 30 = 33.3 s). The real Telegram adapter (python-telegram-bot) talks over HTTP
to the project's fake Bot API with Telegram's flood limits enforced (``FloodLimits``), on SQLite
(a WAL file). The plugin paces at ``rate_per_second = 29.5``, a hair under Telegram's limit
so that the adapter's own window (30 in any second) seldom holds a copy back and travel time
does not bunch copies into a 429 (the plugin's default, 10 a second, leaves room for what the
bot says meanwhile and takes 100 s by construction). Reports the finish time, how far above
the floor it is, the 429 answers (none expected) and whether every group got exactly one copy.

``python -m bench.broadcast`` on its own (``--json`` for the figures, ``--groups N``), or as part
of ``make bench``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import run_module
from bot.clock import FakeClock
from bot.testing.driver import DEFAULT_START
from bot.testing.fake_telegram import FakeTelegramServer, FloodLimits
from bot.testing.telegram import GROUP, OWNER, TOKEN, TelegramBot, telegram_app
from plugins.broadcast import Broadcasts
from plugins.broadcast import plugin as broadcast

__all__ = ["measure", "run"]

GROUPS = 1_000
OVERALL_PER_SECOND = 30
RATE = 29.5
MEMBER = 42
TEXT = "Exam on Monday at 9: bring your ID"
CONFIG = {
    "bot": {"owners": [f"telegram:{OWNER}"], "locale": "en"},
    "plugins": {"broadcast": {"rate_per_second": RATE, "group_gap_seconds": 0}},
}


async def measure(groups: int = GROUPS) -> dict[str, Any]:
    chats = [-1005000000000 - n for n in range(groups)]
    clock = FakeClock(DEFAULT_START)
    copies: list[float] = []

    def on_send(record: dict[str, Any]) -> None:
        if record["chat_id"] != GROUP and record["visible_text"] == TEXT:
            copies.append(time.monotonic())

    with tempfile.TemporaryDirectory(prefix="qunbot-bench-broadcast-") as folder:
        async with FakeTelegramServer(TOKEN, "qunbot_test", privacy_mode=False, now=clock.now) as tg:
            tg.add_chat(GROUP, "HQ")
            tg.add_user(OWNER, "Olga", "olga")
            tg.set_member(GROUP, OWNER, "creator")
            tg.add_user(MEMBER, "Ann", "ann")
            url = f"sqlite://{Path(folder) / 'bench.sqlite3'}"
            bot = TelegramBot(telegram_app(tg, [broadcast], CONFIG, clock=clock, database_url=url), tg, clock)
            await bot.app.start()
            try:
                for n, chat in enumerate(chats):
                    tg.add_chat(chat, f"Class {n}")
                    tg.user_says(chat, MEMBER, "hi")
                await bot.settle(limit=600)
                await bot.say(OWNER, "/hq set")
                [preview] = await bot.say(OWNER, f"/broadcast {TEXT}")
                tg.flood_limits = FloodLimits()
                tg.on_send = on_send
                began = time.monotonic()
                await bot.click(OWNER, preview, "Confirm")
                await bot.app.scope("broadcast").service(Broadcasts).run()
                reported = time.monotonic() - began
                per_group = Counter(m["chat_id"] for m in tg.sent() if m["visible_text"] == TEXT)
                refusals = len(tg.flood_refusals)
            finally:
                await bot.app.stop()
    floor = groups / OVERALL_PER_SECOND
    finish = (copies[-1] - began) if copies else float("nan")
    return {
        "groups": groups,
        "floor_s": round(floor, 2),
        "finish_s": round(finish, 2),
        "over_floor_pct": round((finish / floor - 1) * 100, 1),
        "reported_s": round(reported, 2),
        "copies_per_second": round(len(copies) / finish, 1) if copies else 0.0,
        "flood_429": refusals,
        "exactly_once": len(copies) == groups and sorted(per_group) == sorted(chats)
        and set(per_group.values()) == {1},
    }


def _line(figures: dict[str, Any]) -> str:
    return (
        f"  broadcast-telegram: {figures['groups']} groups in {figures['finish_s']} s "
        f"(floor {figures['floor_s']} s at {OVERALL_PER_SECOND}/s: +{figures['over_floor_pct']} %; "
        f"paced at {RATE}/s), "
        f"{figures['copies_per_second']} copies/s, summary at {figures['reported_s']} s, "
        f"{figures['flood_429']} × 429{'' if figures['exactly_once'] else '  NOT EXACTLY ONCE'}"
    )


def run() -> dict[str, Any]:
    """For ``python -m bench``: the measurement in a process of its own, its line printed; the
    figures (empty when it failed)."""
    ran = run_module("broadcast")
    if ran is None:
        return {}
    figures, status = ran
    print(_line(figures))
    # A copy missing or doubled is a failure of the run, not a figure.
    return figures if status == 0 else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.broadcast", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=GROUPS)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    args = parser.parse_args(argv)
    figures = asyncio.run(measure(args.groups))
    print(json.dumps(figures) if args.json else _line(figures))
    return 0 if figures["exactly_once"] else 1


if __name__ == "__main__":
    sys.exit(main())
