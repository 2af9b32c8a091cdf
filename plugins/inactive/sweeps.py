"""A sweep from preview to removal: select, confirm, warn, remove at the deadline (``undo``
lets them back).

Every step is written before anyone is told: the sweep's status moves by conditional updates
(a double Confirm acts once), each selected member has a row whose state is written before the
platform is asked to remove them (``removing``), then ``removed``; a run interrupted by a crash
is resumed by the next deadline job and repeats only the kicks it cannot know were made (a
kick of someone already gone is harmless on every platform).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from bot import Capability, GroupRef, PlatformError, Scope, chunked
from plugins.inactive.config import InactiveConfig, InactiveSettings
from plugins.inactive.evidence import gather
from plugins.inactive.models import Candidate, Sweep
from plugins.inactive.protection import excluded_ids, live_protection, removed_members
from plugins.inactive.rules import (
    RULE_ADS,
    RULE_CAPACITY,
    RULE_INACTIVE,
    RULE_MESSAGES,
    RULE_ONBOARDING,
    Evidence,
    Pick,
    Selection,
    last_seen,
    select,
)
from plugins.inactive.warning import warn

__all__ = [
    "Checked",
    "check",
    "confirm",
    "create_preview",
    "open_sweep",
    "run",
    "settings_of",
]


def settings_of(scope: Scope, group: GroupRef) -> InactiveSettings:
    config: InactiveConfig = scope.config or InactiveConfig()
    return config.for_group(group)


async def open_sweep(group: GroupRef, *statuses: str) -> Sweep | None:
    return await Sweep.filter(
        platform=group.platform, guild_id=group.key, status__in=statuses or ("preview", "warned", "running")
    ).order_by("-id").first()


@dataclass(slots=True)
class Checked:
    """The rules' selection after the live checks: who this run would remove."""

    selection: Selection
    evidence: Evidence
    chosen: list[Pick] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)


async def check(scope: Scope, group: GroupRef, settings: InactiveSettings) -> Checked:
    """Select by the rules, then check each candidate live, least active first, until this
    run's limit; capacity picks only while the group would still be over its cap."""
    info = await scope.roster.group(group)
    evidence = await gather(scope, group, settings, info.timezone)
    entries = await scope.roster.members(group)
    selection = select(
        entries, settings, scope.now, group_id=group.id, excluded=await excluded_ids(scope, group),
        removed=await removed_members(group), evidence=evidence,
    )
    result = Checked(selection, evidence)
    over = selection.over
    for pick in selection.by_rule:
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
    active = checked.evidence.active
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
                    joined_at=p.entry.joined_at,
                    last_active_at=_latest(p.entry.last_active_at, active.get(p.entry.user_id)),
                    message_count=p.entry.message_count, recent=p.recent, flagged_at=p.flagged_at,
                )
                for p in checked.chosen
            ]
            if rows:
                await Candidate.bulk_create(rows, using_db=tx.connection)
    except IntegrityError:
        return None
    candidates = await Candidate.filter(sweep_id=sweep.id).order_by("id")
    return sweep, candidates, checked


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
        pending = Candidate.filter(sweep_id=sweep.id, state="pending").using_db(tx.connection)
        dropped = [u for u in await pending.values_list("user_id", flat=True) if u not in still]
        for part in chunked(dropped):  # a sweep of a big group names tens of thousands
            await pending.filter(user_id__in=part).update(state="spared", reason="changed", acted_at=now)
    await scope.audit("inactive.confirm", str(sweep.id), group=group, actor=by, deadline=deadline.isoformat())
    if not settings.warn_days:
        await run(scope, group, sweep.id)
        return "removed"
    await warn(scope, group, sweep.id, settings)
    return "warned"


@dataclass(slots=True)
class _RunState:
    """What a run checks every member against, read once."""

    settings: InactiveSettings
    excluded: set[str]
    evidence: Evidence
    # Members above the cap still (None: capacity mode off).
    over: int | None


def _still_selected(c: Candidate, state: _RunState, seen: datetime | None, now: datetime) -> str | None:
    """Why the rule that selected the member no longer does (None: it still does)."""
    settings, evidence = state.settings, state.evidence
    if c.rule == RULE_INACTIVE:
        if not settings.inactive_days:
            return "rule_off"
        if seen and seen > now - timedelta(days=settings.inactive_days):
            return "active"
    elif c.rule == RULE_MESSAGES:
        if not settings.min_messages:
            return "rule_off"
        if evidence.recent is None:
            return "unverified"  # the counts may miss messages since (a crash): not trusted
        if evidence.recent.get(c.user_id, 0) >= settings.min_messages:
            return "active"
    elif c.rule in (RULE_ONBOARDING, RULE_ADS):
        if c.rule not in evidence.flagged:
            return "rule_off"
        flagged = evidence.flagged[c.rule]
        if flagged is None:
            return "unverified"
        if c.user_id not in flagged:
            return f"cleared_{c.rule}"
    elif c.rule == RULE_CAPACITY and (not settings.cap or state.over is None or state.over <= 0):
        return "under_cap"
    return None


async def _spare_reason(
    scope: Scope, group: GroupRef, sweep: Sweep, c: Candidate, state: _RunState
) -> str | None:
    """Why this member stays after all (None: still eligible): gone, active since the
    warning, never warned, protected now, or their rule no longer selects them."""
    entry = await scope.roster.member(group, c.user_id)
    if entry is None or not entry.is_member:
        return "left"
    seen = last_seen(entry, state.evidence.active)
    since = sweep.confirmed_at or sweep.created_at
    if seen is not None and seen > since:
        return "active"
    if entry.is_bot:
        return "bot"
    if c.user_id in state.excluded:
        return "protected"
    if sweep.deadline and sweep.confirmed_at and sweep.deadline > sweep.confirmed_at and not c.warned:
        return "unwarned"
    now = scope.now
    grace = state.settings.grace_days
    if grace and entry.joined_at and entry.joined_at > now - timedelta(days=grace):
        return "new"
    return _still_selected(c, state, seen, now) or await live_protection(
        scope, group, c.user_id, state.settings
    )


async def _run_state(scope: Scope, group: GroupRef, settings: InactiveSettings) -> _RunState:
    info = await scope.roster.group(group)
    over: int | None = None
    if settings.cap:
        selection = select(
            await scope.roster.members(group), settings, scope.now, group_id=group.id,
            removed=await removed_members(group),
        )
        over = selection.members - settings.cap
    return _RunState(
        settings, await excluded_ids(scope, group), await gather(scope, group, settings, info.timezone), over
    )


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
    state = await _run_state(scope, group, settings)
    removed: list[Candidate] = []
    spared: Counter = Counter()
    rows = await Candidate.filter(sweep_id=sweep_id, state__in=("pending", "removing")).order_by("id")
    for c in rows[: settings.max_per_run]:
        if c.state == "pending":
            reason = await _spare_reason(scope, group, sweep, c, state)
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
            messages=c.message_count, recent=c.recent, flagged_at=_iso(c.flagged_at), warned=c.warned,
        )
        removed.append(c)
        if state.over is not None:
            state.over -= 1
    await Sweep.filter(id=sweep_id, status="running").update(status="done", finished_at=scope.now)
    await _report(scope, group, sweep, settings, removed, spared)
    return "done"


def _latest(*times: datetime | None) -> datetime | None:
    return max((t for t in times if t is not None), default=None)


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
        lines = [t("inactive.done.removed", n=len(removed), names=names, run=sweep.id)]
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

