"""Keyword replies for every group (bot owners), notes members call with #name, and matching
across traditional and simplified Chinese; on the console, Telegram (notes by reply) and
Discord (the owner's slash command)."""

import pytest

from bot.testing.discord import ALICE, BOB, CHANNEL, GUILD, OWNER, discord_bot, eventually, seed_guild, settle
from bot.testing.fake_discord import option, subcommand
from bot.testing.telegram import GROUP, telegram_bot
from bot.testing.telegram import OWNER as TG_OWNER
from plugins.autoreply import plugin
from plugins.autoreply.models import Note

CONFIG = {"bot": {"locale": "en", "owners": ["console:boss"]},
          "plugins": {"autoreply": {"cooldown_seconds": 60, "note_cooldown_seconds": 10}}}
ANN, NEWCOMER = 42, 43
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") * 2 + b"rest"

pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(CONFIG)]


def said_in(fake, group):
    return [o.text for o in fake.outputs if o.channel == group]


async def start(fake):
    await fake.say(":locale en", "alice: hi", "boss: hi")
    fake.admin("alice")


async def test_a_global_rule_answers_in_every_group_unless_the_group_has_its_own(fake):
    await start(fake)
    [refused] = await fake.say("alice: /globalreply add wifi The password is on the wall.")
    assert "Global keyword reply" not in refused  # a group admin is not a bot owner
    [added] = await fake.say("boss: /globalreply add wifi The password is qunbot2026.")
    assert added.startswith("Global keyword reply #1 saved (contains: wifi)")
    await fake.say(":group study", "dan: hi")
    assert await fake.say("dan: what is the WIFI password?") == ["The password is qunbot2026."]
    await fake.say(":group lobby")
    await fake.say("alice: /autoreply add wifi Ask the front desk.")
    assert await fake.say("bob: wifi?") == ["Ask the front desk."]
    [listing] = await fake.say("bob: /autoreply list")
    assert listing == (
        "Keyword replies: 1\n#2 [contains] wifi → Ask the front desk.\n"
        "For every group: 1\n#1 [contains] wifi → The password is qunbot2026."
    )
    [not_here] = await fake.say("alice: /autoreply remove 1")
    assert not_here.startswith("#1 is a global keyword reply")
    # Bot owners manage them from a private chat too.
    [removed] = await fake.say("boss@dm: /globalreply remove 1")
    assert removed == "Global keyword reply #1 removed."
    await fake.wait("61s")
    await fake.say(":group study")
    assert await fake.say("dan: wifi") == []


async def test_traditional_and_simplified_chinese_match_each_other(fake):
    await start(fake)
    await fake.say("alice: /autoreply add 发票 开发票请找财务。")
    assert await fake.say("bob: 請問怎麼開發票？") == ["开发票请找财务。"]
    await fake.say("alice: /autoreply exact 後臺 后台地址在置顶消息。")
    assert await fake.say("bob: 后台") == ["后台地址在置顶消息。"]
    await fake.say(r"alice: /autoreply regex ^(價格|price)\s*\d+$ 价目表见置顶。")
    assert await fake.say("bob: 价格 12") == ["价目表见置顶。"]
    await fake.say("alice: /notes save 常见问题 先看置顶。")
    assert await fake.say("bob: #常見問題") == ["先看置顶。"]


async def test_notes_any_member_calls_with_a_hash(fake):
    await start(fake)
    [refused] = await fake.say("bob: /notes save faq Nope")
    assert "Note" not in refused
    [saved] = await fake.say("alice: /notes save FAQ Read the pinned message first.")
    assert saved == "Note #FAQ saved: anyone here writes #FAQ to see it."
    assert await fake.say("bob: #faq") == ["Read the pinned message first."]
    assert await fake.say("carol: #faq please") == []  # the same call within 10 s: held back
    await fake.wait("11s")
    assert await fake.say("carol: #ＦＡＱ please") == ["Read the pinned message first."]
    assert await fake.say("bob: #holidays are coming") == []  # no such note: nothing said
    assert await fake.say("alice: /notes save faq Read the rules.") == ["Note #faq replaced."]
    assert await fake.say("bob: /notes get faq") == ["Read the rules."]
    [bad] = await fake.say("alice: /notes save a.b text")
    assert bad.startswith("A note's name is one word")
    [listing] = await fake.say("bob: /notes list")
    assert listing == "Notes (1): #faq\nWrite #name to see one."
    assert await fake.say("alice: /notes remove faq") == ["Note #faq removed."]
    [gone] = await fake.say("bob: /notes get faq")
    assert gone == "There is no note #faq here. /notes list shows the notes."
    assert await Note.all().count() == 0


