"""Keyword replies on the console: contains, exact, RE2 patterns, normalisation, cooldown,
admins only, per group; zh and en."""

import pytest

from bot.testing.telegram import GROUP, OWNER, telegram_bot
from plugins.autoreply import plugin
from plugins.autoreply.matching import normalise

CONFIG = {"bot": {"locale": "en"}, "plugins": {"autoreply": {"cooldown_seconds": 60}}}
ANN = 42

pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(CONFIG)]


async def start(fake):
    await fake.say(":locale en", "alice: hi")
    fake.admin("alice")


async def test_contains_reply_and_cooldown(fake):
    await start(fake)
    [added] = await fake.say("alice: /autoreply add refund Write to support, we answer within a day.")
    assert added.startswith("Keyword reply #1 saved (contains: refund)")
    assert await fake.say("bob: how do I get a REFUND?") == ["Write to support, we answer within a day."]
    assert await fake.say("carol: refund please") == []  # cooldown: the group is not flooded
    await fake.wait("61s")
    assert await fake.say("carol: refund please") == ["Write to support, we answer within a day."]
    assert await fake.say("bob: hello") == []


async def test_full_width_and_chinese(fake):
    await start(fake)
    await fake.say("alice: /autoreply add 退款 退款请私信客服。")
    assert await fake.say("bob: 请问怎么退款？") == ["退款请私信客服。"]
    await fake.say('alice: /autoreply exact "ｗｉｆｉ" The password is on the wall.')
    assert await fake.say("bob: wifi") == ["The password is on the wall."]
    assert await fake.say("bob: the wifi is down") == []
    assert normalise("ＨＥＬＬＯ　 World") == "hello world"


async def test_re2_pattern_and_a_bad_one(fake):
    await start(fake)
    [added] = await fake.say(r"alice: /autoreply regex ^(price|价格)\s*\d+$ See the price list.")
    assert "(pattern: ^(price|价格)\\s*\\d+$)" in added
    assert await fake.say("bob: 价格 12") == ["See the price list."]
    [bad] = await fake.say("alice: /autoreply regex (a Oops")
    assert bad.startswith("That is not a pattern RE2 understands: missing )")
    # What backtracking engines choke on is linear on RE2.
    await fake.say("alice: /autoreply regex (x+x+)+y Found.")
    assert await fake.say("bob: " + "x" * 5000) == []


async def test_admins_only_list_remove_and_per_group(fake):
    await start(fake)
    out = await fake.say("bob: /autoreply add hi hello")
    assert "Keyword reply" not in out[0]
    await fake.say("alice: /autoreply add hours We open at 9.")
    [listing] = await fake.say("bob: /autoreply list")
    assert listing == "Keyword replies: 1\n#1 [contains] hours → We open at 9."
    await fake.say(":group other", "dan: hours?")
    assert [o.text for o in fake.outputs if o.channel == "other"] == []
    await fake.say(":group lobby")
    [dup] = await fake.say("alice: /autoreply add hours Again")
    assert dup.startswith("“hours” already has a reply here")
    assert await fake.say("alice: /autoreply remove 1") == ["Keyword reply #1 removed."]
    assert await fake.say("bob: hours?") == []


async def test_zh(fake):
    await fake.say("alice: 你好")
    fake.admin("alice")
    [added] = await fake.say("alice: /关键词 添加 报名 报名请填表。")
    assert added.startswith("关键词回复 #1 已保存（包含：报名）")
    assert await fake.say("bob: 怎么报名") == ["报名请填表。"]
    [listing] = await fake.say("bob: /关键词 列表")
    assert "#1 [包含] 报名 → 报名请填表。" in listing


class TestOnPostgres:
    @pytest.fixture
    def bot_database_url(self, pg_url):
        return pg_url

    async def test_rules_on_postgres(self, fake):
        await test_admins_only_list_remove_and_per_group(fake)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") * 2 + b"rest"


async def test_an_answer_saved_by_reply_is_a_copy_of_that_message_on_telegram():
    async with telegram_bot(plugins=[plugin], config=CONFIG) as bot:
        bot.tg.add_user(ANN, "Ann", "ann")
        bold = [{"type": "bold", "offset": 0, "length": 9}]
        timetable = bot.tg.user_says(GROUP, OWNER, "Timetable for March", entities=bold, photo=PNG)
        await bot.settle()
        [saved] = await bot.say(
            OWNER, "/autoreply add timetable", reply_to=timetable["message"]["message_id"]
        )
        assert saved["visible_text"].startswith("Keyword reply #1 saved (contains: timetable)")
        question = bot.tg.user_says(GROUP, ANN, "where is the TIMETABLE?")
        await bot.settle()
        [answer] = bot.tg.sent(GROUP)[-1:]
        assert answer["method"] == "copyMessage" and answer["photo"] == PNG
        assert answer["visible_text"] == "Timetable for March" and answer["entities"] == bold
        assert answer["reply_to_message_id"] == question["message"]["message_id"]
        [listing] = await bot.say(ANN, "/autoreply list")
        assert "#1 [contains] timetable → 📎 Timetable for March [photo]" in listing["visible_text"]
        # The original deleted: its text is the answer.
        await bot.adapter.delete(str(GROUP), str(timetable["message"]["message_id"]))
        await bot.clock.advance(61)
        [answer] = await bot.say(ANN, "timetable please")
        assert answer["method"] == "sendMessage"
        assert answer["visible_text"] == "Timetable for March\n[photo]"
        # The bot's own messages never reach it: nothing to copy.
        [unseen] = await bot.say(OWNER, "/autoreply add again", reply_to=answer["message_id"])
        assert "I did not see that message" in unseen["visible_text"]
