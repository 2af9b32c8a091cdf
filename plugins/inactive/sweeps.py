"""A sweep from preview to removal: select, show, confirm, warn, remove at the deadline, undo.

Every step is written before anyone is told: the sweep's status moves by conditional updates
(a double Confirm acts once), each selected member has a row whose state is written before the
platform is asked to remove them (``removing``), then ``removed``; a run interrupted by a crash
is resumed by the next deadline job and repeats only the kicks it cannot know were made (a
kick of someone already gone is harmless on every platform).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from bot import (
    Button,
    Capability,
    File,
    GroupRef,
    MemberRef,
    Mention,
    Outgoing,
    PlatformError,
    Scope,
    Text,
)
from plugins.inactive.config import InactiveConfig, InactiveSettings
from plugins.inactive.models import Candidate, Sweep
from plugins.inactive.protection import excluded_ids, live_protection, removed_members
from plugins.inactive.rules import RULE_CAPACITY, RULE_INACTIVE, Pick, Selection, last_seen, select

__all__ = [
    "PAGE",
    "Checked",
    "check",
    "confirm",
    "create_preview",
    "open_sweep",
    "preview_message",
    "run",
    "settings_of",
    "undo",
]

# Lines of a preview shown in the chat; the whole list comes as a CSV file past this.
PAGE = 20


def settings_of(scope: Scope, group: GroupRef) -> InactiveSettings:
    config: InactiveConfig = scope.config or InactiveConfig()
    return config.for_group(group)


def local(at: datetime | None, tz: Any) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if at else "-"


async def open_sweep(group: GroupRef, *statuses: str) -> Sweep | None:
    return await Sweep.filter(
        platform=group.platform, guild_id=group.key, status__in=statuses or ("preview", "warned", "running")
    ).order_by("-id").first()


@dataclass(slots=True)
class Checked:
    """The rules' selection after the live checks: who this run would remove."""

    selection: Selection
    chosen: list[Pick] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)


async def check(scope: Scope, group: GroupRef, settings: InactiveSettings) -> Checked:
    """Select by the rules, then check each candidate live, least active first, until this
    run's limit; capacity picks only while the group would still be over its cap."""
    entries = await scope.roster.members(group)
    selection = select(
        entries, settings, scope.now, group_id=group.id,
        excluded=await excluded_ids(scope, group), removed=await removed_members(group),
    )
    result = Checked(selection)
    over = selection.over
    for pick in selection.inactive:
        if len(result.chosen) >= settings.max_per_run:
            return result
        reason = await live_protection(scope, group, pick.entry.user_id, settings)
        if reason is None:
            result.chosen.append(pick)
        else:
            result.skipped[reason] += 1
            if reason == "left":
                over -= 1  # counted as a member, but gone
    need = over - len(result.chosen)
    for pick in selection.by_capacity:
        if need <= 0 or len(result.chosen) >= settings.max_per_run:
            break
        reason = await live_protection(scope, group, pick.entry.user_id, settings)
        if reason is None:
            result.chosen.append(pick)
            need -= 1
        else:
            result.skipped[reason] += 1
            if reason == "left":
                need -= 1
    return result


async def create_preview(
    scope: Scope, group: GroupRef, settings: InactiveSettings, *, by: str | None,
    slot: datetime | None = None, checked: Checked | None = None,
) -> tuple[Sweep, list[Candidate], Checked] | None:
    """Record a preview (replacing an unconfirmed one); None when the slot already has one."""
    checked = checked or await check(scope, group, settings)
    now = scope.now
    try:
        async with scope.transaction() as tx:
            await Sweep.filter(
                platform=group.platform, guild_id=group.key, status="preview"
            ).using_db(tx.connection).update(status="superseded")
            sweep = await Sweep.create(
                platform=group.platform, guild_id=group.key, status="preview", created_at=now,
                created_by=by, slot=slot, eligible=checked.selection.eligible,
                using_db=tx.connection,
            )
            rows = [
                Candidate(
                    sweep_id=sweep.id, user_id=p.entry.user_id, name=p.entry.name[:128], rule=p.rule,
                    joined_at=p.entry.joined_at, last_active_at=p.entry.last_active_at,
                    message_count=p.entry.message_count,
                )
                for p in checked.chosen
            ]
            if rows:
                await Candidate.bulk_create(rows, using_db=tx.connection)
    except IntegrityError:
        return None
    candidates = await Candidate.filter(sweep_id=sweep.id).order_by("id")
    return sweep, candidates, checked


