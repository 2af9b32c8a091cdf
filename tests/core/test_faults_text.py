"""Lone UTF-16 surrogates and NUL in every string a platform sends, and a message without a
sender: stored valid, answered, no assert (issue 18, item 7)."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from bot import Channel, CommandInvoked, Guild, Message, MessageCreated, User
from bot.adapters.telegram.convert import message_from_json
from bot.storage.models import Account, GuildSettings, RosterMember
from bot.text import clean, clean_text
from plugins.checkin.models import CheckIn
from plugins.points.maintenance import find_mismatches

CONFIG = {"plugins": {"points": {"announce_level_up": False}}}
BAD = "\ud800"


def _valid(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def test_clean_text():
    assert clean_text(f"Zed{BAD}") == "Zed\ufffd"
    assert clean_text("\udc00x\ud83d") == "\ufffdx\ufffd"
    assert clean_text("\ud83d\ude00") == "😀"  # a pair is one character
    assert clean_text("a\x00b") == "ab"
    same = "签到 ok"
    assert clean_text(same) is same
    # One UTF-16 unit for one: Telegram's entity offsets still point at the same words.
    assert len(clean_text(f"a{BAD}b").encode("utf-16-le")) == 6


def test_clean_walks_an_event_and_keeps_what_is_valid():
    event = MessageCreated(
        platform="console", self_id="q", timestamp=Message("1", "").created_at or _now(),
        guild=Guild("g", f"G{BAD}"), channel=Channel("g"), user=User("u", f"N{BAD}", username=f"u{BAD}"),
        message=Message("1", f"hi{BAD}", usernames=(f"x{BAD}",)),
    )
    cleaned = clean(event)
    assert cleaned.guild.name == "G\ufffd" and cleaned.user.name == "N\ufffd"
    assert cleaned.user.username == "u\ufffd" and cleaned.message.text == "hi\ufffd"
    assert cleaned.message.usernames == ("x\ufffd",)
    fine = replace(event, guild=Guild("g", "G"), user=User("u", "N"), message=Message("1", "hi"))
    assert clean(fine) is fine


def _now():
    from datetime import UTC, datetime

    return datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_recorded_telegram_messages_are_cleaned_for_the_offline_tools():
    # Live updates are cleaned once by the core's dispatch (the fake test below); `qunbot ads
    # check` converts recorded messages without it, so its converter cleans them itself.
    data = {
        "message_id": 5, "date": 1772413200,
        "chat": {"id": -100123, "type": "supergroup", "title": f"G{BAD}"},
        "from": {"id": 42, "is_bot": False, "first_name": f"Zed{BAD}", "last_name": "\x00",
                 "username": "zed"},
        "text": "/checkin \udc00",
    }
    [event] = message_from_json(data, self_id="1", bot_username="qb")
    strings = [event.guild.name, event.channel.name, event.user.name, event.message.text]
    assert all(_valid(s) for s in strings), strings
    assert event.user.name.startswith("Zed")


def _event(cls, user: User | None, words: str, number: int, **more):
    at = _now()
    return cls(
        platform="console", self_id="qunbot", timestamp=at, guild=Guild("lobby", f"lobby{BAD}"),
        channel=Channel("lobby"), user=user, message=Message(str(number), words, created_at=at), **more,
    )


@pytest.mark.plugins("checkin")
@pytest.mark.bot_config(CONFIG)
async def test_a_member_named_with_a_lone_surrogate_is_recorded_and_answered(fake, caplog):
    caplog.set_level(logging.ERROR)
    zed = User(id="zed", name=f"Zed{BAD}", username=f"zed{BAD}")
    fake.clock.set(_now())
    await fake.app.dispatch(_event(CommandInvoked, zed, "/checkin", 1, name="checkin", text=""))
    await fake.app.dispatch(_event(MessageCreated, zed, f"hello {BAD}\x00", 2))
    await fake.app.flush()
    assert await CheckIn.filter(user_id="zed").exists()
    assert any("Zed\ufffd" in o.text for o in fake.outputs)
    assert (await Account.get(platform="console", user_id="zed")).name == "Zed\ufffd"
    assert (await RosterMember.get(user_id="zed")).message_count >= 1
    assert _valid((await GuildSettings.get(platform="console", guild_id="lobby")).name)
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await find_mismatches() == []


@pytest.mark.plugins("checkin", "stats", "inactive", "autoreply")
@pytest.mark.bot_config(CONFIG)
async def test_a_group_message_without_a_sender_asserts_nowhere(fake, caplog):
    caplog.set_level(logging.ERROR)
    await fake.app.dispatch(_event(MessageCreated, None, "签到", 1))
    await fake.app.dispatch(_event(CommandInvoked, None, "/checkin", 2, name="checkin", text=""))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not await CheckIn.all().exists()
    # The member who does have a sender is handled as usual afterwards.
    await fake.app.dispatch(_event(MessageCreated, User("amy", "Amy"), "签到", 3))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
