"""The outbox: channel messages that wait for the platform's flood limit without holding up the
handling of later updates, kept in the database until they are sent.

Why: Telegram lets a bot post about 20 messages a minute in one group. When sixty members check
in within a minute, the forty replies past the limit would each keep their chat's lane waiting
(and every update behind them unhandled and unconfirmed). Instead, while an event is being
handled, a message whose channel has no free slot now (or already has messages waiting, so the
order holds) is written here and the handler goes on; one worker per channel sends them in
order, at the platform's pace, and deletes each row once the platform took it. A restart sends
what was left (:meth:`Outbox.resume`).

Exactly once, as far as a platform allows: a row is deleted right after its send returns, so
only a crash in that instant sends a message again at the next start, and where the platform
honours an idempotency key (Discord's nonce) not even then: each row is sent with its own. A send the platform
refuses for good (the bot was removed, the channel is gone) is kept with ``failed`` set, for
the operator, and swept by the housekeeping job after :data:`FAILED_KEPT`; one the adapter
marks ``retryable`` (the platform was away) is tried again with backoff until
:data:`RETRY_FOR` has passed.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import logging
from collections import deque
from datetime import timedelta
from typing import Any

from bot import message as elements
from bot.adapters.base import Adapter, Capability, PlatformError
from bot.clock import Clock
from bot.message import Button, Outgoing
from bot.storage.faults import retrying
from bot.storage.models import OutboxMessage

__all__ = ["FAILED_KEPT", "RETRY_FOR", "Outbox", "decode", "encode"]

log = logging.getLogger(__name__)
# A message the platform keeps refusing as "try again" is given up after this long.
RETRY_FOR = timedelta(minutes=30)
RETRY_FIRST, RETRY_MAX = 2.0, 60.0
# Refused messages stay this long for the operator to read (bot.builtins housekeeping).
FAILED_KEPT = timedelta(days=7)
# At stop, a send under way may finish within this many seconds (else it is sent again later).
STOP_GRACE = 5.0


class Outbox:
    def __init__(self, clock: Clock, adapters: dict[str, Adapter]) -> None:
        self._clock = clock
        self._adapters = adapters
        self._queues: dict[tuple[str, str], deque[int]] = {}
        self._workers: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._stopping = False

    def waiting(self, platform: str, channel_id: str) -> bool:
        """Messages to this channel are queued: a new one goes behind them."""
        return bool(self._queues.get((platform, channel_id)))

    async def put(self, platform: str, channel_id: str, message: Outgoing, plugin: str) -> None:
        """Keep ``message`` durably and queue it for sending."""
        row = await OutboxMessage.create(
            platform=platform, channel_id=channel_id, plugin=plugin, content=encode(message),
            created_at=self._clock.now(),
        )
        self._queue(platform, channel_id, row.id)

    async def resume(self) -> int:
        """Queue what a previous run left unsent (for the platforms running now)."""
        self._stopping = False
        rows = await OutboxMessage.filter(failed=None).order_by("id").values_list(
            "id", "platform", "channel_id"
        )
        for row_id, platform, channel_id in rows:
            if platform in self._adapters:
                self._queue(platform, channel_id, row_id)
        if rows:
            log.info("outbox: %d message(s) left by the last run are being sent", len(rows))
        return len(rows)

    async def drain(self) -> None:
        """Wait until every queued message was sent or given up (tests, the console)."""
        while self._workers:
            await asyncio.wait(set(self._workers.values()))

    async def stop(self) -> None:
        """Stop sending: a send under way may finish (briefly); the rest stays for next time."""
        self._stopping = True
        workers = list(self._workers.values())
        if workers:
            _, late = await asyncio.wait(workers, timeout=STOP_GRACE)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        self._queues.clear()

    # -- sending ---------------------------------------------------------------------------------
    def _queue(self, platform: str, channel_id: str, row_id: int) -> None:
        key = (platform, channel_id)
        self._queues.setdefault(key, deque()).append(row_id)
        if key not in self._workers and not self._stopping:
            self._workers[key] = asyncio.create_task(self._work(key), name=f"outbox-{platform}-{channel_id}")

    async def _work(self, key: tuple[str, str]) -> None:
        queue = self._queues[key]
        try:
            while queue and not self._stopping:
                await self._send(queue[0])
                queue.popleft()
        except Exception:
            # The database is away for longer than retrying waits: the rows stay for next start.
            log.exception("outbox: sending to %s stopped", key[1])
        finally:
            del self._workers[key]
            if not queue:
                self._queues.pop(key, None)

    async def _send(self, row_id: int) -> None:
        row = await retrying(lambda: OutboxMessage.get_or_none(id=row_id), "an outbox message")
        if row is None:
            return
        refused = await self._try(row)
        if refused is None:
            await retrying(lambda: OutboxMessage.filter(id=row_id).delete(), "an outbox message")
        else:
            log.warning("outbox: message %s to %s not sent: %s", row.id, row.channel_id, refused)
            await retrying(
                lambda: OutboxMessage.filter(id=row_id).update(failed=refused[:500]), "an outbox message"
            )

    async def _try(self, row: OutboxMessage) -> str | None:
        """Send one stored message; returns why the platform refused it for good, or None."""
        adapter = self._adapters[row.platform]
        message = decode(row.content)
        if message.key is None:
            # Where the platform honours it (a Discord nonce), a send repeated after a crash or
            # a lost answer is not shown twice.
            message = message.replace(key=f"outbox-{row.id}")
        repeatable = adapter.supports(Capability.IDEMPOTENT)
        pause = RETRY_FIRST
        while True:
            try:
                await adapter.send(row.channel_id, message)
                return None
            except PlatformError as exc:
                given_up = self._clock.now() - row.created_at >= RETRY_FOR
                doubled = exc.maybe_sent and not repeatable  # again could show it twice
                if not exc.retryable or doubled or given_up or self._stopping:
                    return str(exc)
                log.warning("outbox: %s refused for now, again in %.0f s: %s", row.channel_id, pause, exc)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX)


# -- the stored form of a message --------------------------------------------------------------
def encode(message: Outgoing) -> dict[str, Any]:
    """``message`` as JSON: each element by its class name in :mod:`bot.message`."""
    stored = _fields(message)
    stored["elements"] = [_element(e) for e in message.elements]
    stored["buttons"] = [[_fields(b) for b in row] for row in message.buttons]
    return stored


def decode(stored: dict[str, Any]) -> Outgoing:
    values = dict(stored)
    values["elements"] = tuple(_from_element(e) for e in stored["elements"])
    values["buttons"] = tuple(tuple(Button(**b) for b in row) for row in stored["buttons"])
    return Outgoing(**values)


def _element(element: Any) -> dict[str, Any]:
    return {"type": type(element).__name__, **_fields(element)}


def _fields(obj: Any) -> dict[str, Any]:
    out = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, bytes):
            value = {"base64": base64.b64encode(value).decode()}
        out[f.name] = value
    return out


def _from_element(stored: dict[str, Any]) -> Any:
    cls = getattr(elements, stored["type"])
    values = {
        name: base64.b64decode(value["base64"]) if isinstance(value, dict) and "base64" in value else value
        for name, value in stored.items()
        if name != "type"
    }
    return cls(**values)
