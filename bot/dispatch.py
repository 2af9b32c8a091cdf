"""The event pipeline: roster -> filters -> commands / buttons -> handlers.

Each plugin's handler is isolated: an exception is logged with the plugin's name, the member
gets a short apology in their language (at most one per channel a minute, so a broken message
handler cannot flood a group), and every other plugin still sees the event.
"""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot import builtins
from bot.adapters.base import Capability, PlatformError
from bot.commands import ArgError, CommandSpec
from bot.context import Context
from bot.events import (
    AdapterOnline,
    BotLeftGuild,
    ButtonClicked,
    CommandInvoked,
    Event,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    MessageUpdated,
    User,
)
from bot.i18n import normalize_locale
from bot.message import Mention
from bot.permissions import PermissionLevel
from bot.plugin import Plugin
from bot.refs import GroupRef
from bot.runtime import HANDLING, SENT, Runtime
from bot.storage.faults import retrying
from bot.storage.models import ButtonToken, GuildSettings
from bot.text import clean

__all__ = ["Dispatcher"]

log = logging.getLogger(__name__)
APOLOGY_INTERVAL = 60.0
# Button tokens older than this are refused (and swept): a month-old menu must not act.
BUTTON_LIFETIME = timedelta(days=30)
BUTTON_TOKEN_MAX = 24  # ButtonToken.id max_length
# Once this many members have a command window, the idle ones are forgotten (the maps would
# otherwise keep every member who ever sent a command, for as long as the bot runs).
RATE_SWEEP_SIZE = 10_000


@dataclass(slots=True)
class _Progress:
    """How far the handling of one event got: a database error before any plugin handler
    ran retries the event from where it failed; after one ran, only that handler is retried
    (bot.storage.faults.retrying), the rest of the event goes on."""

    recorded: bool = False
    group: GroupRef | None = None
    handled: bool = False


_PROGRESS: ContextVar[_Progress | None] = ContextVar("qunbot_progress", default=None)


