"""The fake Telegram Bot API, driven by the real python-telegram-bot client over HTTP.

If PTB cannot parse what the fake returns, or the fake misreads what PTB sends, these fail:
that is what makes the adapter tests built on the fake trustworthy."""

from __future__ import annotations

import asyncio
import copy
import time
import warnings
from datetime import timedelta

import aiohttp
import pytest
import telegram
from aiohttp import web
from telegram import ChatPermissions, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import Application, ApplicationBuilder

from bot.testing.driver import eventually
from bot.testing.fake_telegram import FakeTelegramServer

TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
GROUP = -1001234567890
OWNER, ANN, BOB = 11, 42, 43
ALL = [
    "message",
    "edited_message",
    "callback_query",
    "chat_member",
    "my_chat_member",
    "chat_join_request",
]


@pytest.fixture
async def tg():
    async with FakeTelegramServer(token=TOKEN, bot_username="qunbot_test") as server:
        server.add_chat(GROUP, "Test Group")
        server.add_user(OWNER, "Olga", "olga")
        server.set_member(GROUP, OWNER, "creator")
        server.add_user(ANN, "Ann", "ann", language_code="zh-hans")
        server.add_user(BOB, "Bob", "bob")
        yield server


@pytest.fixture
async def bot(tg):
    async with telegram.Bot(TOKEN, base_url=tg.base_url) as client:
        yield client


async def raw_post(tg: FakeTelegramServer, path: str, **form: str) -> tuple[int, dict]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{tg.port}{path}", data=form) as response,
    ):
        return response.status, await response.json()


def seconds(value: int | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else value

# -- basics ------------------------------------------------------------------------------------


async def test_get_me_parses_in_ptb(bot):
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "qunbot_test", True)


async def test_wrong_token_is_unauthorized(tg):
    status, body = await raw_post(tg, "/bot999:WRONG/getMe")
    assert status == 401
    assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    with pytest.raises(InvalidToken):
        await telegram.Bot("999:WRONG", base_url=tg.base_url).get_me()


async def test_unknown_method_is_404(tg):
    status, body = await raw_post(tg, f"/bot{TOKEN}/sendTeleport", chat_id="1")
    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_method_names_are_case_insensitive_and_json_bodies_work(tg):
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{tg.base_url}{TOKEN}/SENDMESSAGE", json={"chat_id": GROUP, "text": "123"}
        ) as response,
    ):
        body = await response.json()
    assert body["ok"] and body["result"]["text"] == "123"
    assert tg.calls("sendMessage")[0] == {"chat_id": GROUP, "text": "123"}


# -- sending -----------------------------------------------------------------------------------


async def test_send_message_html_and_keyboard_round_trip(tg, bot):
    question = tg.user_says(GROUP, ANN, "question?")["message"]["message_id"]
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes 👍", callback_data="t:abc"),
                InlineKeyboardButton("Docs", url="https://example.org"),
            ]
        ]
    )
    sent = await bot.send_message(
        GROUP,
        '<b>Hi</b> &lt;Ann&gt; 😀 <a href="tg://user?id=42">Ann</a>',
        parse_mode="HTML",
        reply_markup=keyboard,
        reply_to_message_id=question,
    )
    assert sent.text == "Hi <Ann> 😀 Ann"
    assert sent.reply_markup == keyboard
    assert sent.reply_to_message.message_id == question
    assert [e.type for e in sent.entities] == ["bold", "text_mention"]
    assert sent.parse_entity(sent.entities[1]) == "Ann"
    assert sent.entities[1].user.id == ANN
    [record] = tg.sent(GROUP)
    assert record["text"].startswith("<b>Hi</b>")
    assert record["parse_mode"] == "HTML"
    assert record["reply_to_message_id"] == question
    assert record["message_id"] == sent.message_id
    assert record["reply_markup"] == {
        "inline_keyboard": [
            [
                {"text": "Yes 👍", "callback_data": "t:abc"},
                {"text": "Docs", "url": "https://example.org"},
            ]
        ]
    }