def _why(t: Any, c: Candidate, now: datetime, tz: Any) -> str:
    seen = max((x for x in (c.joined_at, c.last_active_at) if x is not None), default=None)
    days = (now - seen).days if seen else 0
    key = "inactive.why.capacity" if c.rule == RULE_CAPACITY else "inactive.why.inactive"
    return t(key, days=days, seen=local(seen, tz)[:10], messages=c.message_count)


def preview_message(
    t: Any, sweep: Sweep, candidates: list[Candidate], checked: Checked | None,
    settings: InactiveSettings, now: datetime, tz: Any, *, note: str = "",
) -> Outgoing:
    """Who would go and why, the first page of them, the rest as CSV, and the buttons."""
    lines = [note] if note else []
    rules = [t("inactive.rules.inactive", days=settings.inactive_days)] if settings.inactive_days else []
    if settings.cap:
        rules.append(t("inactive.rules.cap", cap=settings.cap))
    rules.append(t("inactive.rules.grace", days=settings.grace_days))
    lines.append(t("inactive.preview.title", run=sweep.id, rules=t("inactive.rules.sep").join(rules)))
    members = checked.selection.members if checked else 0
    if not candidates:
        lines.append(t("inactive.preview.nobody", members=members))
        return Outgoing((Text("\n".join(lines)),))
    lines.append(
        t("inactive.preview.count", selected=len(candidates), eligible=sweep.eligible, members=members,
          limit=settings.max_per_run)
    )
    for number, c in enumerate(candidates[:PAGE], 1):
        lines.append(t("inactive.preview.line", n=number, name=c.name or c.user_id, why=_why(t, c, now, tz)))
    if len(candidates) > PAGE:
        lines.append(t("inactive.preview.more", more=len(candidates) - PAGE))
    if checked and checked.skipped:
        kinds = t("inactive.rules.sep").join(
            f"{t('inactive.reason.' + k)} {n}" for k, n in sorted(checked.skipped.items())
        )
        lines.append(t("inactive.preview.skipped", kinds=kinds))
    if settings.warn_days:
        deadline = local(now + timedelta(days=settings.warn_days), tz)
        lines.append(t("inactive.preview.then_warn", days=settings.warn_days, deadline=deadline))
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
    writer.writerow(["user_id", "name", "rule", "joined_at", "last_active_at", "messages"])
    for c in candidates:
        writer.writerow(
            [c.user_id, c.name, c.rule, local(c.joined_at, tz), local(c.last_active_at, tz), c.message_count]
        )
    return out.getvalue()


async def confirm(
    scope: Scope, group: GroupRef, sweep: Sweep, settings: InactiveSettings, *, by: str
) -> str:
    """An admin confirmed a preview: "warned" (the warning is posted), "removed" (no warning
    period: the run happened), "changed" (the selection differs now: preview again), or why
    not ("expired", "done")."""
    now = scope.now
    if sweep.status != "preview":
        return "done"
    if now - sweep.created_at > timedelta(hours=settings.preview_hours):
        await Sweep.filter(id=sweep.id, status="preview").update(status="expired")
        return "expired"
    stored = set(await Candidate.filter(sweep_id=sweep.id).values_list("user_id", flat=True))
    fresh = await check(scope, group, settings)
    if any(p.entry.user_id not in stored for p in fresh.chosen):
        return "changed"
    deadline = now + timedelta(days=settings.warn_days)
    async with scope.transaction() as tx:
        changed = await Sweep.filter(id=sweep.id, status="preview").using_db(tx.connection).update(
            status="warned", confirmed_at=now, confirmed_by=by, deadline=deadline
        )
        if changed != 1:
            return "done"
        # Members who dropped out since the preview are spared now: the warning names the rest.
        still = {p.entry.user_id for p in fresh.chosen}
        await Candidate.filter(sweep_id=sweep.id, state="pending").exclude(
            user_id__in=list(still)
        ).using_db(tx.connection).update(state="spared", reason="changed", acted_at=now)
    await scope.audit("inactive.confirm", str(sweep.id), group=group, actor=by, deadline=deadline.isoformat())
    if not settings.warn_days:
        await run(scope, group, sweep.id)
        return "removed"
    await warn(scope, group, sweep.id)
    return "warned"


