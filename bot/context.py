"""The Context handed to every handler: the event, replies, translations, config, services."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from bot.adapters.base import Adapter, PlatformError, SentMessage
from bot.events import ButtonClicked, CommandInvoked, Event, MessageCreated
from bot.message import Content, Mention, Outgoing, Text, as_outgoing
from bot.permissions import PermissionLevel

if TYPE_CHECKING:
    from bot.app import App

__all__ = ["Context"]

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(slots=True)
class Context:
    app: App
    event: Event
    locale: str
    timezone: ZoneInfo
    plugin: str = "core"
    args: dict[str, Any] = field(default_factory=dict)
    _level: dict[str | None, PermissionLevel] = field(default_factory=dict)
    _answered: list[bool] = field(default_factory=lambda: [False])

    def for_plugin(self, name: str) -> Context:
        return replace(self, plugin=name)

    # -- what is known ---------------------------------------------------------------------------
    @property
    def bot(self) -> Adapter:
        return self.app.adapter(self.event.platform)

    @property
    def platform(self) -> str:
        return self.event.platform

    @property
    def config(self) -> Any:
        """This plugin's validated config section."""
        return self.app.plugin_config(self.plugin)

    @property
    def now(self) -> datetime:
        return self.app.clock.now()

    @property
    def local_time(self) -> datetime:
        """When the event happened, in the group's timezone (the platform's timestamp)."""
        return self.event.timestamp.astimezone(self.timezone)

    @property
    def user_key(self) -> str | None:
        return self.event.uid

    @property
    def guild_id(self) -> str | None:
        return self.event.guild.id if self.event.guild else None

    def service(self, cls: type[T]) -> T:
        return self.app.service(cls, requested_by=self.plugin)

    def t(self, key: str, /, **params: Any) -> str:
        return self.app.catalog.t(key, self.locale, **params)

    def mention(self, notify: bool = False) -> Mention:
        user = self.event.user
        assert user is not None
        return Mention(user.id, user.display_name, notify)

    async def level(self, right: str | None = None) -> PermissionLevel:
        """The caller's level in this group (bot owners from config are OWNER everywhere)."""
        if right not in self._level:
            self._level[right] = await self.app.level_of(self.event, right)
        return self._level[right]

    # -- answering -------------------------------------------------------------------------------
    async def reply(self, content: Content, *, private: bool = False) -> SentMessage | None:
        """Answer the event: in its channel (quoting the command), as an ephemeral interaction
        reply on Discord, or in private chat when ``private`` (falling back to the channel with
        a note when the member cannot be reached privately)."""
        message = as_outgoing(content)
        event = self.event
        interaction = getattr(event, "interaction", None)
        if interaction is not None and not self._answered[0]:
            self._answered[0] = True
            return await self.app.deliver_interaction(self, interaction, message.replace(ephemeral=private))
        if private and not event.is_direct and event.user is not None:
            try:
                return await self.app.deliver_private(self.platform, event.user.id, message, self.plugin)
            except PlatformError as exc:
                if exc.reason != "bot.error.dm_closed":
                    raise
                note = self.t("bot.error.dm_closed", name=event.user.display_name)
                return await self.send(Outgoing((Text(note),)))
        if isinstance(event, MessageCreated | CommandInvoked) and message.reply_to is None:
            source = event.message if isinstance(event, MessageCreated) else event.message
            if source is not None:
                message = message.replace(reply_to=source.id)
        return await self.send(message)

    async def send(self, content: Content, channel_id: str | None = None) -> SentMessage | None:
        """Post in the event's channel (or ``channel_id``) without quoting anything."""
        target = channel_id or (self.event.channel.id if self.event.channel else None)
        if target is None:
            log.warning("%s: nowhere to send for %s", self.plugin, type(self.event).__name__)
            return None
        return await self.app.deliver(self.platform, target, as_outgoing(content), self.plugin)

    async def send_private(self, user_id: str, content: Content) -> SentMessage:
        return await self.app.deliver_private(self.platform, user_id, as_outgoing(content), self.plugin)

    async def answer(self, text: str = "", alert: bool = False) -> None:
        """Acknowledge a button press with a short toast."""
        if isinstance(self.event, ButtonClicked) and not self._answered[0]:
            self._answered[0] = True
            await self.bot.answer_button(self.event, text, alert)

    async def audit(self, action: str, target: str | None = None, **detail: Any) -> None:
        await self.app.audit(self.event, self.plugin, action, target, detail)
