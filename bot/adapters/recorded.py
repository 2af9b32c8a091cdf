"""Events from a platform's own JSON of one message, converted exactly as the adapter converts a
live one, for tools that judge recorded messages offline (``qunbot ads check``). A plugin asks
this module, never a platform's library: platforms stop at the adapter."""

from __future__ import annotations

from typing import Any

from bot.events import Event

__all__ = ["events_from_recorded"]


def events_from_recorded(platform: str, data: dict[str, Any], *, self_id: str) -> list[Event]:
    """The events of a Telegram Bot API ``Message`` object or a Discord message payload
    (decoded JSON). Raises ValueError for another platform; the converters' own errors
    (KeyError, TypeError, ...) for a payload that is not a message."""
    # The platform libraries are imported only when a tool asks, as the adapters import them.
    if platform == "telegram":
        from bot.adapters.telegram.convert import message_from_json

        return [e for e in message_from_json(data, self_id=self_id) if isinstance(e, Event)]
    if platform == "discord":
        from bot.adapters.discord.convert import message_from_payload

        event = message_from_payload(data, self_id)
        return [event] if event is not None else []
    raise ValueError(f"unknown platform {platform!r}")
