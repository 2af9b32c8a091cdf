"""/broadcast edit ID TEXT: every copy says the new text, its leader's button still works,
copies not sent yet go out with the new text, failures are reported in HQ; on the console,
Telegram (a copied photo's caption, the button's new token) and Discord."""

from datetime import UTC, datetime

import pytest

from bot import PlatformError
from bot.testing.discord import ALICE, CHANNEL, GUILD, OWNER, discord_bot, eventually, seed_guild, settle
from bot.testing.fake_discord import option, subcommand
from bot.testing.telegram import GROUP, telegram_bot
from bot.testing.telegram import OWNER as TG_OWNER
from plugins.broadcast import Broadcasts, plugin
from plugins.broadcast.models import Delivery

FAST = {"rate_per_second": 1000, "group_gap_seconds": 0, "retry_seconds": 60}
CONFIG = {"bot": {"owners": ["console:boss"], "locale": "en", "command_rate": 100},
          "plugins": {"broadcast": FAST}}
ANN = 42
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") * 2 + b"rest"

pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(CONFIG)]


def in_group(fake, name):
    return [o.text for o in fake.outputs if o.channel == name]


async def setup_groups(fake, groups=("g1", "g2")):
    await fake.say(":locale en", ":group hq", "boss: hello", "boss: /hq set")
    for name in groups:
        await fake.say(f":group {name}", f"lead_{name}: hi")
        fake.admin(f"lead_{name}")
        await fake.say(f"lead_{name}: /groups tag study", f"lead_{name}: /groups leader @lead_{name}")
    await fake.say(":group hq")
    fake.admin("boss")


async def test_every_copy_says_the_new_text_and_the_leader_still_confirms(fake):
    await setup_groups(fake)
    await fake.say("boss: /broadcast study Meeting at 8")
    await fake.click("boss", "Confirm")
    await fake.run_job("broadcast.deliver")
    [answer] = await fake.say("boss: /broadcast edit 1 Meeting at 9, room 204")
    assert answer == "✏️ Broadcast #1: editing 2 copies; HQ gets a summary when they are done."
    await fake.run_job("broadcast.deliver")
    for group in ("g1", "g2"):
        assert "Meeting at 9, room 204" in in_group(fake, group)
        assert "Meeting at 8" not in in_group(fake, group)
    assert "✏️ Edit: edited 2 · not edited 0 · waiting 0" in in_group(fake, "hq")[-1]
    await fake.click("lead_g2", "✅ Received")
    [status] = await fake.say("boss: /broadcast status 1")
    assert "Leaders confirmed: 1/2" in status and "✏️ Edit: edited 2" in status
    # Edited again: the newest text wins; nothing more to do afterwards.
    await fake.say("boss: /broadcast edit 1 Meeting cancelled")
    await fake.run_job("broadcast.deliver")
    assert in_group(fake, "g1")[-1] == "Meeting cancelled"
    assert await Delivery.filter(edit_at__not_isnull=True).count() == 0


async def test_a_copy_not_sent_yet_goes_out_with_the_new_text_unedited(fake, monkeypatch):
    await setup_groups(fake)
    fake.clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))  # 18:00 in Shanghai
    await fake.say("boss: /broadcast study at 21:00 Good evening")
    await fake.click("boss", "Confirm")
    edits = []
    real_edit = fake.console.edit

    async def counting(channel_id, message_id, message):
        edits.append(channel_id)
        return await real_edit(channel_id, message_id, message)

    monkeypatch.setattr(fake.console, "edit", counting)
    [answer] = await fake.say("boss: /broadcast edit 1 Good evening, exam tomorrow")
    assert answer == (
        "✏️ Broadcast #1: editing 0 copies; HQ gets a summary when they are done.\n"
        "2 copies not sent yet go out with the new text."
    )
    await fake.wait("3h")
    assert in_group(fake, "g1")[-1] == "Good evening, exam tomorrow"
    assert in_group(fake, "g2")[-1] == "Good evening, exam tomorrow"
    assert [c for c in edits if c != "hq"] == []  # sent as they are: no edit after the send
    assert await Delivery.filter(edit_at__not_isnull=True).count() == 0


