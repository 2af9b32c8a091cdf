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

import logging
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from bot.adapters.base import Host, PlatformError, SentMessage
from bot.commands import CommandSpec
from bot.events import ButtonClicked, CommandInvoked
from bot.message import Button, Outgoing, Text
from bot.permissions import PermissionLevel

__all__ = ["CALLBACK_PREFIX", "AnonymousAdmins", "AnonymousConfirmations", "PendingCommand"]

log = logging.getLogger(__name__)

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


class AnonymousAdmins:
    """Mixed into :class:`~bot.adapters.telegram.TelegramAdapter`, which provides ``host`` and
    the message actions (:class:`~bot.adapters.telegram.messages.MessageActions`)."""

    host: Host | None
    send: Callable[[str, Outgoing], Awaitable[SentMessage]]
    edit: Callable[[str, str, Outgoing], Awaitable[None]]
    answer_button: Callable[..., Awaitable[None]]

    def __init__(self) -> None:
        super().__init__()
        self._anonymous = AnonymousConfirmations()

    async def _ask_anonymous(self, event: CommandInvoked, spec: CommandSpec) -> None:
        assert self.host is not None and event.channel is not None
        data = self._anonymous.add(event, spec.name, self.host.clock.monotonic())
        locale = await self.host.locale_for(replace(event, user=None))
        catalog = self.host.catalog
        prompt = Outgoing(
            (Text(catalog.t("telegram.anonymous.prompt", locale, command=spec.name)),),
            buttons=((Button(catalog.t("telegram.anonymous.button", locale), "", id=data),),),
            reply_to=event.message.id if event.message else None,
        )
        await self.send(event.channel.id, prompt)

    async def _confirm_anonymous(self, press: ButtonClicked) -> None:
        assert self.host is not None and press.channel is not None and press.user is not None
        catalog = self.host.catalog
        pending = self._anonymous.get(press.button_id, press.channel.id, self.host.clock.monotonic())
        locale = await self.host.locale_for(press)
        if pending is None:
            await self.answer_button(press, catalog.t("bot.error.button_expired", locale), True)
            return
        confirmed = replace(pending.event, user=press.user, member=None, locale=press.locale)
        spec, _ = self.host.commands.resolve(confirmed.name, confirmed.text or "")
        allowed = spec is not None and await self.host.level_of(confirmed, spec.right) >= max(
            spec.level, PermissionLevel.ADMIN
        )
        if not allowed:
            text = catalog.t("telegram.anonymous.not_admin", locale, command=pending.command)
            await self.answer_button(press, text, True)
            return
        if self._anonymous.take(press.button_id) is None:  # pressed twice at once
            await self.answer_button(press, catalog.t("bot.error.button_expired", locale), True)
            return
        name = press.user.display_name
        text = catalog.t("telegram.anonymous.confirmed", locale, command=pending.command, name=name)
        await self.answer_button(press, text)
        if press.message_id is not None:
            try:
                await self.edit(press.channel.id, press.message_id, Outgoing((Text(text),)))
            except PlatformError as exc:
                log.debug("telegram: could not update the confirmation prompt: %s", exc)
        await self.host.dispatch(confirmed)
