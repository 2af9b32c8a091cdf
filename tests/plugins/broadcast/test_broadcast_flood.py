"""Telegram's flood limits: the fake server answers 429 where Telegram would (20 messages a
minute in a group, 30 a second overall), and a broadcast to 300 groups through the real
Telegram client gets no 429 at all: every group gets its copy once, paced under the limits,
the leaders' confirmations are tallied and the recall deletes every copy."""

import time

import aiohttp

from bot.testing.fake_telegram import FakeTelegramServer, FloodLimits
from bot.testing.telegram import OWNER, telegram_bot
from plugins.broadcast import Broadcasts, plugin
from plugins.broadcast.models import RECALLED, Delivery

GROUPS = 300
CHATS = [-1004000000000 - n for n in range(GROUPS)]
ANN, LEADER = 42, 43
FAST = {"rate_per_second": 1000, "group_gap_seconds": 0, "progress_every_seconds": 2}
# The owner runs more commands in a minute than a member may.
CONFIG = {"bot": {"owners": [f"telegram:{OWNER}"], "locale": "en", "command_rate": 100},
          "plugins": {"broadcast": FAST}}


def copies(tg, chat):
    return [m for m in tg.sent(chat) if m["visible_text"].startswith("Exam")]


async def test_the_fake_refuses_more_than_20_a_minute_in_a_group_or_30_a_second_overall():
    async with FakeTelegramServer(flood_limits=FloodLimits()) as tg, aiohttp.ClientSession() as http:
        for chat in CHATS[:40]:
            tg.add_chat(chat, "G")

        async def send(chat):
            url = f"{tg.base_url}{tg.token}/sendMessage"
            async with http.post(url, data={"chat_id": chat, "text": "x"}) as answer:
                return answer.status, await answer.json()

        answers = [await send(CHATS[0]) for _ in range(21)]
        assert [status for status, _ in answers[:20]] == [200] * 20
        status, body = answers[20]
        assert status == 429 and 1 <= body["parameters"]["retry_after"] <= 60
        # 20 went out within this second already: ten more groups are fine, the 31st is not.
        answers = [await send(chat) for chat in CHATS[1:12]]
        assert [status for status, _ in answers] == [200] * 10 + [429]
        assert [r["chat_id"] for r in tg.flood_refusals] == [CHATS[0], CHATS[11]]


async def test_a_broadcast_to_300_groups_gets_no_429_and_every_group_one_copy():
    async with telegram_bot(plugins=[plugin], config=CONFIG) as bot:
        tg = bot.tg
        tg.add_user(ANN, "Ann", "ann")
        tg.add_user(LEADER, "Lee", "lee")
        for n, chat in enumerate(CHATS):
            tg.add_chat(chat, f"Class {n}")
            tg.set_member(chat, OWNER, "creator")
            tg.user_says(chat, ANN, "hi")
        await bot.settle(limit=60)
        for chat in CHATS[:3]:
            tg.set_member(chat, LEADER, "member")
            await bot.say(LEADER, "hello", chat_id=chat)
            [answer] = await bot.say(OWNER, "/groups leader @lee", chat_id=chat)
            assert answer["visible_text"].startswith("Lee is now this group's leader")
        await bot.say(OWNER, "/hq set")
        tg.flood_limits = FloodLimits()
        [preview] = await bot.say(OWNER, "/broadcast Exam on Monday at 9")
        assert f"to {GROUPS} groups" in preview["visible_text"]
        began = time.monotonic()
        await bot.click(OWNER, preview, "Confirm")
        await bot.app.scope("broadcast").service(Broadcasts).run()
        took = time.monotonic() - began
        assert tg.flood_refusals == []
        for chat in CHATS:
            assert [m["visible_text"] for m in copies(tg, chat)] == ["Exam on Monday at 9"], chat
        # 30 a second at most: the adapter paced the 300 copies over at least nine seconds.
        assert took >= (GROUPS - 30) / 30
        for chat in CHATS[:2]:
            [copy] = copies(tg, chat)
            assert (await bot.click(LEADER, copy, "✅ Received"))["text"].startswith("Thanks")
        [status] = await bot.say(OWNER, "/broadcast status 1")
        assert tg.flood_refusals == []
        assert f"sent {GROUPS}/{GROUPS} · failed 0 · unknown 0 · waiting 0" in status["visible_text"]
        assert "Leaders confirmed: 2/3" in status["visible_text"]
        assert "Not confirmed yet: Class 2（Lee）" in status["visible_text"]

        await bot.say(OWNER, "/broadcast recall 1")
        await bot.app.scope("broadcast").service(Broadcasts).run()
        assert all(copy["deleted"] for chat in CHATS for copy in copies(tg, chat))
        assert await Delivery.filter(status=RECALLED).count() == GROUPS
        assert tg.flood_refusals == []