async def test_an_edit_the_platform_refuses_is_reported_and_a_passing_failure_retried(fake, monkeypatch):
    await setup_groups(fake, groups=("g1", "g2", "g3"))
    await fake.say("boss: /broadcast study Bring your ID")
    await fake.click("boss", "Confirm")
    await fake.run_job("broadcast.deliver")
    real_edit = fake.console.edit
    failures = {"g1": [PlatformError("Telegram refused: message can't be edited")],
                "g2": [PlatformError("Telegram: server error (Bad Gateway)", retryable=True)]}

    async def flaky(channel_id, message_id, message):
        if failures.get(channel_id):
            raise failures[channel_id].pop(0)
        return await real_edit(channel_id, message_id, message)

    monkeypatch.setattr(fake.console, "edit", flaky)
    await fake.say("boss: /broadcast edit 1 Bring your ID and a pen")
    await fake.run_job("broadcast.deliver")
    assert in_group(fake, "g3")[-1] == "Bring your ID and a pen"
    assert "Bring your ID and a pen" not in in_group(fake, "g2")  # retried in a minute
    await fake.wait("61s")
    assert in_group(fake, "g2")[-1] == "Bring your ID and a pen"
    summary = in_group(fake, "hq")[-1]
    assert "✏️ Edit: edited 2 · not edited 1 · waiting 0" in summary
    assert "✏️✖ g1: not edited: Telegram refused: message can't be edited" in summary


async def test_bad_input_is_answered_and_changes_nothing(fake):
    await setup_groups(fake)
    await fake.say("boss: /broadcast study Hello")
    await fake.click("boss", "Confirm")
    await fake.run_job("broadcast.deliver")
    assert await fake.say("boss: /broadcast edit 7 New") == ["There is no confirmed broadcast #7."]
    [usage] = await fake.say("boss: /broadcast edit 1")
    assert usage.startswith("Write /broadcast edit ID NEW TEXT")
    await fake.say(":group g1")
    assert await fake.say("lead_g1: /broadcast edit 1 Hacked") == [
        "This works in the HQ group only (a bot owner sets it there with /hq set)."
    ]
    await fake.run_job("broadcast.deliver")
    assert in_group(fake, "g2")[-1] == "Hello"
    await fake.say(":locale zh", ":group hq")
    [answer] = await fake.say("boss: /广播 修改 1 你好")
    assert answer == "✏️ 广播 #1：正在修改 2 个副本，完成后总群会收到汇总。"


async def test_telegram_a_copied_photo_gets_the_new_caption_and_its_button_still_works():
    config = {"bot": {"owners": [f"telegram:{TG_OWNER}"], "locale": "en"}, "plugins": {"broadcast": FAST}}
    chats = [-1002000000001, -1002000000002]
    async with telegram_bot(plugins=[plugin], config=config) as bot:
        bot.tg.add_user(ANN, "Ann", "ann")
        for number, chat in enumerate(chats, start=1):
            bot.tg.add_chat(chat, f"Class {number}")
            bot.tg.set_member(chat, TG_OWNER, "creator")
            bot.tg.set_member(chat, ANN, "member")
            await bot.say(ANN, "hello", chat_id=chat)
        await bot.say(TG_OWNER, "/groups leader @ann", chat_id=chats[0])
        await bot.say(TG_OWNER, "/hq set")
        bold = [{"type": "bold", "offset": 0, "length": 4}]
        original = bot.tg.user_says(GROUP, TG_OWNER, "Exam on Monday", entities=bold, photo=PNG)
        await bot.settle()
        [preview] = await bot.say(TG_OWNER, "/broadcast", reply_to=original["message"]["message_id"])
        await bot.click(TG_OWNER, preview, "Confirm")
        service = bot.app.scope("broadcast").service(Broadcasts)
        await service.run()
        [before] = [m for m in bot.tg.sent(chats[0]) if m["method"] == "copyMessage"]
        old_token = before["reply_markup"]["inline_keyboard"][-1][0]["callback_data"]
        # An admin of the second group deleted its copy before the edit.
        [gone] = [m for m in bot.tg.sent(chats[1]) if m["method"] == "copyMessage"]
        await bot.adapter.delete(str(chats[1]), str(gone["message_id"]))
        [answer] = await bot.say(TG_OWNER, "/broadcast edit 1 Exam on Tuesday, 9:00")
        assert "editing 2 copies" in answer["visible_text"]
        await service.run()
        [copy] = [m for m in bot.tg.sent(chats[0]) if m["method"] == "copyMessage"]
        assert copy["photo"] == PNG and copy["visible_text"] == "Exam on Tuesday, 9:00"
        assert copy["edits"]  # the caption was edited: the photo is the same message's
        [[received]] = copy["reply_markup"]["inline_keyboard"]
        assert received["text"] == "✅ Received" and received["callback_data"] != old_token
        thanks = await bot.click(ANN, copy, "✅ Received")
        assert thanks["text"] == "Thanks, HQ sees that you received it."
        summary = bot.tg.sent(GROUP)[-1]["visible_text"]
        assert "✏️ Edit: edited 1 · not edited 1 · waiting 0" in summary
        assert "✏️✖ Class 2: not edited: Telegram refused" in summary and "not found" in summary
        [status] = await bot.say(TG_OWNER, "/broadcast status 1")
        assert "Leaders confirmed: 1/1" in status["visible_text"]


