"""What a Telegram message carries for spam detection: links with their visible words, @usernames,
URL buttons, via_bot, forward origin, media kind and caption. Literal Bot API JSON, parsed by
PTB's own ``Update.de_json`` as the adapter receives it."""

from __future__ import annotations

import copy

import pytest
from telegram import Update

from bot.adapters.telegram.convert import convert_update
from bot.events import (
    CommandInvoked,
    ForwardOrigin,
    MessageCreated,
    MessageLink,
    MessageUpdated,
)
from bot.testing.fake_telegram import FakeTelegramServer, utf16_len

BOT_ID = "123456"
GROUP = -1001234567890
ANN, INLINE_BOT = 42, 777
NOW = 1_767_600_000
CHAT = {"id": GROUP, "type": "supergroup", "title": "Tea House"}
ANN_JSON = {"id": ANN, "is_bot": False, "first_name": "Ann", "username": "ann"}


def message(**fields) -> dict:
    return {
        "update_id": 1000,
        "message": {"message_id": 5, "date": NOW, "chat": CHAT, "from": ANN_JSON, **fields},
    }


def only(data: dict):
    update = Update.de_json(copy.deepcopy(data), None)
    [event] = convert_update(update, self_id=BOT_ID, bot_username="qunbot_test")
    return event


