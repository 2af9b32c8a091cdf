"""Telegram update -> qunbot event conversion, on literal Bot API JSON and on the fake's updates
(parsed by PTB's own ``Update.de_json``, as the adapter receives them)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from telegram import Update

from bot.adapters.telegram.convert import (
    ALLOWED_UPDATES,
    GroupMigrated,
    JoinDeduplicator,
    convert_update,
    is_anonymous_admin,
    utf16_slice,
)
from bot.commands import split_command
from bot.events import (
    BotJoinedGuild,
    BotLeftGuild,
    ButtonClicked,
    ChannelType,
    CommandInvoked,
    JoinRequest,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    MessageUpdated,
)
from bot.message import Link, Mention
from bot.testing.fake_telegram import FakeTelegramServer

BOT_ID = "123456"
GROUP = -1001234567890
OWNER, ANN, BOB = 11, 42, 43
NOW = 1_767_600_000  # 2026-01-05 08:00:00 UTC


def parse(data: dict) -> Update:
    return Update.de_json(copy.deepcopy(data), None)


def convert(data: dict, **kwargs):
    return convert_update(parse(data), self_id=BOT_ID, bot_username="qunbot_test", **kwargs)


def only(data: dict, **kwargs):
    [event] = convert(data, **kwargs)
    return event


@pytest.fixture
def tg() -> FakeTelegramServer:
    # Deliver chat_member updates too, as the adapter asks for them.
    server = FakeTelegramServer(
        bot_username="qunbot_test", now=lambda: NOW, allowed_updates=ALLOWED_UPDATES
    )
    server.add_chat(GROUP, "Tea House")
    server.add_user(OWNER, "Olga", "olga")
    server.set_member(GROUP, OWNER, "creator")
    server.add_user(ANN, "Ann", "ann", language_code="zh-hans", last_name="Li")
    server.add_user(BOB, "Bob", None, language_code="ru")
    return server


def test_allowed_updates_are_exactly_the_handled_types():
    assert sorted(ALLOWED_UPDATES) == sorted(
        [
            "message",
            "edited_message",
            "callback_query",
            "chat_member",
            "my_chat_member",
            "chat_join_request",
        ]
    )


# -- messages ----------------------------------------------------------------------------------


def test_group_message_becomes_message_created(tg):
    update = tg.user_says(GROUP, ANN, "hello")
    event = only(update)
    assert isinstance(event, MessageCreated)
    assert (event.platform, event.self_id) == ("telegram", BOT_ID)
    assert event.delivery_id == str(update["update_id"])
    assert event.timestamp == datetime.fromtimestamp(NOW, UTC) and event.timestamp.tzinfo
    assert (event.guild.id, event.guild.name) == (str(GROUP), "Tea House")
    assert (event.channel.id, event.channel.type) == (str(GROUP), ChannelType.TEXT)
    assert event.user.id == str(ANN) and event.user.name == "Ann Li"
    assert (event.user.username, event.user.is_bot, event.user.is_channel) == ("ann", False, False)
    assert event.user.locale == "zh" and event.locale == "zh"
    assert event.message.id == str(update["message"]["message_id"])
    assert event.message.text == "hello" and not event.message.forwarded
    assert event.message.created_at == event.timestamp
    assert isinstance(event.raw, Update) and event.member is None


def test_private_message_is_a_direct_channel_without_guild(tg):
    event = only(tg.user_says(BOB, BOB, "hi bot"))
    assert event.guild is None and event.is_direct
    assert event.channel == type(event.channel)(str(BOB), ChannelType.DIRECT, "Bob")
    assert event.locale == "en"


def test_locale_mapping(tg):
    tg.add_user(50, "NoLang", language_code=None)
    tg.add_user(51, "Tw", language_code="zh-TW")
    assert only(tg.user_says(GROUP, 50, "x")).locale is None
    assert only(tg.user_says(GROUP, 51, "x")).locale == "zh"
    assert only(tg.user_says(GROUP, BOB, "x")).locale == "en"


# Literal Bot API JSON. Offsets are UTF-16 code units: each emoji before an entity counts 2.
EMOJI_TEXT = "😀 hi @bobby, see docs: https://x.org and 🎉Ann!"
EMOJI_UPDATE = {
    "update_id": 900001,
    "message": {
        "message_id": 77,
        "date": NOW,
        "chat": {"id": GROUP, "type": "supergroup", "title": "Tea House"},
        "from": {"id": ANN, "is_bot": False, "first_name": "Ann", "language_code": "en"},
        "text": EMOJI_TEXT,
        "entities": [
            {"type": "mention", "offset": 6, "length": 6},
            {"type": "text_link", "offset": 18, "length": 4, "url": "https://docs.example/"},
            {"type": "url", "offset": 24, "length": 13},
            {
                "type": "text_mention",
                "offset": 44,
                "length": 3,
                "user": {"id": 99, "is_bot": False, "first_name": "Ann", "last_name": "Two"},
            },
        ],
    },
}


def test_entities_use_utf16_offsets():
    event = only(EMOJI_UPDATE)
    assert event.message.elements == (
        Mention("", "bobby"),
        Link("https://docs.example/", "docs"),
        Link("https://x.org", "https://x.org"),
        Mention("99", "Ann Two"),
    )


def test_utf16_slice_handles_astral_characters():
    assert utf16_slice("🎉🎉ab", 4, 2) == "ab"
    assert utf16_slice("a🎉b", 1, 2) == "🎉"


def test_fake_entities_are_utf16_too(tg):
    text = "👨‍👩‍👧 meet 🎉 Bob and @qunbot_test"
    entity = tg.entity(text, "Bob", "text_mention", user=BOB)
    event = only(
        tg.user_says(
            GROUP, ANN, text, entities=[entity, tg.entity(text, "@qunbot_test", "mention")]
        )
    )
    assert event.message.elements == (Mention(str(BOB), "Bob"), Mention("", "qunbot_test"))


def test_server_detected_entities(tg):
    event = only(tg.user_says(GROUP, ANN, "ask @someone at https://ex.org/😀 ok"))
    assert event.message.elements == (
        Mention("", "someone"),
        Link("https://ex.org/😀", "https://ex.org/😀"),
    )


def test_caption_is_text_and_caption_entities_are_elements(tg):
    caption = "🎉 see https://x.org"
    update = tg.user_says(GROUP, ANN, caption, photo=b"png")
    event = only(update)
    assert isinstance(event, MessageCreated)
    assert event.message.text == caption
    assert event.message.elements == (Link("https://x.org", "https://x.org"),)


def test_media_without_caption_is_still_a_message(tg):
    update = tg.user_says(GROUP, ANN, "x", photo=b"png")
    del update["message"]["caption"]
    update["message"].pop("caption_entities", None)
    assert only(update).message.text == ""


def test_reply_and_forwards(tg):
    first = tg.user_says(GROUP, BOB, "question")["message"]["message_id"]
    reply = only(tg.user_says(GROUP, ANN, "answer", reply_to=first))
    assert reply.message.reply_to == str(first)
    forwarded = only(tg.user_says(GROUP, ANN, "look", forward_origin=tg.forward_origin(BOB)))
    assert forwarded.message.forwarded and forwarded.user.id == str(ANN)


def test_service_messages_without_content_give_nothing(tg):
    update = tg.user_says(GROUP, ANN, "x")
    message = update["message"]
    del message["text"]
    message["pinned_message"] = {"message_id": 1, "date": 0, "chat": message["chat"]}
    assert convert(update) == []


def test_unhandled_update_types_give_nothing():
    channel = {"id": -1009, "type": "channel", "title": "News"}
    post = {"message_id": 1, "date": NOW, "chat": channel, "sender_chat": channel, "text": "hi"}
    assert convert({"update_id": 5, "channel_post": post}) == []
    assert convert({"update_id": 6, "message": post}) == []  # a channel is no guild


# -- commands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/checkin", ("checkin", "")),
        ("/CheckIn  a b  ", ("checkin", "a b")),
        ("/checkin@QunBot_Test extra", ("checkin", "extra")),
        ("/top@qunbot_test\n10", ("top", "10")),
        ("/checkin@other_bot", None),
        ("/checkin@other_bot args", None),
        ("/ checkin", None),
        ("hello /checkin", None),
        ("/checkin,now", None),
    ],
)
def test_split_command_on_telegram_texts(text, expected):
    assert split_command(text, "qunbot_test") == expected


def test_command_becomes_command_invoked(tg):
    update = tg.user_says(GROUP, ANN, "/Give@qunbot_test @bobby 10")
    event = only(update)
    assert isinstance(event, CommandInvoked)
    assert (event.name, event.text, event.options) == ("give", "@bobby 10", None)
    assert event.message.text == "/Give@qunbot_test @bobby 10"
    assert event.message.elements[-1] == Mention("", "bobby")
    assert event.user.id == str(ANN) and event.delivery_id == str(update["update_id"])


def test_command_for_another_bot_is_a_plain_message(tg):
    event = only(tg.user_says(GROUP, ANN, "/checkin@other_bot"))
    assert isinstance(event, MessageCreated) and event.message.text == "/checkin@other_bot"


def test_private_start_payload(tg):
    event = only(tg.user_starts(BOB, "form-abc"))
    assert isinstance(event, CommandInvoked) and event.is_direct
    assert (event.name, event.text) == ("start", "form-abc")


def test_forwarded_command_and_caption_command_do_not_run(tg):
    forwarded = tg.user_says(GROUP, ANN, "/checkin", forward_origin=tg.forward_origin(BOB))
    assert isinstance(only(forwarded), MessageCreated)
    assert isinstance(only(tg.user_says(GROUP, ANN, "/checkin", photo=True)), MessageCreated)


# -- edits and buttons -------------------------------------------------------------------------


def test_edit_becomes_message_updated_and_never_a_command(tg):
    message_id = tg.user_says(GROUP, ANN, "typo")["message"]["message_id"]
    event = only(tg.user_edits(GROUP, ANN, message_id, "/checkin", date=NOW + 30))
    assert isinstance(event, MessageUpdated)
    assert event.message.id == str(message_id) and event.message.text == "/checkin"
    assert event.message.edited_at == datetime.fromtimestamp(NOW + 30, UTC)
    assert event.timestamp == event.message.edited_at
    assert event.message.created_at == datetime.fromtimestamp(NOW, UTC)


def test_callback_query_becomes_button_clicked(tg):
    message = tg.bot_says(
        GROUP,
        "grab",
        reply_markup={"inline_keyboard": [[{"text": "🧧", "callback_data": "tok:xyz"}]]},
    )
    update = tg.user_clicks(GROUP, ANN, message["message_id"], "tok:xyz")
    received = datetime(2026, 1, 5, 9, 0, 3, tzinfo=UTC)
    event = only(update, received_at=received)
    assert isinstance(event, ButtonClicked)
    assert (event.button_id, event.message_id) == ("tok:xyz", str(message["message_id"]))
    assert event.interaction == update["callback_query"]["id"]
    assert event.user.id == str(ANN) and event.guild.id == str(GROUP)
    assert event.timestamp == received and event.locale == "zh"


# -- members -----------------------------------------------------------------------------------


def member_update(old: dict, new: dict, actor: int = ANN, user: int = ANN) -> dict:
    user_obj = {"id": user, "is_bot": False, "first_name": "Ann", "language_code": "zh"}
    return {
        "update_id": 700,
        "chat_member": {
            "chat": {"id": GROUP, "type": "supergroup", "title": "Tea House"},
            "from": {"id": actor, "is_bot": False, "first_name": "Actor"},
            "date": NOW,
            "old_chat_member": {"user": user_obj, **old},
            "new_chat_member": {"user": user_obj, **new},
        },
    }


LEFT = {"status": "left"}
MEMBER = {"status": "member"}
KICKED = {"status": "kicked", "until_date": 0}


def restricted(is_member: bool) -> dict:
    perms = dict.fromkeys(
        [
            "can_send_messages",
            "can_send_audios",
            "can_send_documents",
            "can_send_photos",
            "can_send_videos",
            "can_send_video_notes",
            "can_send_voice_notes",
            "can_send_polls",
            "can_send_other_messages",
            "can_add_web_page_previews",
            "can_change_info",
            "can_invite_users",
            "can_pin_messages",
            "can_manage_topics",
            "can_edit_tag",
            "can_react_to_messages",
        ],
        False,
    )
    return {"status": "restricted", "is_member": is_member, "until_date": 0, **perms}


def admin() -> dict:
    rights = dict.fromkeys(
        [
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_promote_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
        ],
        True,
    )
    return {"status": "administrator", "can_be_edited": False, "is_anonymous": False, **rights}


@pytest.mark.parametrize(
    ("old", "new", "actor", "expected"),
    [
        (LEFT, MEMBER, ANN, (MemberJoined, None)),
        (KICKED, MEMBER, ANN, (MemberJoined, None)),
        (restricted(False), restricted(True), ANN, (MemberJoined, None)),
        (LEFT, MEMBER, OWNER, (MemberJoined, "added")),
        (MEMBER, LEFT, ANN, (MemberLeft, False)),
        (MEMBER, KICKED, OWNER, (MemberLeft, True)),
        (restricted(True), LEFT, ANN, (MemberLeft, False)),
        (restricted(True), restricted(False), OWNER, (MemberLeft, True)),
        (MEMBER, restricted(True), OWNER, None),
        (MEMBER, admin(), OWNER, None),
        (LEFT, KICKED, OWNER, None),
    ],
)
def test_chat_member_transitions(old, new, actor, expected):
    events = convert(member_update(old, new, actor))
    if expected is None:
        assert events == []
        return
    [event] = events
    kind, detail = expected
    assert type(event) is kind
    assert event.user.id == str(ANN) and event.locale == "zh"
    assert event.timestamp == datetime.fromtimestamp(NOW, UTC)
    if kind is MemberLeft:
        assert event.removed is detail
        assert (event.operator is not None) is detail
    else:
        assert (event.operator is not None) is (detail == "added")


def test_service_join_messages_skip_the_bot_itself(tg):
    tg.add_user(60, "Cat")
    message = tg.user_joins(GROUP, ANN, via="service", by=OWNER)[0]
    message["message"]["new_chat_members"] += [
        {"id": int(BOT_ID), "is_bot": True, "first_name": "Qunbot"},
        {"id": 60, "is_bot": False, "first_name": "Cat"},
    ]
    events = convert(message)
    assert [type(e) for e in events] == [MemberJoined, MemberJoined]
    assert [e.user.id for e in events] == [str(ANN), "60"]
    assert all(e.operator.id == str(OWNER) for e in events)


def test_service_leave_messages(tg):
    tg.set_member(GROUP, ANN, "member")
    left = only(tg.user_leaves(GROUP, ANN, via="service")[0])
    assert isinstance(left, MemberLeft) and not left.removed
    tg.set_member(GROUP, BOB, "member")
    removed = only(tg.user_leaves(GROUP, BOB, via="service", by=OWNER)[0])
    assert removed.removed and removed.operator.id == str(OWNER)


def test_join_reported_twice_is_one_event_with_dedup(tg):
    updates = tg.user_joins(GROUP, ANN, via="both")
    assert len(updates) == 2
    without = [e for u in updates for e in convert(u)]
    assert [type(e) for e in without] == [MemberJoined, MemberJoined]
    dedup = JoinDeduplicator()
    events = [e for u in updates for e in convert(u, dedup=dedup)]
    assert [type(e) for e in events] == [MemberJoined]


def test_dedup_in_either_order_and_rejoin(tg):
    dedup = JoinDeduplicator()
    join = tg.user_joins(GROUP, ANN, via="both")
    leave = tg.user_leaves(GROUP, ANN, via="both")
    tg.now = lambda: NOW + 20
    rejoin = tg.user_joins(GROUP, ANN, via="both")
    ordered = [join[1], join[0], leave[0], leave[1], rejoin[1], rejoin[0]]
    events = [e for u in ordered for e in convert(u, dedup=dedup)]
    assert [type(e) for e in events] == [MemberJoined, MemberLeft, MemberJoined]


def test_dedup_rules():
    dedup = JoinDeduplicator()
    assert not dedup.seen(GROUP, ANN, "join", NOW)
    assert dedup.seen(GROUP, ANN, "join", NOW + 59)
    assert not dedup.seen(GROUP, BOB, "join", NOW)  # another user
    assert not dedup.seen(-5, ANN, "join", NOW)  # another chat
    assert not dedup.seen(GROUP, ANN, "leave", NOW + 10)
    assert dedup.seen(GROUP, ANN, "join", NOW + 5)  # stale report of the earlier join
    assert not dedup.seen(GROUP, ANN, "join", NOW + 30)  # a real rejoin
    assert not dedup.seen(GROUP, ANN, "join", datetime.fromtimestamp(NOW + 200, UTC))


def test_join_request(tg):
    event = only(tg.join_request(GROUP, BOB, bio="I brew oolong"))
    assert isinstance(event, JoinRequest)
    assert (event.bio, event.user.id, event.guild.id) == ("I brew oolong", str(BOB), str(GROUP))
    assert only(tg.join_request(GROUP, ANN)).bio == ""


def test_bot_added_and_removed(tg):
    tg.add_chat(-1005, "New Group", bot_status="left")
    tg.set_member(-1005, OWNER, "creator")
    added = tg.bot_added(-1005)
    events = [e for u in added for e in convert(u)]
    assert [type(e) for e in events] == [BotJoinedGuild]  # the service message names only us
    assert events[0].guild.id == "-1005" and events[0].operator.id == str(OWNER)
    removed = only(tg.bot_removed(-1005))
    assert isinstance(removed, BotLeftGuild) and removed.guild.name == "New Group"


def test_bot_blocked_in_private_is_not_a_guild_event(tg):
    assert convert(tg.user_blocks(BOB)) == []


# -- identities --------------------------------------------------------------------------------


def test_anonymous_admin_is_the_group_itself(tg):
    update = tg.anonymous_admin_says(GROUP, "/warn@qunbot_test 5")
    event = only(update)
    assert isinstance(event, CommandInvoked)
    assert event.user.id == str(GROUP) and event.user.name == "Tea House"
    assert event.user.is_channel and is_anonymous_admin(event)
    assert event.raw.update_id == update["update_id"]


def test_channel_identities_are_not_members(tg):
    post = only(tg.channel_post_in_group(GROUP, -1009, "promo"))
    assert post.user.id == "-1009" and post.user.is_channel and not post.message.forwarded
    assert not is_anonymous_admin(post)
    forward = only(tg.linked_forward(GROUP, -1008, "news"))
    assert forward.user.id == "-1008" and forward.user.is_channel and forward.message.forwarded
    assert not is_anonymous_admin(forward)
    assert not is_anonymous_admin(only(tg.user_says(GROUP, ANN, "hi")))


def test_stand_in_without_sender_chat_is_still_a_channel_identity(tg):
    update = tg.user_says(GROUP, 777000, "legacy")
    assert only(update).user.is_channel


def test_anonymous_admin_literal_json():
    update = {
        "update_id": 1,
        "message": {
            "message_id": 5,
            "date": NOW,
            "chat": {"id": GROUP, "type": "supergroup", "title": "Tea House"},
            "from": {
                "id": 1087968824,
                "is_bot": True,
                "first_name": "Group",
                "username": "GroupAnonymousBot",
            },
            "sender_chat": {"id": GROUP, "type": "supergroup", "title": "Tea House"},
            "text": "hello",
        },
    }
    event = only(update)
    assert (event.user.id, event.user.name, event.user.is_channel) == (
        str(GROUP),
        "Tea House",
        True,
    )
    assert is_anonymous_admin(event) and isinstance(event.raw, Update)


# -- migration ---------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["from_first", "to_first"])
def test_migration_in_both_orders(tg, order):
    tg.add_chat(-4001, "Small", type="group")
    tg.set_member(-4001, OWNER, "creator")
    updates = tg.migrate(-4001, -1004001, order=order)
    first = parse(updates[0]).message
    assert (first.migrate_from_chat_id is not None) is (order == "from_first")
    assert [convert(u) for u in updates] == [[GroupMigrated("-4001", "-1004001")]] * 2