async def warn(scope: Scope, group: GroupRef, sweep_id: int) -> None:
    """One group message naming the members, with the deadline in the group's time."""
    sweep = await Sweep.get(id=sweep_id)
    candidates = await Candidate.filter(sweep_id=sweep_id, state="pending").order_by("id")
    if not candidates:
        return
    info = await scope.roster.group(group)
    locale = await scope.group_locale(group)

    def t(key: str, **p: Any) -> str:
        return scope.translate(locale, key, **p)

    deadline = local(sweep.deadline, info.timezone)
    elements: list = [Text(t("inactive.warn.head", count=len(candidates), deadline=deadline))]
    for number, c in enumerate(candidates):
        if number:
            elements.append(Text(t("inactive.warn.sep")))
        elements.append(Mention(c.user_id, c.name or c.user_id, notify=True))
    elements.append(Text(t("inactive.warn.foot", run=sweep.id)))
    await scope.send_to(group, elements)


async def _spare_reason(
    scope: Scope, group: GroupRef, sweep: Sweep, c: Candidate, settings: InactiveSettings,
    excluded: set[str], left_over: int | None,
) -> str | None:
    """Why this member stays after all (None: still eligible): gone, active since the
    warning, protected now, or the group is no longer over its cap."""
    entry = await scope.roster.member(group, c.user_id)
    if entry is None or not entry.is_member:
        return "left"
    seen = last_seen(entry)
    since = sweep.confirmed_at or sweep.created_at
    if seen is not None and seen > since:
        return "active"
    if c.user_id in excluded:
        return "protected"
    now = scope.now
    if (
        settings.grace_days
        and entry.joined_at
        and entry.joined_at > now - timedelta(days=settings.grace_days)
    ):
        return "new"
    if c.rule == RULE_INACTIVE and (
        not settings.inactive_days or (seen and seen > now - timedelta(days=settings.inactive_days))
    ):
        return "active"
    if c.rule == RULE_CAPACITY and (not settings.cap or left_over is None or left_over <= 0):
        return "under_cap"
    return await live_protection(scope, group, c.user_id, settings)


async def run(scope: Scope, group: GroupRef, sweep_id: int) -> str:
    """Remove the sweep's members who are still eligible: "done", "halted", or "skipped" when
    the sweep is not due or not runnable now."""
    now = scope.now
    claimed = await Sweep.filter(
        id=sweep_id, status__in=("warned", "running"), deadline__lte=now
    ).update(status="running")
    if not claimed:
        return "skipped"
    sweep = await Sweep.get(id=sweep_id)
    settings = settings_of(scope, group)
    adapter = scope.adapter(group.platform)
    if adapter is None:
        return "skipped"  # stays running: the next deadline job resumes it
    if not adapter.supports(Capability.KICK):
        return await _halt(scope, group, sweep, "bot.error.not_supported", [])
    excluded = await excluded_ids(scope, group)
    over: int | None = None
    if settings.cap:
        selection = select(
            await scope.roster.members(group), settings, now, group_id=group.id,
            removed=await removed_members(group),
        )
        over = selection.members - settings.cap
    removed: list[Candidate] = []
    spared: Counter = Counter()
    rows = await Candidate.filter(sweep_id=sweep_id, state__in=("pending", "removing")).order_by("id")
    for c in rows[: settings.max_per_run]:
        if c.state == "pending":
            reason = await _spare_reason(scope, group, sweep, c, settings, excluded, over)
            if reason is not None:
                await Candidate.filter(id=c.id, state="pending").update(
                    state="spared", reason=reason, acted_at=scope.now
                )
                spared[reason] += 1
                continue
            marked = await Candidate.filter(id=c.id, state="pending").update(
                state="removing", acted_at=scope.now
            )
            if not marked:
                continue
        try:
            await adapter.kick(group.id, c.user_id, reason=f"inactive: {c.rule} (run {sweep_id})")
        except PlatformError as exc:
            await Candidate.filter(id=c.id, state="removing").update(state="failed", reason=exc.reason[:32])
            return await _halt(scope, group, sweep, exc.reason, removed, name=c.name or c.user_id)
        await Candidate.filter(id=c.id, state="removing").update(state="removed", acted_at=scope.now)
        await scope.audit(
            "inactive.remove", c.user_id, group=group, actor=sweep.confirmed_by, run=sweep_id,
            rule=c.rule, joined_at=_iso(c.joined_at), last_active_at=_iso(c.last_active_at),
            messages=c.message_count,
        )
        removed.append(c)
        if over is not None:
            over -= 1
    await Sweep.filter(id=sweep_id, status="running").update(status="done", finished_at=scope.now)
    await _report(scope, group, sweep, settings, removed, spared)
    return "done"


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


