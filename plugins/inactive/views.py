"""What admins and members read of a sweep: the rules in effect, why a member was selected, the
preview (its first page in the chat with the whole list as CSV, and the other pages on demand
with Previous / Next), and notes on rules that cannot select yet."""

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

__all__ = [
    "PAGE",
    "counting_note",
    "local",
    "page_count",
    "preview_message",
    "preview_page",
    "rule_notes",
    "rules_text",
    "why",
]

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


def page_count(candidates: int) -> int:
    return max(1, -(-candidates // PAGE))


def preview_message(
    t: T, sweep: Sweep, candidates: list[Candidate], checked: Checked | None,
    settings: InactiveSettings, now: datetime, tz: Any, *, note: str = "",
) -> Outgoing:
    """Who would go and why, the first page of them, the whole list as CSV when there are more
    pages, and the buttons (Next, Confirm, Cancel)."""
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
    lines.extend(_page_lines(t, candidates, 1, settings, now, tz))
    pages = page_count(len(candidates))
    if pages > 1:
        lines.append(t("inactive.preview.more", pages=pages))
    if checked and checked.skipped:
        kinds = t("inactive.rules.sep").join(
            f"{t('inactive.reason.' + k)} {n}" for k, n in sorted(checked.skipped.items())
        )
        lines.append(t("inactive.preview.skipped", kinds=kinds))
    lines.extend(notes)
    lines.append(_then(t, settings, now, tz))
    elements: list = [Text("\n".join(lines))]
    if pages > 1:
        elements.append(File(_csv(candidates, tz).encode(), f"inactive-{sweep.id}.csv", "text/csv"))
    return Outgoing(tuple(elements), buttons=_buttons(t, sweep, 1, pages, view=False))


def preview_page(
    t: T, sweep: Sweep, candidates: list[Candidate], settings: InactiveSettings, now: datetime, tz: Any,
    page: int,
) -> Outgoing:
    """Another page of a preview (Previous / Next): its lines, and Confirm and Cancel while
    the preview is open."""
    pages = page_count(len(candidates))
    page = min(max(page, 1), pages)
    lines = [t("inactive.preview.title", run=sweep.id, rules=rules_text(t, settings))]
    lines.extend(_page_lines(t, candidates, page, settings, now, tz))
    lines.append(t("inactive.preview.page", page=page, pages=pages, n=len(candidates)))
    if sweep.status == "preview":
        lines.append(_then(t, settings, now, tz))
    return Outgoing((Text("\n".join(lines)),), buttons=_buttons(t, sweep, page, pages, view=True))


def _page_lines(
    t: T, candidates: list[Candidate], page: int, settings: InactiveSettings, now: datetime, tz: Any
) -> list[str]:
    first = (page - 1) * PAGE
    return [
        t("inactive.preview.line", n=number, name=c.name or c.user_id, why=why(t, c, settings, now, tz))
        for number, c in enumerate(candidates[first : first + PAGE], first + 1)
    ]


def _then(t: T, settings: InactiveSettings, now: datetime, tz: Any) -> str:
    if settings.warn_days:
        deadline = local(now + timedelta(days=settings.warn_days), tz)
        return t("inactive.preview.then_warn", n=settings.warn_days, deadline=deadline)
    return t("inactive.preview.then_remove")


def _buttons(
    t: T, sweep: Sweep, page: int, pages: int, *, view: bool
) -> tuple[tuple[Button, ...], ...]:
    """Previous / Next (``view``: pressed on a page view, which the next page replaces), then
    Confirm and Cancel while the preview is open."""
    turn = [
        Button(t(f"inactive.button.{label}"), "page", {"sweep": sweep.id, "page": to, "view": view})
        for label, to in (("previous", page - 1), ("next", page + 1))
        if 1 <= to <= pages
    ]
    rows = [tuple(turn)] if turn else []
    if sweep.status == "preview":
        rows.append((
            Button(t("inactive.button.confirm"), "confirm", {"sweep": sweep.id}),
            Button(t("inactive.button.cancel"), "cancel", {"sweep": sweep.id}),
        ))
    return tuple(rows)


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