class Dispatcher:
    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._handlers: dict[tuple[type, bool], list[tuple[str, Any]]] = {}
        self._command_times: dict[str, deque[float]] = defaultdict(deque)
        self._warned_rate: dict[str, float] = {}
        self._apologized: dict[str, float] = {}
        self._rate_kept = 0  # members still in a window at the last sweep

    def _handlers_for(self, event_type: type, platform: str) -> list[tuple[str, Any]]:
        """Handlers of this event type; on a platform that withholds message content, plugins
        that read it (``needs_content``) are disarmed for messages."""
        blind = event_type in (MessageCreated, MessageUpdated) and not self._runtime.adapters[
            platform
        ].supports(Capability.MESSAGE_CONTENT)
        key = (event_type, blind)
        cached = self._handlers.get(key)
        if cached is None:
            cached = [
                (plugin.name, handler)
                for plugin in self._runtime.plugins.values()
                if not (blind and plugin.needs_content)
                for types, handler in plugin.handlers
                if issubclass(event_type, types)
            ]
            self._handlers[key] = cached
        return cached


    # -- the pipeline ----------------------------------------------------------------------------
    async def dispatch(self, event: Event) -> None:
        # No redelivery check here: the adapters recognise what they were sent again (Telegram
        # keeps which update ids were handled; Discord never resends a gateway message and each
        # interaction is answered once), and plugins' unique keys make a repeat harmless.
        event = clean(event)  # text from a platform, valid before it is stored (bot.text)
        log.debug("event %s %s %s", type(event).__name__, event.gid, event.uid)
        progress = _Progress()
        token = _PROGRESS.set(progress)
        handling = HANDLING.set(True)
        try:
            await retrying(
                lambda: self._pipeline(event, progress), f"{type(event).__name__} in {event.gid}",
                should_retry=lambda: not progress.handled,
            )
        except Exception:
            # The core's own work failed for good (the database is away): the member hears it,
            # the adapter goes on with the next update.
            log.exception("the core failed on %s in %s", type(event).__name__, event.gid)
            if isinstance(event, MessageCreated | CommandInvoked | ButtonClicked):
                await self._apologize(self._plain_context(event, progress.group))
        finally:
            HANDLING.reset(handling)
            _PROGRESS.reset(token)

    async def _pipeline(self, event: Event, progress: _Progress) -> None:
        if not progress.recorded:
            progress.group = await self._record(event)
            progress.recorded = True
        ctx = await self.context(event, progress.group)
        if event.user is None and isinstance(event, MessageCreated | MessageUpdated | CommandInvoked):
            # A message without a sender (Telegram: no ``from`` and no ``sender_chat``): the
            # group is recorded; no plugin is asked to act for nobody.
            log.info("%s without a sender in %s: not given to plugins", type(event).__name__, event.gid)
            return
        if isinstance(event, AdapterOnline):
            await self._runtime.sync_commands(event.platform)
        if await self._runtime.hooks.first("bot_event_filter", ctx=ctx) is False:
            return
        # No roster flush before a command: what it writes would be the activity of updates not
        # confirmed yet, counted again if they come back after a crash. Plugins read the roster
        # through RosterView, which adds what is pending (member) or writes it first (members).
        if isinstance(event, CommandInvoked):
            await self._command(ctx, event)
        elif isinstance(event, ButtonClicked):
            await self._button(ctx, event)
        for plugin_name, handler in self._handlers_for(type(event), event.platform):
            await self._guarded(ctx.for_plugin(plugin_name), handler, event)

    async def context(self, event: Event, group: GroupRef | None) -> Context:
        roster = self._runtime.roster
        settings = None
        if event.guild is not None:
            settings = await roster.settings(event.platform, event.guild.id, event.guild.name)
        return Context(
            self._runtime, "core", event, locale=await self._runtime.locale_for(event),
            timezone=roster.timezone_of(settings), group=group,
        )

    def _plain_context(self, event: Event, group: GroupRef | None) -> Context:
        """A context that needs no database (to apologise when it is away)."""
        bot = self._runtime.config.bot
        return Context(
            self._runtime, "core", event, locale=normalize_locale(event.locale) or bot.locale,
            timezone=self._runtime.roster.timezone_of(None), group=group,
        )

    async def _record(self, event: Event) -> GroupRef | None:
        """Update the roster from the event; returns the event's group. A database error is
        retried with the rest of the event by ``dispatch`` (a failed flush keeps the roster's
        pending activity; a repeat may count the message twice in ``message_count``)."""
        roster = self._runtime.roster
        if event.guild is None:
            return None
        if isinstance(event, BotLeftGuild):
            group = await roster.group(event.platform, event.guild.id, event.guild.name)
            await GuildSettings.filter(platform=event.platform, group_key=group.key).update(active=False)
            roster.forget_caches()
            return group
        group = await roster.group(event.platform, event.guild.id, event.guild.name)
        user = event.user
        if user is None or user.is_channel:
            return group
        if isinstance(event, MessageCreated | CommandInvoked) and not user.is_bot:
            # A command is a message too: Telegram and the console deliver "/checkin" only as
            # a command, and a member who speaks in commands alone is present and active.
            message = event.message
            if message is None or not message.forwarded or message.text:
                await roster.account(event.platform, user)
                await roster.seen_message(group, user, event.timestamp)
        elif isinstance(event, MemberJoined):
            await roster.account(event.platform, user)
            await roster.joined(group, user, event.timestamp)
        elif isinstance(event, MemberLeft):
            await roster.left(group, user, event.timestamp)
        return group

    async def _guarded(self, ctx: Context, handler: Any, *args: Any, **kwargs: Any) -> Exception | None:
        """Run one plugin's handler; returns the exception it raised, if any. A database error
        (bot.storage.faults) runs it again from its start on a fresh connection while it has
        sent nothing, a few times within seconds; then, like any failure, the member gets an
        apology."""
        progress = _PROGRESS.get()
        if progress is not None:
            progress.handled = True
        sent = [0]
        token = SENT.set(sent)
        try:
            await retrying(
                lambda: handler(ctx, *args, **kwargs), f"plugin {ctx.plugin}",
                should_retry=lambda: sent[0] == 0,
            )
            return None
        except PlatformError as exc:
            log.warning("plugin %s: platform refused: %s", ctx.plugin, exc)
            await self._say(ctx, ctx.t(exc.reason))
            return exc
        except Exception as exc:
            log.exception("plugin %s failed on %s", ctx.plugin, type(ctx.event).__name__)
            await self._apologize(ctx)
            return exc
        finally:
            SENT.reset(token)

    async def _apologize(self, ctx: Context) -> None:
        # A command or a button is answered to its member alone: each member hears once a
        # minute; in a channel, one apology a minute stands for everyone.
        channel = ctx.event.cid or ctx.event.uid or ""
        if isinstance(ctx.event, CommandInvoked | ButtonClicked):
            channel = f"{channel}:{ctx.event.uid}"
        now = self._runtime.clock.monotonic()
        if now - self._apologized.get(channel, -APOLOGY_INTERVAL) < APOLOGY_INTERVAL:
            return
        self._apologized[channel] = now
        await self._say(ctx, ctx.t("bot.error.internal"))

    async def _say(self, ctx: Context, text: str) -> None:
        try:
            if isinstance(ctx.event, ButtonClicked):
                await ctx.answer(text, alert=True)
            else:
                await ctx.reply(text, private=isinstance(ctx.event, CommandInvoked))
        except Exception:
            log.exception("could not tell the member about a failure")

    # -- commands --------------------------------------------------------------------------------
    async def _command(self, ctx: Context, event: CommandInvoked) -> None:
        spec, text = self._resolve(event)
        if spec is None:
            await self._no_such_command(ctx, event)
            return
        ctx = ctx.for_plugin(spec.plugin)
        if not await self._within_rate(ctx):
            return
        registry = self._runtime.commands
        name = " ".join(spec.localized_words(ctx.locale))  # as the reader calls it
        if spec.guild_only and event.guild is None:
            await ctx.reply(ctx.t("bot.error.guild_only", command=name))
            return
        if spec.private_only and not event.is_direct:
            if spec.hidden:
                return  # a hidden private word (/back, /skip) typed in a group: another bot's
            await ctx.reply(ctx.t("bot.error.private_only", command=name), private=True)
            return
        if not await self.allowed(ctx, spec):
            # One rule for every refusal (Context.refuse): in private, else a note in the group.
            await ctx.refuse(spec.level, name)
            return
        try:
            ctx.args = await self._parse(ctx, spec, event, text)
        except ArgError as exc:
            usage = ctx.t("bot.args.usage", usage=registry.usage(spec, ctx.locale))
            problem = ctx.t(exc.key, **registry.error_params(spec, exc, ctx.locale))
            await ctx.reply(f"{problem}\n{usage}", private=event.interaction is not None)
            return
        log.debug("command /%s by %s in %s", spec.name, event.uid, event.gid)
        error = await self._guarded(ctx, spec.handler, **ctx.args)
        if error is not None:
            await self._runtime.hooks.call("bot_command_error", ctx=ctx, command=spec, error=error)

    async def _no_such_command(self, ctx: Context, event: CommandInvoked) -> None:
        """``/积分`` alone (a parent of commands, not one itself) or a plugin's name
        (``/onboarding``): its commands, in a group and in private. Any other unknown name:
        "unknown command" in private, silence in a group (it may be another bot's)."""
        if event.options is None:
            menu = await builtins.sub_commands(ctx, event.name)
            if menu is not None:
                if await self._within_rate(ctx):
                    await ctx.reply(menu)
                return
        # Each answer is a send: a member repeating /nosuch in private is rate-limited too.
        if event.is_direct and await self._within_rate(ctx):
            await ctx.reply(ctx.t("bot.error.unknown_command", command=event.name))

    def _resolve(self, event: CommandInvoked) -> tuple[CommandSpec | None, str]:
        registry = self._runtime.commands
        if event.options is not None:
            sub = event.options.get("subcommand")
            name = f"{event.name} {sub}" if sub else event.name
            return registry.get(name), ""
        return registry.resolve(event.name, event.text or "")

    async def _parse(
        self, ctx: Context, spec: CommandSpec, event: CommandInvoked, text: str
    ) -> dict[str, Any]:
        registry = self._runtime.commands
        today = ctx.now.astimezone(ctx.timezone).date()  # the group's, for "昨天"
        if event.options is not None:
            return await registry.parse_options(spec, event.options, today=today)
        mentions = [e for e in (event.message.elements if event.message else ()) if isinstance(e, Mention)]

        async def resolve(handle: str) -> User | list[User] | None:
            # In a group, only its own members: a command acts on the group it is run in.
            if ctx.group is not None:
                return await self._runtime.roster.find_members(ctx.group, handle)
            return await self._runtime.roster.find_user(event.platform, None, handle)

        return await registry.parse_text(spec, text, mentions, resolve, today=today)

    async def allowed(self, ctx: Context, spec: CommandSpec) -> bool:
        verdict = await self._runtime.hooks.first("bot_check_permission", ctx=ctx, command=spec)
        if verdict is not None:
            return bool(verdict)
        if spec.level is PermissionLevel.MEMBER and spec.right is None:
            return True
        return await ctx.level(spec.right) >= spec.level

    async def _within_rate(self, ctx: Context) -> bool:
        """A sliding window per member; one warning per window, then silence."""
        key = ctx.event.uid or ""
        bot = self._runtime.config.bot
        now = self._runtime.clock.monotonic()
        if len(self._command_times) >= max(RATE_SWEEP_SIZE, 2 * self._rate_kept):
            self._forget_idle(now, bot.command_window)
        times = self._command_times[key]
        while times and now - times[0] >= bot.command_window:
            times.popleft()
        if len(times) < bot.command_rate:
            times.append(now)
            return True
        if now - self._warned_rate.get(key, -bot.command_window) >= bot.command_window:
            self._warned_rate[key] = now
            user = ctx.event.user
            name = user.display_name if user else ""
            await ctx.reply(ctx.t("bot.error.rate_limited", name=name), private=True)
        return False

    def _forget_idle(self, now: float, window: float) -> None:
        for key in [k for k, times in self._command_times.items() if not times or now - times[-1] >= window]:
            del self._command_times[key]
        for key in [k for k, at in self._warned_rate.items() if now - at >= window]:
            del self._warned_rate[key]
        self._rate_kept = len(self._command_times)

    # -- buttons ---------------------------------------------------------------------------------
    async def _button(self, ctx: Context, event: ButtonClicked) -> None:
        # A forged payload may be longer than any token id (the column would refuse the query).
        token = None
        if len(event.button_id) <= BUTTON_TOKEN_MAX:
            token = await ButtonToken.filter(id=event.button_id, platform=event.platform).first()
        if token is None or _expired(token.created_at, self._runtime.clock.now()) or (
            token.channel_id is not None
            and event.channel is not None
            and token.channel_id != event.channel.id
        ):
            await ctx.answer(ctx.t("bot.error.button_expired"), alert=True)
            return
        if token.only_user and token.only_user != event.uid:
            await ctx.answer(ctx.t("bot.error.button_not_yours"), alert=True)
            return
        plugin: Plugin | None = self._runtime.plugins.get(token.plugin)
        handler = plugin.buttons.get(token.action) if plugin else None
        if handler is None:
            await ctx.answer(ctx.t("bot.error.button_expired"), alert=True)
            return
        ctx = ctx.for_plugin(token.plugin)
        await self._guarded(ctx, handler, dict(token.payload))
        await ctx.answer()


def _expired(created: datetime, now: datetime) -> bool:
    return now - created.astimezone(UTC) > BUTTON_LIFETIME

