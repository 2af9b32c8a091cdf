"""Anonymous admins: a one-tap confirmation before their admin commands run.

An admin who posts anonymously speaks as the group itself (``from`` GroupAnonymousBot,
``sender_chat`` = the group), so Telegram hides which admin it is and which rights they hold.
Such a sender is never trusted as an admin by itself (``get_level`` gives MEMBER). Instead, when
it invokes a command that needs more than MEMBER, the adapter posts a button; the first real
admin who presses it, and who holds the level and right the command needs, becomes the
command's caller, exactly as if they had typed it (audit and permission checks see them).

Pending confirmations live in memory: after a restart the admin simply sends the command again.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass

from bot.events import CommandInvoked

__all__ = ["CALLBACK_PREFIX", "AnonymousConfirmations", "PendingCommand"]

# Never produced by the core's button tokens (urlsafe base64 has no ":").
CALLBACK_PREFIX = "anon:"


@dataclass(slots=True)
class PendingCommand:
    event: CommandInvoked
    command: str
    created: float


class AnonymousConfirmations:
    def __init__(self, lifetime: float = 600.0, max_pending: int = 1000) -> None:
        self.lifetime = lifetime
        self.max_pending = max_pending
        self._pending: OrderedDict[str, PendingCommand] = OrderedDict()

    def add(self, event: CommandInvoked, command: str, now: float) -> str:
        """Remember the command; returns the callback data of its confirmation button."""
        token = secrets.token_urlsafe(12)
        self._pending[token] = PendingCommand(event, command, now)
        while len(self._pending) > self.max_pending:
            self._pending.popitem(last=False)
        return CALLBACK_PREFIX + token

    def get(self, data: str, chat_id: str | None, now: float) -> PendingCommand | None:
        """The pending command of a button press in ``chat_id``; None when unknown, expired
        or pressed in another chat (a forged or copied payload)."""
        pending = self._pending.get(data.removeprefix(CALLBACK_PREFIX))
        if pending is None or now - pending.created > self.lifetime:
            return None
        channel = pending.event.channel
        if channel is None or channel.id != chat_id:
            return None
        return pending

    def take(self, data: str) -> PendingCommand | None:
        """Consume it: a second press (or a redelivered press) finds nothing."""
        return self._pending.pop(data.removeprefix(CALLBACK_PREFIX), None)
