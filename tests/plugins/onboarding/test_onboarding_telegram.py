"""The gate through the real Telegram adapter (python-telegram-bot) and the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

from bot.testing.telegram import GROUP, telegram_bot

ANSWERS = ["张三", "某公司", "运营", "上海", "社群运营", "找开发", "/skip"]
ALICE = 42


def status(tg, user_id: int = ALICE) -> str:
    return tg.member(GROUP, user_id)["status"]


async def fill(bot, user_id: int = ALICE) -> list[dict]:
    sent: list[dict] = []
    for answer in ANSWERS:
        sent += await bot.say(user_id, answer, chat_id=user_id)
    return sent


async def test_restrict_then_unrestrict_on_telegram():
    async with telegram_bot(["onboarding"], {"plugins": {"onboarding": {"gate": "restrict"}}}) as bot:
        bot.tg.add_user(ALICE, "Alice", "alice", language_code="zh-hans", started=True)
        bot.tg.user_joins(GROUP, ALICE)
        await bot.settle()
        assert status(bot.tg) == "restricted"
        assert "(1/7)" in bot.tg.sent(ALICE)[-1]["visible_text"]
        welcome = bot.tg.sent(GROUP)[-1]["visible_text"]
        assert "Alice" in welcome
        sent = await fill(bot)
        assert status(bot.tg) == "member"
        assert any("张三-某公司-运营-上海" in s["visible_text"] for s in sent if s["chat_id"] == GROUP)


async def test_timeout_kick_on_telegram_with_the_fake_clock():
    async with telegram_bot(["onboarding"], {"plugins": {"onboarding": {"gate": "restrict"}}}) as bot:
        bot.tg.add_user(ALICE, "Alice", "alice", started=False)
        bot.tg.user_joins(GROUP, ALICE)
        await bot.settle()
        assert status(bot.tg) == "restricted"
        # Alice never started the bot: the welcome tells her how to get the form.
        assert "/form" in bot.tg.sent(GROUP)[-1]["visible_text"]
        await bot.clock.advance(timedelta(minutes=11))
        await bot.settle()
        assert status(bot.tg) == "kicked"  # a short ban: she may come back
        assert len(bot.tg.calls("banChatMember")) == 1
        await bot.clock.advance(timedelta(minutes=5))
        await bot.settle()
        assert len(bot.tg.calls("banChatMember")) == 1


async def test_join_request_approved_when_the_form_is_done_on_telegram():
    async with telegram_bot(["onboarding"], {"plugins": {"onboarding": {"gate": "join_request"}}}) as bot:
        bot.tg.add_user(ALICE, "Alice", "alice", language_code="zh-hans")
        bot.tg.join_request(GROUP, ALICE)
        await bot.settle()
        assert "(1/7)" in bot.tg.sent(ALICE)[-1]["visible_text"]
        await fill(bot)
        assert len(bot.tg.calls("approveChatJoinRequest")) == 1
        assert status(bot.tg) == "member"
        assert "张三-某公司-运营-上海" in bot.tg.sent(GROUP)[-1]["visible_text"]


async def test_join_request_declined_on_timeout_on_telegram():
    async with telegram_bot(["onboarding"], {"plugins": {"onboarding": {"gate": "join_request"}}}) as bot:
        bot.tg.add_user(ALICE, "Alice", "alice", language_code="zh-hans")
        bot.tg.join_request(GROUP, ALICE)
        await bot.settle()
        await bot.say(ALICE, "张三", chat_id=ALICE)
        await bot.clock.advance(timedelta(minutes=11))
        await bot.settle()
        assert len(bot.tg.calls("declineChatJoinRequest")) == 1
        assert bot.tg.calls("approveChatJoinRequest") == []
        assert status(bot.tg) == "left"


PRIVATE_FIELDS = {"plugins": {"onboarding": {"name_card": "{name}-{city}", "form": [
    {"key": "name", "label": {"zh": "称呼"}, "question": {"zh": "称呼？"}},
    {"key": "city", "type": "city", "label": {"zh": "城市"}, "question": {"zh": "城市？"}},
    {"key": "phone", "label": {"zh": "电话"}, "question": {"zh": "电话？"}, "visibility": "admins"},
    {"key": "secret", "label": {"zh": "备注"}, "question": {"zh": "备注？"}, "visibility": "hidden"},
]}}}
BOB, CAROL = 43, 44


async def test_whois_in_the_group_shows_public_fields_and_admins_get_the_rest_in_private():
    async with telegram_bot(["onboarding"], PRIVATE_FIELDS) as bot:
        bot.tg.add_user(ALICE, "Alice", "alice", language_code="zh-hans", started=True)
        bot.tg.add_user(BOB, "Bob", "bob", language_code="zh-hans", started=True)
        bot.tg.add_user(CAROL, "Carol", "carol", language_code="zh-hans", started=True)
        bot.tg.set_member(GROUP, CAROL, "administrator", can_restrict_members=True)
        bot.tg.user_joins(GROUP, ALICE)
        await bot.settle()
        for answer in ("张三", "上海", "13800000001", "喜欢猫"):
            await bot.say(ALICE, answer, chat_id=ALICE)
        await bot.say(BOB, "大家好")
        for asker in (BOB, CAROL, ALICE):
            sent = await bot.say(asker, "/whois @alice")
            in_group = [s["visible_text"] for s in sent if s["chat_id"] == GROUP]
            assert len(in_group) == 1 and "张三-上海" in in_group[0], asker
            assert "13800000001" not in in_group[0] and "喜欢猫" not in in_group[0], asker
            private = [s["visible_text"] for s in sent if s["chat_id"] == asker]
            if asker == CAROL:
                assert len(private) == 1 and "13800000001" in private[0] and "喜欢猫" not in private[0]
            else:
                assert private == []
        # In private, an admin of her group asks and gets the admins' view.
        sent = await bot.say(CAROL, "/whois @alice", chat_id=CAROL)
        assert "13800000001" in sent[0]["visible_text"] and "Test Group" in sent[0]["visible_text"]
