"""A recorded platform message (one line of JSON) as the event the bot would see, through the
adapters' own converters: a Telegram Bot API ``Message`` object, or a Discord message object
(``content``, ``embeds``, ``components``, ...) when the line has ``"platform": "discord"``.

Fields a pasted message often lacks (the chat, the sender, the date, ids) are filled with
neutral values, so ``{"text": "hi"}`` is a message from an ordinary member in a group. The
converters are imported when first needed: a plugin never imports a platform library itself,
and loading the ads plugin does not load both clients.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot import events_from_recorded
from bot.events import Event

__all__ = ["BadLine", "SELF_ID", "to_event"]

SELF_ID = "1"
NEUTRAL_GROUP = -1000000000001
NEUTRAL_MEMBER = 2
# Telegram's stand-in sender of a message posted as a channel (its sender_chat says which).
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
DISCORD_GUILD, DISCORD_CHANNEL = "100000000000000001", "100000000000000002"


class BadLine(ValueError):
    """A line that is not a message object; the text says what is wrong."""


def to_event(line: str, number: int, now: datetime | None = None) -> Event | None:
    """The event the line's message becomes (None: the platform reports no message here,
    e.g. a service message or the bot's own)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise BadLine("not a JSON object")
    when = now or datetime.now(UTC)
    platform = data.pop("platform", "telegram")
    try:
        if platform == "discord":
            return _discord(data, number, when)
        if platform == "telegram":
            return _telegram(data, number, when)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadLine(f"not a {platform} message object ({type(exc).__name__}: {exc})") from None
    raise BadLine(f"unknown platform {platform!r} (telegram or discord)")


def _telegram(data: dict[str, Any], number: int, now: datetime) -> Event | None:
    data.setdefault("message_id", number)
    data.setdefault("date", int(now.timestamp()))
    data.setdefault("chat", {"id": NEUTRAL_GROUP, "type": "supergroup", "title": ""})
    if "from" not in data:
        data["from"] = (
            CHANNEL_BOT
            if "sender_chat" in data
            else {"id": NEUTRAL_MEMBER, "is_bot": False, "first_name": "member"}
        )
    events = events_from_recorded("telegram", data, self_id=SELF_ID)
    return next((e for e in events if hasattr(e, "message")), None)


def _discord(data: dict[str, Any], number: int, now: datetime) -> Event | None:
    defaults: dict[str, Any] = {
        "id": str(number),
        "guild_id": DISCORD_GUILD,
        "channel_id": DISCORD_CHANNEL,
        "type": 0,
        "content": "",
        "author": {"id": str(NEUTRAL_MEMBER), "username": "member", "discriminator": "0", "avatar": None},
        "timestamp": now.isoformat(),
        "edited_timestamp": None,
        "attachments": [],
        "embeds": [],
        "components": [],
        "mentions": [],
        "mention_roles": [],
        "pinned": False,
        "mention_everyone": False,
        "tts": False,
    }
    for key, value in defaults.items():
        data.setdefault(key, value)
    return next(iter(events_from_recorded("discord", data, self_id=SELF_ID)), None)
