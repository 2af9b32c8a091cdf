"""The broadcast queue (:class:`Broadcasts`): HQ, targets, drafts, and the delivery of copies.

Exactly once where the platform allows it, at most once where it does not: each (broadcast,
group) is one row (a unique key). Before a copy is sent its row is claimed (pending -> sending,
a conditional update with the claim time and this process's token); after the platform answers,
the message id is recorded (sending -> sent). A crash between the two leaves the row
``sending``. Each copy is sent with an idempotency key (its row id): Discord honours it (a
nonce it remembers for minutes), so there a fresh claim left by a crash, or a send that got no
answer, is simply sent again and Discord answers with the copy it already made. Telegram has no
such key: there, at the next start and whenever a claim is older than
``stale_after_seconds``, the row becomes ``unknown`` and is reported in HQ, never sent again
by itself (the operator looks at the group and may ``/broadcast resend``).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import OrderedDict
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import F, Q

from bot import Button, Capability, GroupInfo, GroupRef, Outgoing, PlatformError, Scope, Text
from plugins.broadcast.config import BroadcastConfig
from plugins.broadcast.content import Stored, buttons_of, to_content, to_elements
from plugins.broadcast.edits import edit_copy, native_copy
from plugins.broadcast.models import (
    CANCELLED,
    FAILED,
    PENDING,
    RECALL,
    RECALL_FAILED,
    RECALLED,
    SENDING,
    SENT,
    UNKNOWN,
    Broadcast,
    Delivery,
    GroupLeader,
    GroupTag,
    Headquarters,
)
from plugins.broadcast.outcome import classify
from plugins.broadcast.reports import Reports
from plugins.broadcast.schedules import Schedules, parse_hhmm

__all__ = ["Broadcasts", "next_local"]

log = logging.getLogger(__name__)
HQ = "hq"
BATCH = 200
# Messages of the HQ group remembered for a broadcast by reply.
REMEMBER = 500
# How long a copy in doubt may be sent again with the same key (Discord remembers a nonce for
# "a few minutes"): later it is reported as unknown like anywhere else.
IDEMPOTENT_WINDOW = timedelta(minutes=2)
# Seconds the HQ read from the database is trusted (Broadcasts.hq).
HQ_FRESH = 30.0


def next_local(now: datetime, at: time, tz: ZoneInfo) -> datetime:
    """The next ``at`` on the wall clock of ``tz`` after ``now`` (today or tomorrow)."""
    local = now.astimezone(tz)
    for days in (0, 1, 2):
        day = local.date() + timedelta(days=days)
        candidate = datetime.combine(day, at, tzinfo=tz)
        # A time skipped by a DST jump: zoneinfo places it an hour on; that is when it comes.
        if candidate.astimezone(ZoneInfo("UTC")) > now:
            return candidate.astimezone(ZoneInfo("UTC"))
    raise AssertionError("unreachable")


class Broadcasts:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.reports = Reports(scope)
        # This process's claims; a claim by another token at start-up is a crash's leftover.
        self.token = secrets.token_hex(8)
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._last_group: dict[tuple[str, str], float] = {}
        self._progress_at: dict[int, float] = {}
        # (platform, channel, message id) -> (stored elements, source) of a recent HQ message.
        self.recent: OrderedDict[tuple[str, str, str], tuple[Stored, dict[str, Any]]] = OrderedDict()
        self.schedules = Schedules(self)
        # Every group message asks "is this the HQ?": the answer is read once per HQ_FRESH
        # seconds (another bot process on the database may set it), at once after set_hq.
        self._hq: tuple[float, Headquarters | None] | None = None
        self._hq_changes = 0  # set_hq counts up: a read that overlapped a change is not kept

    @property
    def config(self) -> BroadcastConfig:
        return self.scope.config or BroadcastConfig()

    # -- HQ, tags, leaders ---------------------------------------------------------------------
    async def hq(self) -> Headquarters | None:
        now = self.scope.clock.monotonic()
        if self._hq is not None and now - self._hq[0] < HQ_FRESH:
            return self._hq[1]
        changes = self._hq_changes
        found = await Headquarters.filter(name=HQ).first()
        if changes == self._hq_changes:
            self._hq = (now, found)
        return found

    async def is_hq(self, group: GroupRef | None) -> bool:
        hq = await self.hq()
        return group is not None and hq is not None and (hq.platform, hq.guild_id) == (
            group.platform, group.key,
        )

    async def set_hq(self, group: GroupRef, actor: str) -> None:
        self._hq, self._hq_changes = None, self._hq_changes + 1
        await Headquarters.update_or_create(
            name=HQ,
            defaults={
                "platform": group.platform, "guild_id": group.key, "set_by": actor,
                "set_at": self.scope.now,
            },
        )
        # A message handled while the write ran may have read the old HQ: forget it again.
        self._hq, self._hq_changes = None, self._hq_changes + 1

    def remember(self, key: tuple[str, str, str], stored: Stored, source: dict[str, Any]) -> None:
        self.recent[key] = (stored, source)
        while len(self.recent) > REMEMBER:
            self.recent.popitem(last=False)

    async def tags_of(self, group: GroupRef) -> list[str]:
        return sorted(
            await GroupTag.filter(platform=group.platform, guild_id=group.key).values_list(
                "tag", flat=True
            )
        )

    async def known_tags(self) -> set[str]:
        return set(await GroupTag.all().distinct().values_list("tag", flat=True))

    async def targets(self, tags: list[str]) -> list[GroupInfo]:
        """Every active group but HQ; with tags, those carrying any of them."""
        hq = await self.hq()
        groups = [
            g for g in await self.scope.roster.groups()
            if hq is None or (g.ref.platform, g.ref.key) != (hq.platform, hq.guild_id)
        ]
        if not tags:
            return groups
        tagged = set(
            await GroupTag.filter(tag__in=tags).values_list("platform", "guild_id")
        )
        return [g for g in groups if (g.ref.platform, g.ref.key) in tagged]

    # -- drafts --------------------------------------------------------------------------------
    async def draft(
        self, group: GroupRef, author: str, stored: Stored, source: dict[str, Any] | None,
        text: str, tags: list[str], at: str | None, pin: bool,
    ) -> Broadcast:
        return await Broadcast.create(
            platform=group.platform, guild_id=group.key, author=author, elements=stored,
            source=source, text=text, tags=tags, at=at, pin=pin, created_at=self.scope.now,
        )

    async def confirm(self, broadcast_id: int) -> Broadcast | None:
        """Turn a draft into its queue: one row per target group, in one transaction. None
        when it was confirmed or cancelled already (a second press)."""
        now = self.scope.now
        async with self.scope.transaction() as tx:
            claimed = await Broadcast.filter(id=broadcast_id, status="draft").using_db(
                tx.connection
            ).update(status="confirmed", confirmed_at=now)
            if not claimed:
                return None
            broadcast = await Broadcast.get(id=broadcast_id).using_db(tx.connection)
            at = parse_hhmm(broadcast.at) if broadcast.at else None
            rows = []
            for info in await self.targets(list(broadcast.tags)):
                due = next_local(now, at, info.timezone) if at else now
                rows.append(
                    Delivery(
                        broadcast_id=broadcast_id, platform=info.ref.platform,
                        guild_id=info.ref.key, due_at=due, next_at=due,
                    )
                )
            await Delivery.bulk_create(rows, using_db=tx.connection)
            broadcast.targets = len(rows)
            await broadcast.save(update_fields=["targets"], using_db=tx.connection)
        return broadcast

    async def cancel(self, broadcast_id: int) -> int:
        """Cancel a draft, or the copies of a confirmed broadcast not yet sent; how many."""
        async with self.scope.transaction() as tx:
            await Broadcast.filter(id=broadcast_id, status="draft").using_db(tx.connection).update(
                status="cancelled"
            )
            return await Delivery.filter(broadcast_id=broadcast_id, status=PENDING).using_db(
                tx.connection
            ).update(status=CANCELLED)

    async def resend_unknown(self, broadcast_id: int) -> int:
        """The operator checked the groups: send the unknown copies (again)."""
        return await Delivery.filter(broadcast_id=broadcast_id, status=UNKNOWN).update(
            status=PENDING, next_at=self.scope.now, error=None, doubt_since=None
        )

    async def recall(self, broadcast_id: int) -> tuple[int, int, int]:
        """Delete the copies: those sent are queued for deletion, those not sent yet are
        cancelled. Returns (to delete, cancelled, in doubt: no message id to delete)."""
        now = self.scope.now
        async with self.scope.transaction() as tx:
            cancelled = await Delivery.filter(broadcast_id=broadcast_id, status=PENDING).using_db(
                tx.connection
            ).update(status=CANCELLED)
            asked = await Delivery.filter(
                broadcast_id=broadcast_id, status__in=[SENT, RECALL_FAILED]
            ).using_db(tx.connection).update(status=RECALL, next_at=now, attempts=0, error=None)
            doubtful = await Delivery.filter(
                broadcast_id=broadcast_id, status__in=[UNKNOWN, SENDING]
            ).using_db(tx.connection).count()
            # The summary is posted again once the copies are gone.
            await Broadcast.filter(id=broadcast_id).using_db(tx.connection).update(reported_at=None)
        return asked, cancelled, doubtful

    # -- recovery ------------------------------------------------------------------------------
    def _idempotent(self, platform: str) -> bool:
        adapter = self.scope.adapter(platform)
        return adapter is not None and adapter.supports(Capability.IDEMPOTENT)

    async def recover(self) -> int:
        """At start: claims of an earlier process never recorded. Sent again with the same key
        where the platform drops a repeat (recent claims on Discord), else unknown; returns
        how many became unknown."""
        unknown = 0
        safe_since = self.scope.now - IDEMPOTENT_WINDOW
        for row in await Delivery.filter(status=SENDING).exclude(claimed_by=self.token):
            if self._idempotent(row.platform) and row.claimed_at and row.claimed_at > safe_since:
                await Delivery.filter(id=row.id, status=SENDING).update(
                    status=PENDING, next_at=self.scope.now,
                    doubt_since=row.doubt_since or row.claimed_at,
                )
                continue
            unknown += await Delivery.filter(id=row.id, status=SENDING).update(
                status=UNKNOWN, error="claimed before a restart; maybe sent"
            )
        return unknown

    async def _expire_stale(self, now: datetime) -> None:
        limit = now - timedelta(seconds=self.config.stale_after_seconds)
        await Delivery.filter(status=SENDING, claimed_at__lt=limit).update(
            status=UNKNOWN, error="claimed and never recorded; maybe sent"
        )

    # -- delivery ------------------------------------------------------------------------------
    def start(self) -> None:
        """The drain worker, started with the bot: a task of its own rather than one of the
        event that confirmed a broadcast, so its sends are nobody's answer to that event."""
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.create_task(self._work(), name="broadcast drain")

    async def _work(self) -> None:
        while not self._stopping:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self.drain()
            except Exception:
                log.exception("broadcast: the drain failed; the minute job tries again")

    def kick(self) -> None:
        """Drain now (a broadcast confirmed, a recall asked), not at the next minute."""
        self._wake.set()

    async def run(self) -> None:
        """The job's run: due scheduled posts become copies, then a drain (after the one
        running, if any)."""
        await self.schedules.due()
        await self.drain()

    async def stop(self, grace: float = 10.0) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None and not self._task.done():
            try:
                await asyncio.wait_for(asyncio.shield(self._task), grace)
            except TimeoutError:
                self._task.cancel()

    async def drain(self) -> None:
        """Send what is due; a drain already running is waited for first (never two at once),
        so that when this returns everything due was tried."""
        async with self._lock:
            touched: set[int] = set()
            try:
                await self._drain(touched)
            finally:
                for broadcast_id in sorted(touched):
                    try:
                        await self.progress(broadcast_id, final=True)
                    except Exception:
                        log.exception("broadcast %s: progress not reported", broadcast_id)

    async def _drain(self, touched: set[int]) -> None:
        await self._expire_stale(self.scope.now)
        loop = asyncio.get_running_loop()
        gap = 1.0 / self.config.rate_per_second
        next_send = loop.time()
        for _batch in range(10_000):
            if self._stopping:
                return
            now = self.scope.now
            rows = await Delivery.filter(
                Q(status__in=[PENDING, RECALL], next_at__lte=now)
                | Q(status=SENT, edit_at__not_isnull=True, next_at__lte=now)
            ).order_by("next_at", "id").limit(BATCH)
            if not rows:
                return
            # Read once a batch, not once a copy: the broadcasts and the groups' leaders.
            ids = {row.broadcast_id for row in rows}
            broadcasts = {b.id: b for b in await Broadcast.filter(id__in=ids)}
            leaders = {
                (leader.platform, leader.guild_id): leader
                for leader in await GroupLeader.filter(guild_id__in={row.guild_id for row in rows})
            }
            for row in rows:
                if self._stopping:
                    return
                wait = max(next_send - loop.time(), self._group_wait(row, loop.time()))
                if wait > 0:
                    await asyncio.sleep(wait)
                # A fixed grid: a slow send (or oversleeping) is made up by the next ones going
                # sooner, so a thousand copies keep the rate; at most a fifth of a second is made
                # up, never a burst after a long stall.
                next_send = max(next_send + gap, loop.time() - 0.2)
                if row.status == RECALL:
                    acted = await self._recall(row)
                elif row.status == SENT:
                    acted = await edit_copy(self, row, leaders.get((row.platform, row.guild_id)))
                else:
                    broadcast = broadcasts[row.broadcast_id]
                    acted = await self._deliver(row, broadcast, leaders.get((row.platform, row.guild_id)))
                if acted:
                    self._last_group[(row.platform, row.guild_id)] = loop.time()
                touched.add(row.broadcast_id)
                await self.progress(row.broadcast_id, final=False)

    def _group_wait(self, row: Delivery, now: float) -> float:
        last = self._last_group.get((row.platform, row.guild_id))
        return 0.0 if last is None else last + self.config.group_gap_seconds - now

    async def _postpone(self, row: Delivery, status: str) -> None:
        # The platform is not running now: wait for it, without spending an attempt.
        await Delivery.filter(id=row.id, status=status).update(
            next_at=self.scope.now + timedelta(seconds=max(self.config.retry_seconds, 60))
        )

    async def _deliver(self, row: Delivery, broadcast: Broadcast, leader: GroupLeader | None) -> bool:
        """Send one copy if its claim succeeds; True when a send was attempted."""
        now = self.scope.now
        info = await self.scope.roster.group_by_key(row.platform, row.guild_id)
        adapter = self.scope.adapter(row.platform)
        if adapter is None:
            await self._postpone(row, PENDING)
            return False
        claimed = await Delivery.filter(id=row.id, status=PENDING).update(
            status=SENDING, claimed_at=now, claimed_by=self.token, attempts=F("attempts") + 1
        )
        if not claimed:
            return False  # cancelled meanwhile, or another process took it
        if info is None or not info.active:
            await self._settle(row.id, FAILED, error="the bot is no longer in this group")
            return False
        try:
            message = await self._message(broadcast, row, info, leader)
            sent = await self.scope.send_to(info.ref, message)
        except Exception as exc:
            await self._failed(row, exc)
            return True
        if sent is None:
            await self._settle(row.id, FAILED, error="no channel the bot may post in")
            return True
        await self._settle(
            row.id, SENT, channel_id=sent.channel_id, message_id=sent.message_id,
            sent_at=self.scope.now, error=None, attempts=0,
        )
        if broadcast.edited_at is not None and not native_copy(broadcast, row):
            # It went out with the edited text: an edit asked before that is done.
            await Delivery.filter(id=row.id, edit_at__lte=broadcast.edited_at).update(
                edit_at=None, edited_at=self.scope.now
            )
        if broadcast.pin:
            await self._pin(row, sent.channel_id, sent.message_id)
        return True

    async def _message(
        self, broadcast: Broadcast, row: Delivery, info: GroupInfo | None, leader: GroupLeader | None,
        *, editing: bool = False,
    ) -> Outgoing:
        """The copy: the HQ message copied (or its text where it cannot be), its URL buttons,
        the leader's "received" button; keyed by the row so that a repeat is recognised. For
        an edit, the text alone (a native copy keeps its photo or file: no note of it)."""
        locale = (info.locale if info else None) or await self.scope.group_locale(None)

        def media(kind: str) -> str:
            return self.scope.translate(locale, f"broadcast.media.{kind}")

        if editing:
            stored = broadcast.elements
            if native_copy(broadcast, row):
                stored = [item for item in stored if item.get("t") != "media"]
            message = Outgoing(tuple(to_elements(stored, media)))
        else:
            content = to_content(broadcast.elements, broadcast.source, media)
            message = Outgoing(content, key=f"qb{row.id}")
        rows = buttons_of(broadcast.source)
        if leader is not None and self.config.leader_button and broadcast.schedule_id is None:
            label = self.scope.translate(locale, "broadcast.received.button")
            rows.append([
                Button(label, "received", payload={"d": row.id},
                       only_user=f"{row.platform}:{leader.user_id}")
            ])
        return message.with_buttons(*rows) if rows else message

    async def _pin(self, row: Delivery, channel_id: str, message_id: str) -> None:
        adapter = self.scope.adapter(row.platform)
        error = None
        if adapter is None or not adapter.supports(Capability.PIN):
            error = "pinning is not available on this platform"
        else:
            try:
                await adapter.pin(channel_id, message_id)
            except PlatformError as exc:
                error = str(exc)[:300]
        if error:
            await Delivery.filter(id=row.id).update(pin_error=error)
        else:
            await Delivery.filter(id=row.id).update(pinned_at=self.scope.now, pin_error=None)

    async def _failed(self, row: Delivery, exc: BaseException) -> None:
        outcome = classify(exc, idempotent=self._idempotent(row.platform))
        reason = str(exc)[:300] or type(exc).__name__
        log.warning("broadcast %s: copy for %s:%s: %s (%s)", row.broadcast_id, row.platform,
                    row.guild_id, reason, outcome)
        now = self.scope.now
        doubt_since = row.doubt_since
        if isinstance(exc, PlatformError) and exc.maybe_sent and outcome == "retry":
            doubt_since = doubt_since or now
            if now - doubt_since >= IDEMPOTENT_WINDOW:
                outcome = "unknown"  # the platform may have forgotten the key by now
        if outcome == "unknown":
            await self._settle(row.id, UNKNOWN, error=reason)
            return
        attempts = row.attempts + 1
        if outcome == "final" or attempts >= self.config.max_attempts:
            await self._settle(row.id, FAILED, error=reason)
            return
        delay = min(self.config.retry_seconds * 2 ** (attempts - 1), 3600)
        if doubt_since is not None:
            delay = min(delay, IDEMPOTENT_WINDOW.total_seconds() / 4)
        await self._settle(
            row.id, PENDING, error=reason, next_at=now + timedelta(seconds=delay),
            doubt_since=doubt_since,
        )

    async def _settle(self, row_id: int, status: str, **values: Any) -> None:
        # Only this claim's row: a row someone marked unknown meanwhile stays so.
        await Delivery.filter(id=row_id, status=SENDING, claimed_by=self.token).update(
            status=status, **values
        )

    async def _recall(self, row: Delivery) -> bool:
        """Delete one copy (deleting twice is harmless: no claim is needed)."""
        adapter = self.scope.adapter(row.platform)
        if adapter is None:
            await self._postpone(row, RECALL)
            return False
        try:
            await adapter.delete(row.channel_id or "", row.message_id or "")
        except PlatformError as exc:
            reason = str(exc)[:300]
            if exc.retryable and row.attempts + 1 < self.config.max_attempts:
                delay = min(self.config.retry_seconds * 2 ** row.attempts, 3600)
                await Delivery.filter(id=row.id, status=RECALL).update(
                    attempts=row.attempts + 1, error=reason,
                    next_at=self.scope.now + timedelta(seconds=delay),
                )
            else:
                await Delivery.filter(id=row.id, status=RECALL).update(
                    status=RECALL_FAILED, error=reason
                )
            return True
        await Delivery.filter(id=row.id, status=RECALL).update(status=RECALLED, error=None)
        return True

    # -- reports -------------------------------------------------------------------------------
    async def progress(self, broadcast_id: int, *, final: bool) -> None:
        """Edit the live progress message in HQ (at most every few seconds); post the summary
        once when nothing is left to do. A scheduled post reports only its problems, in the
        group where it was scheduled."""
        loop_now = asyncio.get_running_loop().time()
        if not final:
            last = self._progress_at.get(broadcast_id)
            if last is not None and loop_now - last < self.config.progress_every_seconds:
                return
        self._progress_at[broadcast_id] = loop_now
        broadcast = await Broadcast.get_or_none(id=broadcast_id)
        if broadcast is None:
            return
        tally = await self.reports.tally(broadcast_id)
        home = await self.scope.roster.group_by_key(broadcast.platform, broadcast.guild_id)
        if home is None:
            return
        locale = await self.scope.group_locale(home.ref)
        adapter = self.scope.adapter(broadcast.platform)
        if broadcast.progress_message and adapter is not None:
            text = self.reports.progress_line(locale, broadcast, tally)
            try:
                await adapter.edit(
                    broadcast.progress_channel or home.ref.id, broadcast.progress_message,
                    Outgoing((Text(text),)),
                )
            except PlatformError as exc:
                log.info("broadcast %s: progress not edited: %s", broadcast_id, exc)
        if not (final and tally.done and tally.total):
            return
        if broadcast.schedule_id is not None and not (tally.failed or tally.unknown):
            return
        claimed = await Broadcast.filter(id=broadcast_id, reported_at=None).update(
            reported_at=self.scope.now
        )
        if claimed:
            await self.scope.send_to(home.ref, await self.reports.summary(locale, broadcast, tally))