async def test_malformed_html_and_overlong_text_are_rejected_like_telegram(bot):
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(GROUP, "<b>unclosed", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)Unsupported start tag"):
        await bot.send_message(GROUP, "<script>x</script>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(GROUP, "😀" * 2049)
    await bot.send_message(GROUP, "😀" * 2048)


async def test_callback_data_over_64_bytes_is_rejected(bot):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(GROUP, "hi", reply_markup=keyboard)


async def test_send_photo_multipart_bytes_arrive(tg, bot):
    png = (
        b"\x89PNG\r\n\x1a\n"
        + b"\x00\x00\x00\rIHDR"
        + (640).to_bytes(4, "big")
        + (480).to_bytes(4, "big")
        + b"chart"
    )
    sent = await bot.send_photo(
        GROUP, png, caption="<b>Top 10</b>", parse_mode="HTML", filename="top.png"
    )
    assert sent.caption == "Top 10"
    assert sent.photo[-1].width == 640 and sent.photo[-1].height == 480
    [record] = tg.sent(GROUP)
    assert record["photo"] == png
    assert record["caption"] == "<b>Top 10</b>"
    assert tg.file(sent.photo[-1].file_id) == png
    again = await bot.send_photo(GROUP, sent.photo[-1].file_id)
    assert tg.sent(GROUP)[-1]["photo"] == png and again.photo


async def test_send_document_multipart(tg, bot):
    sent = await bot.send_document(GROUP, b"a,b\n1,2\n", filename="export.csv")
    assert sent.document.file_name == "export.csv"
    assert tg.sent(GROUP)[0]["document"] == b"a,b\n1,2\n"


async def test_edit_and_delete(tg, bot):
    sent = await bot.send_message(GROUP, "v1")
    edited = await bot.edit_message_text("v2", GROUP, sent.message_id)
    assert edited.text == "v2" and edited.edit_date is not None
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("v2", GROUP, sent.message_id)
    record = tg.sent(GROUP)[0]
    assert (record["text"], record["edits"]) == ("v2", ["v1"])
    user_message = tg.user_says(GROUP, ANN, "spam")["message"]["message_id"]
    assert await bot.delete_message(GROUP, user_message)
    assert await bot.delete_message(GROUP, sent.message_id)
    assert tg.is_deleted(GROUP, user_message) and tg.sent(GROUP)[0]["deleted"]
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(GROUP, user_message)


async def test_deleting_others_messages_needs_the_right(tg, bot):
    tg.set_bot_rights(GROUP, "administrator", can_restrict_members=True)
    message_id = tg.user_says(GROUP, ANN, "hello")["message"]["message_id"]
    with pytest.raises(BadRequest, match="(?i)can't be deleted"):
        await bot.delete_message(GROUP, message_id)


# -- errors ------------------------------------------------------------------------------------


async def test_injected_429_arrives_as_retry_after(tg, bot):
    tg.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as caught, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        await bot.send_message(GROUP, "hi")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert seconds(caught.value.retry_after) == 3
    assert tg.sent(GROUP) == []
    await bot.send_message(GROUP, "hi")
    assert len(tg.calls("sendMessage")) == 2 and len(tg.sent(GROUP)) == 1


async def test_injected_error_shape_and_times(tg):
    tg.fail_next("getMe", times=2, retry_after=7)
    tg.fail_next("getChat", error_code=400, description="Bad Request: chat not found")
    for _ in range(2):
        status, body = await raw_post(tg, f"/bot{TOKEN}/getMe")
        assert status == 429
        assert body == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        }
    assert (await raw_post(tg, f"/bot{TOKEN}/getMe"))[0] == 200
    status, body = await raw_post(tg, f"/bot{TOKEN}/getChat", chat_id=str(GROUP))
    assert (status, body.get("parameters")) == (400, None)