async def test_a_global_note_and_a_groups_own_note_of_the_same_name(fake):
    await start(fake)
    [saved] = await fake.say("boss: /globalnote save rules Be kind. No ads.")
    assert saved.startswith("Global note #rules saved")
    await fake.say(":group study", "dan: hi")
    assert await fake.say("dan: #rules") == ["Be kind. No ads."]
    await fake.say(":group lobby")
    await fake.say("alice: /notes save rules Lobby rules: English only.")
    assert await fake.say("bob: #rules") == ["Lobby rules: English only."]
    [listing] = await fake.say("bob: /notes list")
    assert listing.startswith("Notes (1): #rules")
    await fake.say("boss: /globalnote remove rules")
    await fake.say(":group study")
    await fake.wait("11s")
    assert await fake.say("dan: #rules") == []


async def test_zh_commands(fake):
    await fake.say("boss: 你好", "alice: 你好")
    fake.admin("alice")
    [added] = await fake.say("boss: /全局回复 添加 退款 退款请私信客服。")
    assert added.startswith("全局关键词回复 #1 已保存（包含：退款）")
    assert await fake.say("bob: 怎麼退款") == ["退款请私信客服。"]
    [saved] = await fake.say("alice: /笔记 保存 群规 不发广告")
    assert saved == "笔记 #群规 已保存：群里任何人发送 #群规 即可查看。"
    assert await fake.say("bob: #群規") == ["不发广告"]
    [listing] = await fake.say("bob: /笔记 列表")
    assert listing == "笔记（1 条）：#群规\n发送 #名称 即可查看。"


async def test_a_note_saved_by_reply_on_telegram_answers_the_message_it_is_called_on():
    config = {"bot": {"locale": "en", "owners": [f"telegram:{TG_OWNER}"]}}
    async with telegram_bot(plugins=[plugin], config=config) as bot:
        bot.tg.add_user(ANN, "Ann", "ann")
        bot.tg.add_user(NEWCOMER, "Neo", "neo")
        bold = [{"type": "bold", "offset": 0, "length": 5}]
        rules = bot.tg.user_says(GROUP, TG_OWNER, "Rules: be kind", entities=bold, photo=PNG)
        await bot.settle()
        [saved] = await bot.say(TG_OWNER, "/notes save rules", reply_to=rules["message"]["message_id"])
        assert saved["visible_text"] == "Note #rules saved: anyone here writes #rules to see it."
        question = bot.tg.user_says(GROUP, NEWCOMER, "what can I post here?")
        await bot.settle()
        [answer] = await bot.say(ANN, "#rules", reply_to=question["message"]["message_id"])
        assert answer["method"] == "copyMessage" and answer["photo"] == PNG
        assert answer["visible_text"] == "Rules: be kind" and answer["entities"] == bold
        assert answer["reply_to_message_id"] == question["message"]["message_id"]


async def test_a_global_rule_set_by_slash_command_answers_in_every_discord_server():
    config = {"bot": {"locale": "en", "owners": [f"discord:{OWNER}"]}}

    def seed(dc):
        seed_guild(dc)
        dc.add_guild("2", "Branch", owner_id=ALICE, channels=[{"id": "20", "name": "general"}])
        dc.add_member("2", BOB)

    async with discord_bot(plugins=[plugin], config=config, seed=seed) as (app, dc):
        add = subcommand("add", option("keyword", "wifi"), option("reply", "The password is qunbot2026."))
        interaction = await dc.slash(GUILD, CHANNEL, OWNER, "globalreply", [add])
        [answer] = await eventually(lambda: dc.callbacks(interaction))
        assert "Global keyword reply #1 saved (contains: wifi)" in str(answer)
        for channel in (CHANNEL, "20"):
            await dc.user_says(channel, BOB, "ＷＩＦＩ password?")
        await settle(app)
        for channel in (CHANNEL, "20"):
            answers = [m.content for m in dc.sent(channel) if "password" in m.content]
            assert answers == ["The password is qunbot2026."], channel
