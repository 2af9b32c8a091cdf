"""The gate: who is let through at once, the form a newcomer owes, what a timeout does, and a
join request withdrawn when its member asks to be forgotten.

Modes per group: ``off`` (the form is invited, one reminder later), ``restrict`` (muted until the
form is done) and ``join_request`` (the request is approved when the form is done). Deadlines
live in the database and a per-minute job sweeps them (:mod:`plugins.onboarding.jobs`), so a
restart loses none; each timeout is claimed by a conditional update before anything is done, so
it acts once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot import PlatformError, User, found_among
from plugins.onboarding.flow import ask, open_session, start
from plugins.onboarding.models import FormSession, Profile
from plugins.onboarding.reach import group_name, group_of, log, send_private

if TYPE_CHECKING:
    from bot import Context, GroupRef, Scope
    from plugins.onboarding.config import GroupSettings

__all__ = [
    "let_through",
    "open_join_form",
    "remind",
    "time_out",
    "unreachable",
    "withdraw_join_requests",
]


# From the most open to the most private.
_OPENNESS = {"public": 2, "admins": 1, "hidden": 0}


async def _known_answers(scope: Scope, platform: str, user: User, cfg: GroupSettings) -> dict[str, str]:
    """Answers the member gave in other groups of this bot (newest first wins), for this form.
    An answer is reused only where it is seen by no more people than where it was given: one
    given as ``hidden`` in one group is asked again, not shown to a whole other group."""
    answers: dict[str, str] = {}
    profiles = await Profile.filter(platform=platform, user_id=user.id).order_by("updated_at").all()
    for profile in profiles:
        given = scope.config.for_group(await group_of(scope, platform, profile.guild_id))
        for key, value in profile.answers.items():
            here, there = cfg.field(key), given.field(key)
            if value and here is not None and there is not None and (
                _OPENNESS[here.visibility] <= _OPENNESS[there.visibility]
            ):
                answers[key] = value
    return answers


async def let_through(ctx: Context, user: User, cfg: GroupSettings) -> tuple[bool, dict[str, str]]:
    """With ``trust_other_groups``: a member whose answers elsewhere cover every required field
    of this form gets a profile here at once. Returns (through, answers known)."""
    if not cfg.trust_other_groups:
        return False, {}
    known = await _known_answers(ctx, ctx.platform, user, cfg)
    if not known or any(f.required and f.key not in known for f in cfg.form):
        return False, known
    assert ctx.group is not None
    where = {"platform": ctx.platform, "guild_id": ctx.group.key, "user_id": user.id}
    now = ctx.now
    async with ctx.transaction():
        if not await Profile.filter(**where).exists():
            await Profile.create(
                **where, user_name=user.display_name[:128], answers=known, completed_at=now,
                updated_at=now,
            )
        await FormSession.filter(**where, purpose="join", status="pending").update(
            status="completed", finished_at=now
        )
    return True, known


async def open_join_form(
    ctx: Context, user: User, cfg: GroupSettings, gate: str, known: dict[str, str]
) -> FormSession:
    """The form a newcomer owes: only the questions not already answered elsewhere, with a
    deadline where the gate holds them (restrict, join_request)."""
    assert ctx.group is not None
    return await open_session(
        ctx,
        group=ctx.group,
        user=user,
        purpose="join",
        gate=gate,
        keys=[f.key for f in cfg.form if f.key not in known],
        answers=known,
        locale=ctx.locale,
        deadline=ctx.now + timedelta(minutes=cfg.timeout_minutes) if gate != "off" else None,
    )


# -- timeouts and reminders ----------------------------------------------------------------------
async def time_out(scope: Scope, session: FormSession, group: GroupRef) -> None:
    """The deadline passed (and the timeout is claimed): decline, remove, or leave muted."""
    platform, user_id, loc = session.platform, session.user_id, session.locale
    cfg = scope.config.for_group(group)
    adapter = scope.adapter(platform)
    assert adapter is not None
    try:
        if session.gate == "join_request":
            await adapter.answer_join_request(group.id, user_id, False)
            text = scope.translate(loc, "onboarding.gate.declined", group=group_name(group))
            await send_private(scope, platform, user_id, text)
        elif session.gate == "restrict" and cfg.on_timeout == "kick":
            try:
                await adapter.kick(group.id, user_id, "onboarding form not completed in time")
                outcome = "onboarding.gate.kicked"
            except PlatformError as exc:
                # The bot may not remove them (a right it lacks, a higher role): rather than a
                # member muted for good, the gate stays as with stay_muted and the form reopens.
                log.warning(
                    "onboarding: cannot remove %s from %s (%s); they stay muted", user_id, group.id, exc
                )
                await FormSession.filter(id=session.id).update(
                    status="pending", finished_at=None, deadline=None
                )
                outcome = "onboarding.gate.stays_muted"
            text = scope.translate(loc, outcome, group=group_name(group))
            await send_private(scope, platform, user_id, text)
        elif session.gate == "restrict":
            text = scope.translate(loc, "onboarding.gate.stays_muted", group=group_name(group))
            await send_private(scope, platform, user_id, text)
    except PlatformError as exc:
        log.warning("onboarding: timeout action on %s in %s failed: %s", user_id, group.id, exc)
    await scope.audit("timeout", f"{platform}:{user_id}", group=group, gate=session.gate)


async def remind(scope: Scope, session: FormSession) -> None:
    """Gate off: the one reminder of a form still open."""
    group = await group_of(scope, session.platform, session.guild_id)
    reminder = scope.translate(session.locale, "onboarding.gate.reminder", group=group_name(group))
    if session.started_at is not None:
        await ask(scope, session, group, reminder)
    elif await send_private(scope, session.platform, session.user_id, reminder):
        await start(scope, session, group)


async def withdraw_join_requests(scope: Scope, platform: str, user_id: str) -> list[GroupRef]:
    """A member who asks to be forgotten while their join request waits on the form: the
    request is declined at once (they may ask again) and its form row goes. Returns the groups.
    With the platform offline (a maintenance command) nothing is declined here: forgetting
    makes the request due, and the next sweep declines it."""
    adapter = scope.adapter(platform)
    if adapter is None:
        return []
    declined = []
    sessions = await FormSession.filter(
        platform=platform, user_id=user_id, purpose="join", gate="join_request", status="pending"
    ).all()
    for session in sessions:
        if not await FormSession.filter(id=session.id, status="pending").delete():
            continue  # approved or timed out meanwhile
        group = await group_of(scope, platform, session.guild_id)
        try:
            await adapter.answer_join_request(group.id, user_id, False)
        except PlatformError as exc:
            log.warning("onboarding: cannot decline the request of %s in %s: %s", user_id, group.id, exc)
        log.info("onboarding: join request of %s in %s declined: the member asked to be forgotten",
                 user_id, group.id)
        declined.append(group)
    return declined


# -- the admin view ------------------------------------------------------------------------------
async def unreachable(pending: list[FormSession]) -> set[int]:
    """Pending forms that never reached the member: not started, not stopped by the member
    (/cancel: it did reach them), and not merely queued behind another form the member is
    answering (which would mean the private chat works)."""
    waiting = [r for r in pending if r.started_at is None and r.cancelled_at is None]
    if not waiting:
        return set()
    started = FormSession.filter(platform=waiting[0].platform, status="pending", started_at__isnull=False)
    answering = await found_among(started, "user_id", (r.user_id for r in waiting))
    return {r.id for r in waiting if r.user_id not in answering}