async def test_private_message_needs_start(tg, bot):
    with pytest.raises(Forbidden, match="(?i)bot can't initiate conversation with a user"):
        await bot.send_message(BOB, "hello")
    tg.user_starts(BOB)
    sent = await bot.send_message(BOB, "hello")
    assert sent.chat.type == "private" and tg.sent(BOB)[0]["text"] == "hello"
    tg.user_blocks(BOB)
    with pytest.raises(Forbidden, match="(?i)blocked"):
        await bot.send_message(BOB, "again")


async def test_join_request_opens_private_chat_for_five_minutes(tg, bot):
    clock = [1_800_000_000.0]
    tg.now = lambda: clock[0]
    tg.join_request(GROUP, BOB, bio="hi")
    await bot.send_message(BOB, "answer these questions")
    clock[0] += 301
    with pytest.raises(Forbidden):
        await bot.send_message(BOB, "too late")


async def test_migrated_group_answers_with_new_id(tg, bot):
    tg.add_chat(-555, "Old", type="group")
    tg.set_member(-555, OWNER, "creator")
    tg.migrate(-555, -100555)
    with pytest.raises(telegram.error.ChatMigrated) as caught:
        await bot.send_message(-555, "hi")
    assert caught.value.new_chat_id == -100555
    await bot.send_message(-100555, "hi")


# -- members -----------------------------------------------------------------------------------


async def test_ban_and_unban_semantics(tg, bot):
    tg.set_member(GROUP, ANN, "member")
    now = int(time.time())
    await bot.ban_chat_member(GROUP, ANN, until_date=now + 60)
    member = await bot.get_chat_member(GROUP, ANN)
    assert member.status == "kicked" and int(member.until_date.timestamp()) == now + 60
    assert tg.calls("banChatMember")[0]["until_date"] == now + 60
    await bot.unban_chat_member(GROUP, ANN, only_if_banned=True)
    assert (await bot.get_chat_member(GROUP, ANN)).status == "left"

    tg.set_member(GROUP, BOB, "member")
    await bot.unban_chat_member(GROUP, BOB, only_if_banned=True)
    assert (await bot.get_chat_member(GROUP, BOB)).status == "member"
    await bot.unban_chat_member(GROUP, BOB)  # without the flag: removes a present member
    assert (await bot.get_chat_member(GROUP, BOB)).status == "left"


async def test_short_ban_means_forever(tg, bot):
    await bot.ban_chat_member(GROUP, ANN, until_date=int(time.time()) + 5)
    assert tg.member(GROUP, ANN)["until_date"] == 0


async def test_ban_needs_rights_and_spares_admins(tg, bot):
    with pytest.raises(BadRequest, match="(?i)can't remove chat owner"):
        await bot.ban_chat_member(GROUP, OWNER)
    tg.set_bot_rights(GROUP, "member")
    with pytest.raises(BadRequest, match="(?i)not enough rights"):
        await bot.ban_chat_member(GROUP, ANN)


async def test_restrict_supergroup_only(tg, bot):
    tg.set_member(GROUP, ANN, "member")
    until_date = int(time.time()) + 3600
    await bot.restrict_chat_member(
        GROUP, ANN, ChatPermissions(can_send_messages=False), until_date=until_date
    )
    member = await bot.get_chat_member(GROUP, ANN)
    assert member.status == "restricted" and member.is_member and not member.can_send_messages
    assert int(member.until_date.timestamp()) == until_date
    assert tg.calls("restrictChatMember")[0]["permissions"]["can_send_messages"] is False
    await bot.restrict_chat_member(GROUP, ANN, ChatPermissions.all_permissions())
    assert (await bot.get_chat_member(GROUP, ANN)).status == "member"
    tg.add_chat(-77, "Basic", type="group")
    with pytest.raises(BadRequest, match="(?i)supergroups"):
        await bot.restrict_chat_member(-77, ANN, ChatPermissions.no_permissions())


