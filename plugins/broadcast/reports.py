"""What HQ reads about a broadcast: the tally of its copies, the progress line, the summary with
failures and their reasons, pins, recalls, and the leaders who have not confirmed."""

from __future__ import annotations

from dataclasses import dataclass

from bot import Scope
from plugins.broadcast.models import (
    CANCELLED,
    FAILED,
    RECALL,
    RECALL_FAILED,
    RECALLED,
    SENT,
    UNKNOWN,
    Broadcast,
    Delivery,
    GroupLeader,
)

__all__ = ["Reports", "Tally"]

# Problem lines in one summary; the rest is counted.
MAX_LINES = 20


@dataclass(slots=True)
class Tally:
    total: int = 0
    sent: int = 0
    failed: int = 0
    unknown: int = 0
    waiting: int = 0
    cancelled: int = 0
    leaders: int = 0
    confirmed: int = 0
    pinned: int = 0
    pin_failed: int = 0
    recalling: int = 0
    recalled: int = 0
    recall_failed: int = 0
    editing: int = 0
    edited: int = 0
    edit_failed: int = 0

    @property
    def done(self) -> bool:
        return self.waiting == 0 and self.recalling == 0 and self.editing == 0

    @property
    def delivered(self) -> int:
        """Copies that reached their group (recalled ones included)."""
        return self.sent + self.recalling + self.recalled + self.recall_failed


class Reports:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    async def tally(self, broadcast_id: int) -> Tally:
        tally = Tally()
        rows = await Delivery.filter(broadcast_id=broadcast_id).values(
            "platform", "guild_id", "status", "confirmed_at", "pinned_at", "pin_error", "edit_at",
            "edited_at", "edit_error",
        )
        leaders = set(await GroupLeader.all().values_list("platform", "guild_id"))
        counters = {
            SENT: "sent", FAILED: "failed", UNKNOWN: "unknown", CANCELLED: "cancelled",
            RECALL: "recalling", RECALLED: "recalled", RECALL_FAILED: "recall_failed",
        }
        for row in rows:
            tally.total += 1
            name = counters.get(row["status"], "waiting")
            setattr(tally, name, getattr(tally, name) + 1)
            if row["status"] == SENT:
                if row["edit_at"] is not None:
                    tally.editing += 1
                elif row["edit_error"] is not None:
                    tally.edit_failed += 1
                elif row["edited_at"] is not None:
                    tally.edited += 1
                tally.pinned += row["pinned_at"] is not None
                tally.pin_failed += row["pin_error"] is not None
                if (row["platform"], row["guild_id"]) in leaders:
                    tally.leaders += 1
                    tally.confirmed += row["confirmed_at"] is not None
        return tally

    def progress_line(self, locale: str, broadcast: Broadcast, tally: Tally) -> str:
        line = self.scope.translate(
            locale, "broadcast.progress", id=broadcast.id, sent=tally.delivered,
            total=tally.total, failed=tally.failed, unknown=tally.unknown, waiting=tally.waiting,
        )
        if tally.recalling or tally.recalled or tally.recall_failed:
            line += "\n" + self.scope.translate(
                locale, "broadcast.recall.progress", recalled=tally.recalled,
                failed=tally.recall_failed, waiting=tally.recalling,
            )
        if broadcast.edited_at is not None:
            line += "\n" + self.scope.translate(
                locale, "broadcast.edit.progress", edited=tally.edited, failed=tally.edit_failed,
                waiting=tally.editing,
            )
        return line

    async def summary(self, locale: str, broadcast: Broadcast, tally: Tally) -> str:
        """The progress line, then leaders, pins, cancellations, and each problem by group."""
        t = self.scope.translate
        lines = [self.progress_line(locale, broadcast, tally)]
        if tally.leaders:
            lines.append(t(locale, "broadcast.status.leaders", confirmed=tally.confirmed,
                           leaders=tally.leaders))
        if broadcast.pin and tally.sent:
            lines.append(t(locale, "broadcast.status.pinned", pinned=tally.pinned, sent=tally.sent))
        if tally.cancelled:
            lines.append(t(locale, "broadcast.status.cancelled", count=tally.cancelled))
        problems = await Delivery.filter(
            broadcast_id=broadcast.id, status__in=[FAILED, UNKNOWN, RECALL_FAILED]
        ).order_by("id").limit(MAX_LINES)
        pins = []
        if broadcast.pin:
            pins = await Delivery.filter(
                broadcast_id=broadcast.id, status=SENT, pin_error__not_isnull=True
            ).order_by("id").limit(MAX_LINES)
        for row in [*problems, *pins]:
            key = {
                FAILED: "failed_line", UNKNOWN: "unknown_line", RECALL_FAILED: "recall_failed_line",
            }.get(row.status, "pin_failed_line")
            reason = row.pin_error if key == "pin_failed_line" else row.error
            group = await self.group_name(row.platform, row.guild_id)
            lines.append(t(locale, f"broadcast.status.{key}", group=group, reason=reason or "?"))
        if tally.edit_failed:
            unedited = await Delivery.filter(
                broadcast_id=broadcast.id, status=SENT, edit_at=None, edit_error__not_isnull=True
            ).order_by("id").limit(MAX_LINES)
            for row in unedited:
                group = await self.group_name(row.platform, row.guild_id)
                lines.append(t(locale, "broadcast.status.edit_failed_line", group=group,
                               reason=row.edit_error or "?"))
        if tally.unknown:
            lines.append(t(locale, "broadcast.status.unknown_hint", id=broadcast.id))
        return "\n".join(lines)

    async def unconfirmed(self, broadcast_id: int) -> list[tuple[str, str]]:
        """(group name, leader name) of sent copies whose leader has not confirmed."""
        rows = await Delivery.filter(broadcast_id=broadcast_id, status=SENT, confirmed_at=None)
        out = []
        for row in rows:
            leader = await GroupLeader.filter(platform=row.platform, guild_id=row.guild_id).first()
            if leader is not None:
                out.append((await self.group_name(row.platform, row.guild_id), leader.name))
        return out

    async def group_name(self, platform: str, key: str) -> str:
        info = await self.scope.roster.group_by_key(platform, key)
        return info.ref.name if info and info.ref.name else key
