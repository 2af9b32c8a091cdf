"""``/broadcast edit ID TEXT``: the copies of a broadcast say TEXT instead, everywhere.

Asking writes the new text on the broadcast and marks every copy that exists or may still go
out (``edit_at``: when the edit was asked; ``next_at``: when to try), in one transaction. The
drain then edits each copy that was sent (paced and retried like a send), leader's button
included. A copy not sent yet goes out with the new text; one that goes out as the
platform's own copy of the HQ message (with the original's caption) is edited right after. A
copy in doubt has no message id: it cannot be edited, and if it is sent again (/broadcast
resend) it is edited then. Platforms edit a bot's own messages at any age; a copy with a
photo or file takes the text as its caption (Telegram: 1,024 characters).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot import PlatformError
from plugins.broadcast.content import Stored, from_text
from plugins.broadcast.models import PENDING, SENDING, SENT, UNKNOWN, Broadcast, Delivery, GroupLeader

if TYPE_CHECKING:
    from plugins.broadcast.service import Broadcasts

__all__ = ["EditAsked", "edit_copy", "edited_elements", "native_copy", "request_edit"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EditAsked:
    sent: int  # copies to edit now
    waiting: int  # copies not sent yet: they go out with the new text
    doubtful: int  # copies in doubt: no message to edit


def native_copy(broadcast: Broadcast, row: Delivery) -> bool:
    """Whether the group got the platform's own copy of the HQ message (same platform), not
    its text."""
    return bool(broadcast.source) and broadcast.source.get("platform") == row.platform


def edited_elements(old: Stored, text: str) -> Stored:
    """The new text, with the note of the original's media kept (other platforms' groups read
    ``[photo]`` under it, as they did)."""
    return [*from_text(text), *(item for item in old if item.get("t") == "media")]


async def request_edit(service: Broadcasts, broadcast_id: int, text: str) -> EditAsked | None:
    """The broadcast says ``text`` from now; its copies are marked for the drain. None when
    it is not a confirmed broadcast."""
    now = service.scope.now
    async with service.scope.transaction() as tx:
        db = tx.connection
        item = await Broadcast.filter(id=broadcast_id, status="confirmed").using_db(db).first()
        if item is None:
            return None
        # The summary is posted again once the copies are edited.
        await Broadcast.filter(id=broadcast_id).using_db(db).update(
            elements=edited_elements(item.elements, text), text=text, edited_at=now, reported_at=None,
        )
        copies = Delivery.filter(broadcast_id=broadcast_id)
        sent = await copies.filter(status=SENT).using_db(db).update(
            edit_at=now, next_at=now, attempts=0, edit_error=None
        )
        waiting = await copies.filter(status__in=[PENDING, SENDING]).using_db(db).update(
            edit_at=now, edit_error=None
        )
        doubtful = await copies.filter(status=UNKNOWN).using_db(db).update(edit_at=now, edit_error=None)
    return EditAsked(sent, waiting, doubtful)


async def edit_copy(service: Broadcasts, row: Delivery, leader: GroupLeader | None) -> bool:
    """Edit one sent copy to the broadcast's current text; True when the platform was asked."""
    scope, now = service.scope, service.scope.now
    broadcast = await Broadcast.get_or_none(id=row.broadcast_id)
    if broadcast is None or broadcast.edited_at is None or not row.message_id:
        await Delivery.filter(id=row.id).update(edit_at=None)
        return False
    if scope.adapter(row.platform) is None:
        # The platform is not running now: wait for it, without spending an attempt.
        await Delivery.filter(id=row.id).update(next_at=now + timedelta(seconds=60))
        return False
    info = await scope.roster.group_by_key(row.platform, row.guild_id)
    message = await service._message(broadcast, row, info, leader, editing=True)
    try:
        await scope.edit_message(row.platform, row.channel_id or "", row.message_id, message)
    except PlatformError as exc:
        reason = str(exc)[:300]
        log.warning("broadcast %s: copy in %s:%s not edited: %s", row.broadcast_id, row.platform,
                    row.guild_id, reason)
        attempts = row.attempts + 1
        if exc.retryable and attempts < service.config.max_attempts:
            delay = min(service.config.retry_seconds * 2 ** row.attempts, 3600)
            await Delivery.filter(id=row.id).update(
                next_at=now + timedelta(seconds=delay), attempts=attempts, edit_error=reason
            )
        else:  # given up, unless another edit was asked meanwhile
            await Delivery.filter(id=row.id, edit_at=row.edit_at).update(
                edit_at=None, attempts=attempts, edit_error=reason
            )
        return True
    # An edit asked after the text this copy now shows stays due.
    await Delivery.filter(id=row.id, edit_at__lte=broadcast.edited_at).update(
        edit_at=None, edited_at=now, edit_error=None
    )
    return True