def entity(text: str, part: str, kind: str, **extra) -> dict:
    """An entity over ``part`` of ``text``, offsets counted in UTF-16 as Telegram does."""
    start = text.index(part)
    return {"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(part), **extra}


def test_plain_message_carries_nothing_extra():
    msg = only(message(text="good morning")).message
    assert (msg.links, msg.usernames, msg.buttons) == ((), (), ())
    assert (msg.via_bot, msg.forward_origin, msg.media) == (None, None, None)


def test_hidden_link_behind_innocent_words():
    text = "the meeting notes are here, see you"
    url = "https://spam.example/join?ref=42"
    msg = only(message(text=text, entities=[entity(text, "here", "text_link", url=url)])).message
    assert msg.links == (MessageLink(url, "here"),)
    assert msg.text == text


def test_emoji_before_links_and_usernames_use_utf16_offsets():
    text = "🎉🎁 福利 👉 https://t.me/+AbCdEf 找 @seller_bot 或 😀点我"
    entities = [
        entity(text, "https://t.me/+AbCdEf", "url"),
        entity(text, "@seller_bot", "mention"),
        entity(text, "点我", "text_link", url="https://tg.example/x"),
        entity(text, "福利", "bold"),
    ]
    msg = only(message(text=text, entities=entities)).message
    assert msg.links == (
        MessageLink("https://t.me/+AbCdEf"),
        MessageLink("https://tg.example/x", "点我"),
    )
    assert msg.usernames == ("seller_bot",)


def test_full_width_url_is_left_as_written():
    # Normalising (NFKC, look-alikes) is the detector's job: the converter keeps the text's own
    # characters, so the detector sees what the spammer wrote.
    text = "加群 ｔ.ｍｅ/ｆｒｅｅ_ｍｏｎｅｙ 送红包"
    msg = only(message(text=text, entities=[entity(text, "ｔ.ｍｅ/ｆｒｅｅ_ｍｏｎｅｙ", "url")])).message
    assert msg.links == (MessageLink("ｔ.ｍｅ/ｆｒｅｅ_ｍｏｎｅｙ"),)


def test_url_without_scheme_is_kept_as_the_text_has_it():
    text = "docs at example.org/start."
    msg = only(message(text=text, entities=[entity(text, "example.org/start", "url")])).message
    assert msg.links == (MessageLink("example.org/start"),)


def test_text_mention_stays_a_mention_and_repeats_are_dropped():
    text = "ask Bob or @bobby or @bobby, see https://a.example and https://a.example"
    entities = [
        entity(text, "Bob", "text_mention", user={"id": 43, "is_bot": False, "first_name": "Bob"}),
        {**entity(text, "@bobby", "mention")},
        {"type": "mention", "offset": utf16_len(text[: text.rindex("@bobby")]), "length": 6},
        entity(text, "https://a.example", "url"),
        {"type": "url", "offset": utf16_len(text[: text.rindex("https")]), "length": 17},
    ]
    msg = only(message(text=text, entities=entities)).message
    assert msg.usernames == ("bobby",)
    assert msg.links == (MessageLink("https://a.example"),)


def test_url_buttons_of_an_inline_bot():
    keyboard = [
        [{"text": "🎁 领红包", "url": "https://t.me/+redpacket"}],
        [
            {"text": "Log in", "login_url": {"url": "https://login.example/auth"}},
            {"text": "Vote", "callback_data": "vote:1"},
        ],
        [{"text": "Open app", "web_app": {"url": "https://app.example/"}}],
    ]
    via = {"id": INLINE_BOT, "is_bot": True, "first_name": "Promo", "username": "promo_bot"}
    msg = only(
        message(text="Free gifts!", via_bot=via, reply_markup={"inline_keyboard": keyboard})
    ).message
    assert msg.via_bot == "promo_bot"
    assert msg.buttons == (
        MessageLink("https://t.me/+redpacket", "🎁 领红包"),
        MessageLink("https://login.example/auth", "Log in"),
        MessageLink("https://app.example/", "Open app"),
    )
    assert msg.links == ()  # buttons are not the text's links


CHANNEL = {"id": -1009999, "type": "channel", "title": "Free Money", "username": "freemoney"}


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        (
            {"type": "channel", "chat": CHANNEL, "message_id": 9, "date": NOW},
            ForwardOrigin("channel", "Free Money", "freemoney", "-1009999"),
        ),
        (
            {
                "type": "chat",
                "sender_chat": {"id": -1008888, "type": "supergroup", "title": "Deals"},
                "date": NOW,
            },
            ForwardOrigin("chat", "Deals", None, "-1008888"),
        ),
        (
            {
                "type": "user",
                "sender_user": {
                    "id": 55,
                    "is_bot": False,
                    "first_name": "Sam",
                    "last_name": "Lee",
                    "username": "samlee",
                },
                "date": NOW,
            },
            ForwardOrigin("user", "Sam Lee", "samlee", "55"),
        ),
        (
            {"type": "hidden_user", "sender_user_name": "Hidden Hank", "date": NOW},
            ForwardOrigin("hidden_user", "Hidden Hank"),
        ),
    ],
)
def test_forward_origin(origin, expected):
    msg = only(message(text="join us", forward_origin=origin)).message
    assert msg.forward_origin == expected and msg.forwarded


def test_captioned_photo_with_a_link_in_caption_entities():
    caption = "🔥 新人福利 详情看这里 @deals_cn"
    photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]
    caption_entities = [
        entity(caption, "看这里", "text_link", url="https://deals.example/cn"),
        entity(caption, "@deals_cn", "mention"),
    ]
    event = only(message(photo=photo, caption=caption, caption_entities=caption_entities))
    assert isinstance(event, MessageCreated)
    msg = event.message
    assert (msg.text, msg.media) == (caption, "photo")
    assert msg.links == (MessageLink("https://deals.example/cn", "看这里"),)
    assert msg.usernames == ("deals_cn",)


FILE = {"file_id": "f", "file_unique_id": "u"}
VIDEO = {**FILE, "width": 1, "height": 1, "duration": 1}


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({"photo": [{**FILE, "width": 1, "height": 1}]}, "photo"),
        ({"video": VIDEO}, "video"),
        ({"video_note": {**FILE, "length": 1, "duration": 1}}, "video"),
        # An animation also carries ``document`` for old clients: still an animation.
        ({"animation": VIDEO, "document": FILE}, "animation"),
        (
            {
                "sticker": {
                    **FILE,
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                    "is_video": False,
                    "type": "regular",
                }
            },
            "sticker",
        ),
        ({"voice": {**FILE, "duration": 1}}, "voice"),
        ({"audio": {**FILE, "duration": 1}}, "audio"),
        ({"document": {**FILE, "file_name": "offer.pdf"}}, "document"),
        ({"location": {"latitude": 1.0, "longitude": 2.0}}, None),
    ],
)
def test_media_kind(fields, kind):
    msg = only(message(**fields)).message
    assert msg.media == kind and msg.text == ""


