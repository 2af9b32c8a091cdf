"""Inbound updates of the Telegram adapter: fetched by the adapter, handled in per-chat lanes,
confirmed to Telegram only once handled.

Long polling: the adapter asks ``getUpdates`` (PTB's ``Bot.get_updates``) for a batch, puts
each update in its chat's lane (lanes run side by side, so a group whose replies wait on its
flood limit never delays another group), waits until every update of the batch is handled (at
most :data:`BATCH_WAIT`), makes the redelivery state durable, and only then asks for the next
batch: that request's offset is what confirms the batch to Telegram. An update still running
after the wait keeps the offset at or below it, so it is never confirmed unhandled; Telegram
sends it and those after it again, and the ones already handled are skipped.

Redelivery without a database query per update: Telegram's update ids increase, and a restart
can only get again what came after the last confirmed offset. The adapter keeps a watermark
(every id up to it is handled) and the set of handled ids above it (lanes finish out of order),
and writes them in one row (the core's sync state, keyed by the bot's id) once per batch,
before the batch is confirmed. At start it reads them back and skips any update already
handled. Telegram keeps an unconfirmed update 24 hours and, after a week without updates,
numbers new ones from a random point: a state older than :data:`REDELIVERY_WINDOW` is ignored.

Webhook mode: the adapter's own small HTTP server answers Telegram's POST only after the
update is handled and the state is durable (concurrent answers share one write); an update not
handled within :data:`BATCH_WAIT` is answered 503, so Telegram sends it again.

An update PTB cannot parse is logged once, counted (``malformed_updates``), marked handled and
so confirmed: it is never fetched in a loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from telegram import Bot, Update
from telegram.error import TelegramError, TimedOut
from telegram.ext import Application

from bot.adapters.base import Host
from bot.adapters.telegram.anonymous import CALLBACK_PREFIX
from bot.adapters.telegram.convert import (
    ALLOWED_UPDATES,
    PLATFORM,
    GroupMigrated,
    JoinDeduplicator,
    convert_update,
    is_anonymous_admin,
)
from bot.commands import CommandSpec
from bot.config import TelegramSection
from bot.events import BotJoinedGuild, ButtonClicked, CommandInvoked, Event
from bot.permissions import PermissionLevel
from bot.tally import delivery

__all__ = ["BATCH_WAIT", "REDELIVERY_WINDOW", "Intake"]

log = logging.getLogger(__name__)
# How long a batch (or a webhook request) waits for its updates before the adapter moves on
# without confirming the ones still running.
BATCH_WAIT = 10.0
# Telegram keeps an unconfirmed update this long: older handled ids cannot come again.
REDELIVERY_WINDOW = timedelta(hours=24)
# Webhook mode has no batches: at most this many handled ids are kept above the watermark.
WEBHOOK_KEPT = 1000
# Pause after a failed getUpdates (doubling up to the maximum).
RETRY_FIRST, RETRY_MAX = 1.0, 30.0


class Intake:
    """Mixed into :class:`~bot.adapters.telegram.TelegramAdapter`, which provides ``host``,
    ``config``, ``self_id``, ``username``, ``bot`` and the handlers an update may lead to:
    member level caches (:class:`~bot.adapters.telegram.members.MemberActions`), callback
    queries (:class:`~bot.adapters.telegram.messages.MessageActions`), anonymous admins
    (:class:`~bot.adapters.telegram.anonymous.AnonymousAdmins`) and group checks
    (:class:`~bot.adapters.telegram.checks.GroupChecks`)."""

    host: Host | None
    config: TelegramSection
    self_id: str
    username: str
    application: Application | None
    bot: Bot
    _forget_levels: Callable[[Update], None]
    _forget_group: Callable[[str], None]
    _remember_query: Callable[[str, str, str], None]
    _confirm_anonymous: Callable[[ButtonClicked], Awaitable[None]]
    _ask_anonymous: Callable[[CommandInvoked, CommandSpec], Awaitable[None]]
    _check_group: Callable[[str], Awaitable[list[str]]]

    def __init__(self) -> None:
        super().__init__()
        self._dedup = JoinDeduplicator()
        self._lanes: dict[str, deque[tuple[Update, asyncio.Future[None]]]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._migration_lock = asyncio.Lock()
        # Redelivery state: every id <= watermark is handled, plus ``_handled`` above it.
        self._watermark = 0
        self._handled: set[int] = set()
        self._order: deque[int] = deque()  # polling: ids above the watermark, as received
        self._advanced_at: datetime | None = None
        self._inflight: dict[int, asyncio.Future[None]] = {}
        self._changes = self._saved = 0
        self._save_lock = asyncio.Lock()
        self._offset = 0  # the next getUpdates offset: confirms every id below it
        self._poller: asyncio.Task[None] | None = None
        self._webhook: web.AppRunner | None = None
        self._webhook_secret = ""
        self._stopping = False
        self._stuck_logged: set[int] = set()
        self.batch_wait = BATCH_WAIT
        self.malformed_updates = 0

    # -- start and stop ----------------------------------------------------------------------------
    @property
    def _state_key(self) -> str:
        return f"telegram:updates:{self.self_id}"

    async def _start_intake(self) -> None:
        """Read the redelivery state back, then poll or open the webhook."""
        assert self.host is not None
        self._stopping = False
        await self._load_state()
        allowed = list(ALLOWED_UPDATES)
        if self.config.mode == "polling":
            await self.bot.delete_webhook()
            self._poller = asyncio.create_task(self._poll(allowed), name="telegram-poll")
            return
        # Telegram repeats the secret on every request; requests without it are refused (403).
        self._webhook_secret = self.config.webhook_secret or secrets.token_urlsafe(32)
        app = web.Application()
        app.router.add_post("/" + self.config.webhook_path.strip("/"), self._on_webhook)
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        self._webhook = runner
        await web.TCPSite(runner, self.config.webhook_listen, self.config.webhook_port).start()
        await self.bot.set_webhook(
            url=self.config.webhook_url, allowed_updates=allowed, secret_token=self._webhook_secret
        )

    async def _stop_intake(self, wait: float) -> None:
        """Stop fetching, let the lanes finish within ``wait`` seconds, make what was handled
        durable; what is left stays unconfirmed and comes again after a restart."""
        self._stopping = True
        poller, self._poller = self._poller, None
        if poller is not None:
            poller.cancel()
            await asyncio.gather(poller, return_exceptions=True)
        try:
            async with asyncio.timeout(wait):
                await self.drain()
        except TimeoutError:
            log.warning("telegram: %d update(s) left unhandled at stop", len(self._inflight))
            for lane in set(self._tasks):
                lane.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        try:
            await self._persist()
        except Exception:
            log.exception("telegram: could not save which updates were handled")
        runner, self._webhook = self._webhook, None
        if runner is not None:
            await runner.cleanup()

    async def drain(self) -> None:
        """Wait until the lanes have handled every update received so far (``stop`` does; the
        test kit after the fake saw the updates confirmed)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    # -- long polling ------------------------------------------------------------------------------
    async def _poll(self, allowed: Sequence[str]) -> None:
        pause = RETRY_FIRST
        while True:
            try:
                batch = await self._fetch(allowed)
            except TimedOut:
                continue  # a long poll that outlived its read timeout: ask again
            except TelegramError as exc:
                log.warning("telegram: polling failed, retrying in %.0f s: %s", pause, exc)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX)
                continue
            except Exception:
                log.exception("telegram: polling failed, retrying in %.0f s", pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX)
                continue
            pause = RETRY_FIRST
            if not batch:
                continue
            try:
                self._offset = await self.handle_batch(batch)
            except Exception:
                # Nothing of the batch is confirmed (the state could not be saved): it comes again.
                log.exception("telegram: a batch of updates failed; it will be fetched again")
                await asyncio.sleep(RETRY_FIRST)

    async def _fetch(self, allowed: Sequence[str]) -> list[Update] | list[Any]:
        """One ``getUpdates``: the offset confirms every update below it. When PTB cannot parse
        the batch, the same batch is fetched again raw, to be parsed one update at a time."""
        params: dict[str, Any] = {
            "offset": self._offset or None,
            "timeout": self.config.poll_timeout,
            "allowed_updates": list(allowed),
        }
        try:
            return list(await self.bot.get_updates(**params))
        except TelegramError:
            raise
        except Exception:
            log.warning("telegram: PTB could not parse a batch; parsing it update by update")
        with warnings.catch_warnings():  # PTB suggests get_updates, which parses the batch whole
            warnings.simplefilter("ignore")
            raw = await self.bot.do_api_request("getUpdates", api_kwargs={**params, "timeout": 0})
        return list(raw or [])

    async def handle_batch(self, batch: Iterable[Update | Any]) -> int:
        """Handle one batch of ``getUpdates`` (parsed updates or raw dicts): each new update to
        its lane, wait for them (at most ``batch_wait``), save the state. Returns the offset
        that confirms what is handled: the first update still running, else after the last."""
        ids: list[int] = []
        waits: list[asyncio.Future[None]] = []
        for item in batch:
            uid = item.update_id if isinstance(item, Update) else _raw_id(item)
            if uid is None:
                self._malformed(item, None)
                continue
            self._fresh(uid)
            ids.append(uid)
            if uid > (self._order[-1] if self._order else self._watermark):
                self._order.append(uid)
            future = self._admit(uid, item)
            if future is not None:
                waits.append(future)
        if waits:
            await asyncio.wait(waits, timeout=self.batch_wait)
        await self._persist()
        for uid in ids:
            if not self._seen(uid):
                if uid not in self._stuck_logged:
                    self._stuck_logged.add(uid)
                    log.warning("telegram: update %s still running; not confirmed yet", uid)
                return uid
        return max(ids) + 1 if ids else self._offset

    # -- webhook -----------------------------------------------------------------------------------
    async def _on_webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not secrets.compare_digest(given.encode(), self._webhook_secret.encode()):
            return web.Response(status=403)
        if self._stopping:
            return web.Response(status=503)
        try:
            raw = await request.json()
        except (ValueError, UnicodeDecodeError):
            return web.Response(status=400)
        uid = _raw_id(raw)
        if uid is None:
            self._malformed(raw, None)
            return web.Response()
        self._fresh(uid)
        future = self._admit(uid, raw)
        if future is not None:
            await asyncio.wait([future], timeout=self.batch_wait)
            if not self._seen(uid):
                return web.Response(status=503)  # not handled (yet): Telegram sends it again
        await self._persist()
        return web.Response()

    # -- the redelivery state ----------------------------------------------------------------------
    def _seen(self, uid: int) -> bool:
        return uid <= self._watermark or uid in self._handled

    def _fresh(self, uid: int) -> None:
        """After :data:`REDELIVERY_WINDOW` without a handled update nothing handled can come
        again: an id at or below the watermark then means Telegram numbered updates anew."""
        assert self.host is not None
        if not self._seen(uid) or self._advanced_at is None:
            return
        if self.host.clock.now() - self._advanced_at <= REDELIVERY_WINDOW:
            return
        log.info("telegram: update ids start again at %s", uid)
        self._watermark, self._advanced_at = uid - 1, None
        self._handled.clear()
        self._order.clear()
        self._changes += 1

    def _admit(self, uid: int, item: Update | Any) -> asyncio.Future[None] | None:
        """Queue a new update in its chat's lane; None when it needs no waiting for."""
        if self._seen(uid):
            return None
        future = self._inflight.get(uid)
        if future is not None:
            return future  # sent again while its lane still runs it
        if isinstance(item, Update):
            update = item
        else:
            try:
                update = Update.de_json(item, self.bot)
            except Exception as exc:
                self._malformed(item, exc)
                self._done(uid)
                return None
        future = asyncio.get_running_loop().create_future()
        self._inflight[uid] = future
        self._enqueue(update, future)
        return future

    def _malformed(self, raw: Any, exc: Exception | None) -> None:
        self.malformed_updates += 1
        what = raw.get("update_id") if isinstance(raw, dict) else type(raw).__name__
        log.error("telegram: skipping an update that cannot be parsed (%s): %s", what, exc or "no id")

    def _done(self, uid: int) -> None:
        assert self.host is not None
        self._handled.add(uid)
        self._stuck_logged.discard(uid)
        self._advanced_at = self.host.clock.now()
        self._changes += 1
        order = self._order
        while order and (order[0] in self._handled or order[0] <= self._watermark):
            self._watermark = max(self._watermark, order.popleft())
            self._handled.discard(self._watermark)
        if len(self._handled) > WEBHOOK_KEPT and self.config.mode == "webhook":
            for old in sorted(self._handled)[: len(self._handled) - WEBHOOK_KEPT]:
                self._handled.discard(old)
                self._watermark = max(self._watermark, old)

    async def _load_state(self) -> None:
        assert self.host is not None
        raw = await self.host.load_state(self._state_key)
        if not raw:
            return
        try:
            state = json.loads(raw)
            at = datetime.fromisoformat(state["at"])
            watermark, handled = int(state["watermark"]), {int(i) for i in state["handled"]}
        except (ValueError, KeyError, TypeError):
            log.warning("telegram: ignoring an unreadable update state")
            return
        if self.host.clock.now() - at > REDELIVERY_WINDOW:
            return  # nothing handled then can come again
        self._watermark, self._handled, self._advanced_at = watermark, handled, at
        self._offset = watermark + 1 if watermark else 0

    async def _persist(self) -> None:
        """Make the state durable; callers that changed it while a write ran share the next."""
        assert self.host is not None
        wanted = self._changes
        async with self._save_lock:
            if self._saved >= wanted or self._advanced_at is None:
                return
            changes = self._changes
            state = {
                "watermark": self._watermark,
                "handled": sorted(self._handled),
                "at": self._advanced_at.isoformat(),
            }
            await self.host.save_state(self._state_key, json.dumps(state))
            self._saved = changes

    # -- lanes -------------------------------------------------------------------------------------
    def _enqueue(self, update: Update, future: asyncio.Future[None]) -> None:
        chat = update.effective_chat
        key = str(chat.id) if chat is not None else ""
        lane = self._lanes.get(key)
        if lane is not None:
            lane.append((update, future))
            return
        lane = self._lanes[key] = deque([(update, future)])
        task = asyncio.create_task(self._drain(key, lane))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self, key: str, lane: deque[tuple[Update, asyncio.Future[None]]]) -> None:
        try:
            while lane:
                update, future = lane[0]
                await self._process(update)
                lane.popleft()
                self._inflight.pop(update.update_id, None)
                self._done(update.update_id)
                if not future.done():
                    future.set_result(None)
        finally:
            self._lanes.pop(key, None)
            for update, future in lane:  # cancelled at stop: left unhandled and unconfirmed
                self._inflight.pop(update.update_id, None)
                future.cancel()

    async def _process(self, update: Update) -> None:
        assert self.host is not None
        # What the update counts is written when its batch is confirmed (bot.tally); if it is
        # cancelled here (at stop), it is not confirmed and neither are its counts.
        with delivery():
            await self._convert_and_handle(update)

    async def _convert_and_handle(self, update: Update) -> None:
        assert self.host is not None
        try:
            self._forget_levels(update)
            items = convert_update(
                update,
                self_id=self.self_id,
                bot_username=self.username,
                dedup=self._dedup,
                received_at=self.host.clock.now(),
            )
            for item in items:
                if isinstance(item, GroupMigrated):
                    await self._migrate(item.old_id, item.new_id)
                else:
                    await self._handle(item)
        except Exception:
            log.exception("telegram: update %s failed", update.update_id)

    async def _handle(self, event: Event) -> None:
        assert self.host is not None
        if isinstance(event, ButtonClicked):
            assert event.channel is not None and event.user is not None
            self._remember_query(str(event.interaction), event.channel.id, event.user.id)
            if event.button_id.startswith(CALLBACK_PREFIX):
                await self._confirm_anonymous(event)
                return
        if isinstance(event, CommandInvoked) and is_anonymous_admin(event):
            spec, _ = self.host.commands.resolve(event.name, event.text or "")
            if spec is not None and (spec.level > PermissionLevel.MEMBER or spec.right):
                await self._ask_anonymous(event, spec)
                return
        await self.host.dispatch(event)
        if isinstance(event, BotJoinedGuild) and event.guild is not None:
            await self._check_group(event.guild.id)

    async def _migrate(self, old_id: str, new_id: str) -> None:
        """Both service messages of one upgrade (in either order, maybe redelivered) re-key
        once: the core's claim row decides; the lock keeps two lanes from racing to it."""
        assert self.host is not None
        async with self._migration_lock:
            if await self.host.migrate_guild(PLATFORM, old_id, new_id):
                log.info("telegram: group %s is now supergroup %s", old_id, new_id)
        self._forget_group(old_id)


def _raw_id(raw: Any) -> int | None:
    uid = raw.get("update_id") if isinstance(raw, dict) else None
    return uid if isinstance(uid, int) and not isinstance(uid, bool) else None
