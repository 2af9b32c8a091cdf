"""kill -9 at any point loses nothing that was confirmed to Telegram: a bot process (``qunbot
run``, the real PTB client against the fake Bot API) is killed at random moments while it
handles a burst of messages and check-ins, started again each time, and when Telegram has had
every update confirmed the database holds exactly what a run without kills holds."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.testing.driver import eventually
from bot.testing.fake_telegram import FakeTelegramServer
from bot.testing.telegram import TOKEN

GROUPS = (-1001000000001, -1001000000002, -1001000000003)
MEMBERS = range(1000, 1012)
START = int(datetime(2026, 3, 2, 1, 0, tzinfo=UTC).timestamp())  # 09:00 in Shanghai
ROOT = Path(__file__).resolve().parents[3]


def workload() -> list[tuple[int, int, str]]:
    """(chat, member, text): every member checks in once per group and chats around it."""
    rng = random.Random(7)
    items = [
        (chat, member, text)
        for chat in GROUPS
        for member in MEMBERS
        for text in ("/checkin", "hello there, how is everyone", "a longer message to earn xp")
    ]
    rng.shuffle(items)
    return items


def write_config(tmp: Path, tg: FakeTelegramServer, name: str) -> Path:
    path = tmp / f"{name}.toml"
    path.write_text(
        f'[bot]\nlocale = "en"\ntimezone = "Asia/Shanghai"\n'
        f'[database]\nurl = "sqlite://{tmp}/{name}.sqlite3"\n'
        f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "{tg.base_url}"\npoll_timeout = 1\n'
        f'[plugins]\nenabled = ["points", "checkin"]\n'
        # Whole awards, the same in every run (the amount is otherwise random).
        f'[plugins.points]\nxp_min = 20\nxp_max = 20\ncooldown_seconds = 30\n'
    )
    return path


async def start_bot(config: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run",
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )


async def play(tmp: Path, name: str, kills: list[float]) -> tuple[dict[str, Counter], Counter]:
    """The workload against a bot killed after each of ``kills`` seconds (and started again);
    returns the database's state once every update is confirmed, and the replies sent."""
    async with FakeTelegramServer(TOKEN, "qunbot_test", privacy_mode=False) as tg:
        for chat in GROUPS:
            tg.add_chat(chat, f"Group {chat}")
        for member in MEMBERS:
            tg.add_user(member, f"Member {member}", f"m{member}")
        for n, (chat, member, text) in enumerate(workload()):
            tg.user_says(chat, member, text, date=START + n)
        config = write_config(tmp, tg, name)
        for delay in kills:
            bot = await start_bot(config)
            await asyncio.sleep(delay)
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
        bot = await start_bot(config)
        try:
            # Telegram has handed out every update and had each confirmed.
            await eventually(lambda: not (tg.undelivered() or tg.pending()), 60)
        finally:
            await stop(bot)
        # Replies still waiting for Telegram's flood limit (20 a minute in a group) when the
        # bot stopped are in its durable outbox, which the next start sends.
        database = tmp / f"{name}.sqlite3"
        if waiting_replies(database):
            bot = await start_bot(config)
            try:
                await eventually(lambda: not waiting_replies(database), 60)
            finally:
                await stop(bot)
        replies = Counter(
            (s["chat_id"], s["reply_to_message_id"]) for s in tg.sent() if s.get("reply_to_message_id")
        )
    return read_state(database), replies


async def stop(bot: asyncio.subprocess.Process) -> None:
    bot.send_signal(signal.SIGTERM)
    await asyncio.wait_for(bot.wait(), 30)


def waiting_replies(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM core_outbox").fetchone()[0]


def read_state(path: Path) -> dict[str, Counter]:
    """What the members' data is, with each group named by its Telegram id (not its key)."""
    queries = {
        "checkins": "SELECT g.guild_id, d.user_id, d.day, d.reward FROM checkin_day d"
        " JOIN core_guild g ON g.group_key = d.guild_id",
        "ledger": "SELECT user_id, amount, xp, kind, reason FROM points_ledger",
        "balances": "SELECT user_id, balance, lifetime_xp FROM points_balance",
        "roster": "SELECT g.guild_id, m.user_id, m.message_count FROM core_member m"
        " JOIN core_guild g ON g.group_key = m.guild_id",
    }
    with sqlite3.connect(path) as db:
        return {name: Counter(db.execute(sql).fetchall()) for name, sql in queries.items()}


async def test_kill_9_at_random_points_loses_nothing_confirmed(tmp_path):
    reference, told = await play(tmp_path, "reference", [])
    assert sum(reference["checkins"].values()) == len(GROUPS) * len(MEMBERS)
    assert {count for (_, _, count) in reference["roster"]} == {3}
    rng = random.Random(11)
    killed, told_killed = await play(tmp_path, "killed", [rng.uniform(1.5, 4.0) for _ in range(4)])
    for name, rows in reference.items():
        assert killed[name] == rows, name
    # Every check-in was answered (an update handled again after a kill may be answered twice).
    assert set(told) - set(told_killed) == set()