async def _halt(
    scope: Scope, group: GroupRef, sweep: Sweep, reason: str, removed: list[Candidate], name: str = ""
) -> str:
    await Sweep.filter(id=sweep.id, status="running").update(
        status="halted", finished_at=scope.now, halted_reason=reason[:200]
    )
    await scope.audit("inactive.halt", str(sweep.id), group=group, reason=reason, removed=len(removed))
    locale = await scope.group_locale(group)
    text = scope.translate(
        locale, "inactive.halted", run=sweep.id, name=name or "-", why=scope.translate(locale, reason),
        removed=len(removed),
    )
    await scope.send_to(group, text)
    return "halted"


async def _report(
    scope: Scope, group: GroupRef, sweep: Sweep, settings: InactiveSettings,
    removed: list[Candidate], spared: Counter,
) -> None:
    locale = await scope.group_locale(group)

    def t(key: str, **p: Any) -> str:
        return scope.translate(locale, key, **p)

    if removed:
        names = t("inactive.warn.sep").join(c.name or c.user_id for c in removed)
        lines = [t("inactive.done.removed", count=len(removed), names=names, run=sweep.id)]
    else:
        lines = [t("inactive.done.nobody", run=sweep.id)]
    if spared:
        kinds = t("inactive.rules.sep").join(
            f"{t('inactive.reason.' + k)} {n}" for k, n in sorted(spared.items())
        )
        lines.append(t("inactive.done.spared", kinds=kinds))
    if removed:
        lines.append(t("inactive.done.undo", run=sweep.id, days=settings.undo_days))
    await scope.send_to(group, "\n".join(lines))


@dataclass(slots=True)
class Undone:
    back: list[Candidate] = field(default_factory=list)
    failed: list[tuple[Candidate, str]] = field(default_factory=list)


async def undo(scope: Scope, group: GroupRef, sweep: Sweep, *, by: str) -> Undone:
    """Let a run's members back: unban where the platform keeps a ban (Telegram), mark each
    row undone (the record stays), audit it, and tell each member privately where possible."""
    result = Undone()
    adapter = scope.adapter(group.platform)
    rows = await Candidate.filter(sweep_id=sweep.id, state="removed").order_by("id")
    info = await scope.roster.group(group)
    for c in rows:
        if adapter is not None and adapter.supports(Capability.UNBAN):
            try:
                await adapter.unban(group.id, c.user_id)
            except PlatformError as exc:
                result.failed.append((c, exc.reason))
                continue
        if await Candidate.filter(id=c.id, state="removed").update(state="undone", acted_at=scope.now):
            await scope.audit("inactive.undo", c.user_id, group=group, actor=by, run=sweep.id)
            result.back.append(c)
    if not result.failed:
        await Sweep.filter(id=sweep.id, status__in=("done", "halted")).update(
            status="undone", undone_at=scope.now, undone_by=by
        )
    for c in result.back:
        member = MemberRef(group.platform, c.user_id)
        locale = await scope.roster.locale_of(group.platform, c.user_id) or await scope.group_locale(group)
        try:
            text = scope.translate(locale, "inactive.undo.dm", group=info.ref.name or group.id)
            await scope.send_private(member, text)
        except PlatformError:
            pass  # they may not have started a private chat with the bot
    return result