async def test_discord_copies_are_edited_in_every_server():
    config = {"bot": {"owners": [f"discord:{OWNER}"], "locale": "en"}, "plugins": {"broadcast": FAST}}

    def seed(dc):
        seed_guild(dc)
        for guild, channel, name in (("2", "20", "Branch"), ("3", "30", "Annex")):
            dc.add_guild(guild, name, owner_id=OWNER, channels=[{"id": channel, "name": "general"}])
            dc.add_member(guild, ALICE)

    async with discord_bot(plugins=[plugin], config=config, seed=seed) as (app, dc):
        for channel in ("20", "30"):
            await dc.user_says(channel, ALICE, "hi")
        await settle(app)
        interaction = await dc.slash(GUILD, CHANNEL, OWNER, "hq", [subcommand("set")])
        await eventually(lambda: dc.callbacks(interaction))
        text = option("text", "Server maintenance at 22:00")
        interaction = await dc.slash(GUILD, CHANNEL, OWNER, "broadcast", [subcommand("me", text)])
        preview = await eventually(lambda: dc.original(interaction))
        click = await dc.click(GUILD, CHANNEL, OWNER, preview.id, preview.custom_ids[0])
        await eventually(lambda: dc.callbacks(click))
        service = app.scope("broadcast").service(Broadcasts)
        await service.run()
        edit = subcommand("edit", option("id", 1), option("text", "Server maintenance moved to 23:00"))
        interaction = await dc.slash(GUILD, CHANNEL, OWNER, "broadcast", [edit])
        [answer] = await eventually(lambda: dc.callbacks(interaction))
        assert "editing 2 copies" in str(answer)
        await service.run()
        for channel in ("20", "30"):
            [copy] = [m for m in dc.sent(channel) if "maintenance" in m.content]
            assert copy.content == "Server maintenance moved to 23:00" and copy.edits


async def test_telegram_a_scheduled_copy_of_a_photo_edited_before_its_time_gets_the_new_caption():
    config = {"bot": {"owners": [f"telegram:{TG_OWNER}"], "locale": "en"}, "plugins": {"broadcast": FAST}}
    chat = -1002000000001
    async with telegram_bot(plugins=[plugin], config=config) as bot:
        bot.tg.add_user(ANN, "Ann", "ann")
        bot.tg.add_chat(chat, "Class 1")
        await bot.say(ANN, "hello", chat_id=chat)
        await bot.say(TG_OWNER, "/hq set")
        original = bot.tg.user_says(GROUP, TG_OWNER, "Timetable", photo=PNG)
        await bot.settle()
        [preview] = await bot.say(TG_OWNER, "/broadcast at 10:00", reply_to=original["message"]["message_id"])
        await bot.click(TG_OWNER, preview, "Confirm")
        [answer] = await bot.say(TG_OWNER, "/broadcast edit 1 Timetable (room 204)")
        assert "1 copy not sent yet goes out with the new text" in answer["visible_text"]
        await bot.clock.advance(3600)  # 10:00 in Shanghai
        service = bot.app.scope("broadcast").service(Broadcasts)
        await service.run()
        [copy] = bot.tg.sent(chat)[-1:]
        assert copy["method"] == "copyMessage" and copy["photo"] == PNG
        assert copy["visible_text"] == "Timetable (room 204)"
