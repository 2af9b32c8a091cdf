"""What admins and members read of a sweep: the rules in effect, why a member was selected, the
preview (first page in the chat, the whole list as CSV), and notes on rules that cannot select
yet."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot import Button, File, Outgoing, Text
from plugins.inactive.config import InactiveSettings
from plugins.inactive.models import Candidate, Sweep
from plugins.inactive.rules import RULE_ADS, RULE_CAPACITY, RULE_MESSAGES, RULE_ONBOARDING, Evidence

if TYPE_CHECKING:
    from plugins.inactive.sweeps import Checked

__all__ = ["PAGE", "counting_note", "local", "preview_message", "rule_notes", "rules_text", "why"]

# Lines of a preview shown in the chat; the whole list comes as a CSV file past this.
PAGE = 20
T = Callable[..., str]


def local(at: datetime | None, tz: Any) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if at else "-"


def rules_text(t: T, settings: InactiveSettings, *, grace: bool = True) -> str:
    """The rules in effect, joined: "inactive ≥ 30 days, fewer than 5 messages in 30 days"."""
    rules = []
    if settings.inactive_days:
        rules.append(t("inactive.rules.inactive", n=settings.inactive_days))
    if settings.min_messages:
        rules.append(t("inactive.rules.messages", n=settings.min_messages, days=settings.messages_days))
    if settings.onboarding_days:
        rules.append(t("inactive.rules.onboarding", n=settings.onboarding_days))
    if settings.ads_last_step:
        rules.append(t("inactive.rules.ads"))
    if settings.cap:
        rules.append(t("inactive.rules.cap", n=settings.cap))
    if grace:
        rules.append(t("inactive.rules.grace", n=settings.grace_days))
    return t("inactive.rules.sep").join(rules) or t("inactive.rules.none")


def counting_note(t: T, since: datetime | None, days: int, tz: Any) -> str:
    """The messages rule waits: counts are complete only since ``since``, and its window of
    ``days`` local days must lie after that."""
    ready = (since.astimezone(tz).date() + timedelta(days=days)).isoformat() if since else "-"
    return t("inactive.note.counting", since=local(since, tz), ready=ready, n=days)


def rule_notes(t: T, settings: InactiveSettings, evidence: Evidence | None, tz: Any) -> list[str]:
    """Rules that are on but select nobody now, and why."""
    if evidence is None:
        return []
    notes = []
    if settings.min_messages and evidence.recent is None:
        notes.append(counting_note(t, evidence.counted_since, settings.messages_days, tz))
    for rule in (RULE_ONBOARDING, RULE_ADS):
        if rule in evidence.flagged and evidence.flagged[rule] is None:
            notes.append(t(f"inactive.note.{rule}"))
    return notes


def why(t: T, c: Candidate, settings: InactiveSettings, now: datetime, tz: Any) -> str:
    """Why the member was selected, from the snapshot taken at the preview."""
    seen = max((x for x in (c.joined_at, c.last_active_at) if x is not None), default=None)
    days = (now - seen).days if seen else 0
    common = {"days": days, "seen": local(seen, tz)[:10], "messages": c.message_count}
    if c.rule == RULE_CAPACITY:
        return t("inactive.why.capacity", **common)
    if c.rule == RULE_MESSAGES:
        return t(
            "inactive.why.messages", n=c.recent or 0, window=settings.messages_days,
            least=settings.min_messages, **common,
        )
    if c.rule in (RULE_ONBOARDING, RULE_ADS):
        return t(f"inactive.why.{c.rule}", since=local(c.flagged_at, tz)[:10], **common)
    return t("inactive.why.inactive", n=days, **common)


def preview_message(
    t: T, sweep: Sweep, candidates: list[Candidate], checked: Checked | None,
    settings: InactiveSettings, now: datetime, tz: Any, *, note: str = "",
) -> Outgoing:
    """Who would go and why, the first page of them, the rest as CSV, and the buttons."""
    lines = [note] if note else []
    lines.append(t("inactive.preview.title", run=sweep.id, rules=rules_text(t, settings)))
    members = checked.selection.members if checked else 0
    notes = rule_notes(t, settings, checked.evidence if checked else None, tz)
    if not candidates:
        lines.append(t("inactive.preview.nobody", n=members))
        return Outgoing((Text("\n".join([*lines, *notes])),))
    lines.append(
        t("inactive.preview.count", selected=len(candidates), eligible=sweep.eligible, n=members,
          limit=settings.max_per_run)
    )
    for number, c in enumerate(candidates[:PAGE], 1):
        lines.append(
            t("inactive.preview.line", n=number, name=c.name or c.user_id, why=why(t, c, settings, now, tz))
        )
    if len(candidates) > PAGE:
        lines.append(t("inactive.preview.more", more=len(candidates) - PAGE))
    if checked and checked.skipped:
        kinds = t("inactive.rules.sep").join(
            f"{t('inactive.reason.' + k)} {n}" for k, n in sorted(checked.skipped.items())
        )
        lines.append(t("inactive.preview.skipped", kinds=kinds))
    lines.extend(notes)
    if settings.warn_days:
        deadline = local(now + timedelta(days=settings.warn_days), tz)
        lines.append(t("inactive.preview.then_warn", n=settings.warn_days, deadline=deadline))
    else:
        lines.append(t("inactive.preview.then_remove"))
    elements: list = [Text("\n".join(lines))]
    if len(candidates) > PAGE:
        elements.append(File(_csv(candidates, tz).encode(), f"inactive-{sweep.id}.csv", "text/csv"))
    buttons = [
        Button(t("inactive.button.confirm"), "confirm", {"sweep": sweep.id}),
        Button(t("inactive.button.cancel"), "cancel", {"sweep": sweep.id}),
    ]
    return Outgoing(tuple(elements)).with_buttons(buttons)


def _csv(candidates: list[Candidate], tz: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["user_id", "name", "rule", "joined_at", "last_active_at", "messages", "recent", "flagged_at"]
    )
    for c in candidates:
        writer.writerow(
            [c.user_id, c.name, c.rule, local(c.joined_at, tz), local(c.last_active_at, tz), c.message_count,
             "" if c.recent is None else c.recent, local(c.flagged_at, tz) if c.flagged_at else ""]
        )
    return out.getvalue()