def test_edited_message_carries_the_same():
    text = "edited: now with a link"
    update = {
        "update_id": 1001,
        "edited_message": {
            "message_id": 5,
            "date": NOW,
            "edit_date": NOW + 60,
            "chat": CHAT,
            "from": ANN_JSON,
            "text": text,
            "entities": [entity(text, "a link", "text_link", url="https://late.example/")],
            "reply_markup": {"inline_keyboard": [[{"text": "Go", "url": "https://go.example"}]]},
        },
    }
    event = only(update)
    assert isinstance(event, MessageUpdated)
    assert event.message.links == (MessageLink("https://late.example/", "a link"),)
    assert event.message.buttons == (MessageLink("https://go.example", "Go"),)


def test_edited_caption_carries_its_links():
    caption = "new caption https://c.example"
    update = {
        "update_id": 1002,
        "edited_message": {
            "message_id": 6,
            "date": NOW,
            "edit_date": NOW + 5,
            "chat": CHAT,
            "from": ANN_JSON,
            "document": FILE,
            "caption": caption,
            "caption_entities": [entity(caption, "https://c.example", "url")],
        },
    }
    msg = only(update).message
    assert (msg.text, msg.media, msg.links) == (caption, "document", (MessageLink("https://c.example"),))


def test_a_forced_link_preview_counts_as_a_link():
    text = "nice weather https://news.example/a"
    msg = only(
        message(
            text=text,
            entities=[entity(text, "https://news.example/a", "url")],
            link_preview_options={"url": "https://other.example/promo"},
        )
    ).message
    assert msg.links == (
        MessageLink("https://news.example/a"),
        MessageLink("https://other.example/promo"),
    )
    same = only(
        message(
            text=text,
            entities=[entity(text, "https://news.example/a", "url")],
            link_preview_options={"url": "https://news.example/a"},
        )
    ).message
    assert same.links == (MessageLink("https://news.example/a"),)


def test_a_command_message_carries_them_too():
    text = "/start https://x.example @helper_bot"
    entities = [
        entity(text, "/start", "bot_command"),
        entity(text, "https://x.example", "url"),
        entity(text, "@helper_bot", "mention"),
    ]
    event = only(message(text=text, entities=entities))
    assert isinstance(event, CommandInvoked)
    assert event.message.links == (MessageLink("https://x.example"),)
    assert event.message.usernames == ("helper_bot",)


def test_through_the_fake_server():
    tg = FakeTelegramServer(bot_username="qunbot_test", now=lambda: NOW)
    tg.add_chat(GROUP, "Tea House")
    tg.add_user(ANN, "Ann", "ann")
    tg.add_user(INLINE_BOT, "Promo", "promo_bot", is_bot=True)
    keyboard = {"inline_keyboard": [[{"text": "Join", "url": "https://t.me/promo"}]]}
    update = tg.user_says(
        GROUP, ANN, "hi @someone see https://x.example", via_bot=INLINE_BOT, reply_markup=keyboard
    )
    msg = only(update).message
    assert msg.via_bot == "promo_bot"
    assert msg.buttons == (MessageLink("https://t.me/promo", "Join"),)
    assert msg.links == (MessageLink("https://x.example"),)
    assert msg.usernames == ("someone",)
    forward = tg.user_says(GROUP, ANN, "fwd", forward_origin=tg.forward_origin(channel_id=-1005))
    origin = only(forward).message.forward_origin
    assert origin is not None and (origin.kind, origin.id) == ("channel", "-1005")