async def test_join_requests(tg, bot):
    with pytest.raises(BadRequest, match="(?i)HIDE_REQUESTER_MISSING"):
        await bot.approve_chat_join_request(GROUP, ANN)
    tg.join_request(GROUP, ANN)
    assert await bot.approve_chat_join_request(GROUP, ANN)
    assert (await bot.get_chat_member(GROUP, ANN)).status == "member"
    tg.join_request(GROUP, BOB)
    assert await bot.decline_chat_join_request(GROUP, BOB)
    with pytest.raises(BadRequest, match="(?i)HIDE_REQUESTER_MISSING"):
        await bot.decline_chat_join_request(GROUP, BOB)


async def test_chat_and_administrators(tg, bot):
    tg.set_member(GROUP, BOB, "administrator", can_delete_messages=True, custom_title="mod")
    chat = await bot.get_chat(GROUP)
    assert (chat.id, chat.title, chat.type) == (GROUP, "Test Group", "supergroup")
    admins = {m.user.id: m for m in await bot.get_chat_administrators(GROUP)}
    assert set(admins) == {OWNER, BOB, 123456}
    assert admins[OWNER].status == "creator"
    assert admins[BOB].can_delete_messages and not admins[BOB].can_restrict_members
    assert admins[123456].can_restrict_members
    me = await bot.get_chat_member(GROUP, 123456)
    assert me.status == "administrator"


async def test_custom_title(tg, bot):
    tg.set_bot_rights(GROUP, can_promote_members=True)
    tg.set_member(GROUP, BOB, "administrator")
    await bot.set_chat_administrator_custom_title(GROUP, BOB, "Lv.5 Elder")
    assert tg.member(GROUP, BOB)["custom_title"] == "Lv.5 Elder"
    with pytest.raises(BadRequest, match="(?i)not an administrator"):
        await bot.set_chat_administrator_custom_title(GROUP, ANN, "x")


async def test_commands_per_scope_and_language(tg, bot):
    await bot.set_my_commands([("checkin", "Daily check-in")])
    await bot.set_my_commands([("checkin", "每日签到")], language_code="zh")
    scope = telegram.BotCommandScopeAllChatAdministrators()
    await bot.set_my_commands([("kick", "Remove a member")], scope=scope)
    assert [c.description for c in await bot.get_my_commands()] == ["Daily check-in"]
    assert [c.description for c in await bot.get_my_commands(language_code="zh")] == ["每日签到"]
    assert [c.command for c in await bot.get_my_commands(scope=scope)] == ["kick"]
    assert tg.commands(language_code="zh") == [{"command": "checkin", "description": "每日签到"}]
    assert len(tg.calls("setMyCommands")) == 3
    with pytest.raises(BadRequest):
        await bot.set_my_commands([("Bad-Name", "x")])


async def test_chat_action_and_callback_answer(tg, bot):
    assert await bot.send_chat_action(GROUP, "typing")
    sent = await bot.send_message(
        GROUP,
        "grab!",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("🧧", callback_data="p1")]]),
    )
    update = tg.user_clicks(GROUP, ANN, sent.message_id, "p1")
    query = Update.de_json(copy.deepcopy(update), bot).callback_query
    assert query.chat_instance and query.message.reply_markup
    assert await query.answer("You got 12 points", show_alert=True)
    assert tg.callback_answer(query.id)["text"] == "You got 12 points"
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await query.answer()


# -- updates -----------------------------------------------------------------------------------


async def test_every_helper_update_parses_in_ptb(tg, bot):
    """Each injected update survives PTB's get_updates (which silently drops broken ones)."""
    tg.add_chat(-88, "Basic", type="group")
    tg.set_member(-88, OWNER, "creator")
    tg.add_chat(-99, "Later", bot_status="left")
    sent = await bot.send_message(
        GROUP,
        "pick",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="a")]]),
    )
    await bot.get_updates(allowed_updates=ALL, timeout=0)
    said = tg.user_says(GROUP, ANN, "hi @bob https://x.org 😀", reply_to=sent.message_id)
    injected = [
        said,
        tg.user_says(GROUP, ANN, "look", photo=b"img"),
        tg.user_says(GROUP, BOB, "fwd", forward_origin=tg.forward_origin(ANN)),
        tg.user_edits(GROUP, ANN, said["message"]["message_id"], "hi again"),
        tg.user_clicks(GROUP, BOB, sent.message_id, "a"),
        *tg.user_joins(GROUP, 77),
        *tg.user_leaves(GROUP, 77, by=OWNER),
        tg.join_request(GROUP, 78, bio="I like tea"),
        *tg.bot_added(-99, by=OWNER),
        tg.bot_removed(-99, by=OWNER),
        *tg.migrate(-88, -10088, order="to_first"),
        tg.anonymous_admin_says(GROUP, "rules"),
        tg.channel_post_in_group(GROUP, -1009, "promo"),
        tg.linked_forward(GROUP, -1008, "news"),
        tg.user_says(ANN, ANN, "/start"),
    ]
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [u["update_id"] for u in injected]
    assert updates[0].message.reply_to_message.message_id == sent.message_id
    assert updates[1].message.photo and updates[1].message.caption == "look"
    assert updates[2].message.forward_origin.sender_user.id == ANN
    assert updates[3].edited_message.edit_date is not None
    assert updates[4].callback_query.data == "a"
    assert updates[5].chat_member.new_chat_member.status == "member"
    assert updates[6].message.new_chat_members[0].id == 77
    assert updates[7].chat_member.new_chat_member.status == "kicked"
    assert updates[7].chat_member.from_user.id == OWNER
    assert updates[9].chat_join_request.bio == "I like tea"
    assert updates[10].my_chat_member.new_chat_member.status == "administrator"
    assert updates[12].my_chat_member.new_chat_member.status == "kicked"
    assert updates[13].message.migrate_to_chat_id == -10088
    assert updates[14].message.migrate_from_chat_id == -88
    assert updates[15].message.sender_chat.id == GROUP
    assert updates[15].message.from_user.id == 1087968824
    assert updates[16].message.from_user.id == 136817688
    assert updates[17].message.is_automatic_forward and updates[17].message.from_user.id == 777000
    assert updates[18].message.chat.type == "private"


async def test_allowed_updates_filters_new_updates(tg, bot):
    await bot.get_updates(timeout=0)  # never set: chat_member is not sent by default
    tg.user_joins(GROUP, 77, via="chat_member")
    assert await bot.get_updates(timeout=0) == ()
    await bot.get_updates(timeout=0, allowed_updates=["chat_member"])
    tg.user_joins(GROUP, 78, via="chat_member")
    tg.user_says(GROUP, ANN, "not allowed now")
    [update] = await bot.get_updates(timeout=0)
    assert update.chat_member.new_chat_member.user.id == 78


async def test_chat_member_updates_need_admin_bot(tg, bot):
    await bot.get_updates(timeout=0, allowed_updates=ALL)
    tg.set_bot_rights(GROUP, "member")
    tg.user_joins(GROUP, 77)
    [update] = await bot.get_updates(timeout=0)
    assert update.message.new_chat_members[0].id == 77


async def test_offset_confirms_and_negative_offset_skips(tg, bot):
    first = tg.user_says(GROUP, ANN, "one")
    tg.user_says(GROUP, ANN, "two")
    assert len(await bot.get_updates(timeout=0)) == 2
    assert tg.pending() == 2
    [two] = await bot.get_updates(offset=first["update_id"] + 1, timeout=0)
    assert two.message.text == "two" and tg.pending() == 1
    assert await bot.get_updates(offset=two.update_id + 1, timeout=0) == ()
    assert tg.pending() == 0
    for text in ("a", "b", "c"):
        tg.user_says(GROUP, ANN, text)
    [last] = await bot.get_updates(offset=-1, timeout=0)
    assert last.message.text == "c" and tg.pending() == 1


async def test_redeliver_after_confirmation(tg, bot):
    update = tg.user_says(GROUP, ANN, "/checkin")
    [got] = await bot.get_updates(timeout=0)
    assert await bot.get_updates(offset=got.update_id + 1, timeout=0) == ()
    tg.redeliver(update)
    assert tg.pending() == 1
    [again] = await bot.get_updates(offset=got.update_id + 1, timeout=0)
    assert again.update_id == update["update_id"] and again.message.text == "/checkin"


async def test_webhook_blocks_polling_and_push_webhook_sends_secret(tg, bot):
    received = []

    async def handler(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        assert await bot.set_webhook(url, secret_token="s3cret")
        assert (await bot.get_webhook_info()).url == url
        with pytest.raises(Conflict):
            await bot.get_updates(timeout=0)
        update = tg.user_says(GROUP, ANN, "hi")
        assert await tg.push_webhook(url, update, "s3cret") == 200
        assert received == [("s3cret", update)]
        assert await bot.delete_webhook()
        assert len(await bot.get_updates(timeout=0)) == 1
    finally:
        await runner.cleanup()


# -- the real Application's polling loop -------------------------------------------------------


async def start_polling(tg: FakeTelegramServer) -> Application:
    app = ApplicationBuilder().token(TOKEN).base_url(tg.base_url).build()
    await app.initialize()
    await app.updater.start_polling(poll_interval=0, timeout=10, allowed_updates=ALL)
    # Wait until the long poll is parked on the server.
    await eventually(lambda: len(tg.calls("getUpdates")) >= 1, 3)
    await asyncio.sleep(0.1)
    return app


async def stop_polling(app: Application) -> None:
    await app.updater.stop()
    await app.shutdown()


async def test_long_poll_returns_promptly_and_does_not_busy_loop(tg):
    app = await start_polling(tg)
    try:
        await asyncio.sleep(0.5)
        assert len(tg.calls("getUpdates")) <= 2  # parked, not spinning
        started = time.monotonic()
        sent = tg.user_says(GROUP, ANN, "ping")
        update = await asyncio.wait_for(app.update_queue.get(), 3)
        assert time.monotonic() - started < 1.0  # not the 10 s poll timeout
        assert update.update_id == sent["update_id"] and update.message.text == "ping"
        # The next poll carries offset = id + 1, which confirms the update.
        await eventually(lambda: tg.pending() == 0, 3)
        assert tg.calls("getUpdates")[-1]["offset"] == sent["update_id"] + 1
        assert tg.calls("getUpdates")[-1]["allowed_updates"] == ALL
    finally:
        await stop_polling(app)


async def test_confirmed_updates_are_not_redelivered_but_redeliver_is(tg):
    app = await start_polling(tg)
    try:
        first = tg.user_says(GROUP, ANN, "one")
        assert (await asyncio.wait_for(app.update_queue.get(), 3)).update_id == first["update_id"]
        await eventually(lambda: tg.pending() == 0, 3)
        tg.redeliver(first)
        again = await asyncio.wait_for(app.update_queue.get(), 3)
        assert again.update_id == first["update_id"]
    finally:
        await stop_polling(app)
    assert tg.pending() == 0  # PTB's final getUpdates confirmed it

    second = await start_polling(tg)
    try:
        await asyncio.sleep(0.3)
        assert second.update_queue.empty()
        later = tg.user_says(GROUP, BOB, "two")
        got = await asyncio.wait_for(second.update_queue.get(), 3)
        assert got.update_id == later["update_id"]
    finally:
        await stop_polling(second)


async def test_second_poller_terminates_the_first(tg, bot):
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await eventually(lambda: len(tg.calls("getUpdates")) == 1, 3)
    await asyncio.sleep(0.05)
    async with telegram.Bot(TOKEN, base_url=tg.base_url) as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="(?i)terminated by other getUpdates request"):
        await asyncio.wait_for(first, 3)
