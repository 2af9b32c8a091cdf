"""The gate: what a join or a join request starts, what a timeout does, and the admin view.

Modes per group: ``off`` (the form is invited, one reminder later), ``restrict`` (muted until the
form is done) and ``join_request`` (the request is approved when the form is done). Deadlines
live in the database and a per-minute job sweeps them, so a restart loses none; each timeout is
claimed by a conditional update before anything is done, so it acts once.
"""

from __future__ import annotations

from datetime import timedelta

from tortoise.transactions import in_transaction

from bot import (
    Capability,
    Context,
    JobContext,
    JoinRequest,
    MemberJoined,
    MemberLeft,
    PermissionLevel,
    PlatformError,
    User,
)
from plugins.onboarding import plugin
from plugins.onboarding.common import group_name, log, name_card, send_private, settings, t
from plugins.onboarding.config import GroupSettings
from plugins.onboarding.flow import ask, open_session, start
from plugins.onboarding.models import FormSession, Profile
from plugins.onboarding.welcome import group_locale, post_flood_summaries, welcome_member

__all__ = ["sweep", "withdraw_join_requests"]

# An edit of one answer that was never finished is dropped after this long.
EDIT_LIFETIME = timedelta(days=1)
# A second report of a join within this time is the same join.
SAME_JOIN = timedelta(minutes=5)


async def _known_answers(ctx: Context, user: User, cfg: GroupSettings) -> dict[str, str]:
    """Answers the member gave in other groups of this bot (newest first wins), for this form."""
    answers: dict[str, str] = {}
    profiles = await Profile.filter(platform=ctx.platform, user_id=user.id).order_by("updated_at").all()
    for profile in profiles:
        answers.update({k: v for k, v in profile.answers.items() if cfg.field(k) is not None and v})
    return answers


async def _let_through(ctx: Context, user: User, cfg: GroupSettings) -> tuple[bool, dict[str, str]]:
    """With ``trust_other_groups``: a member whose answers elsewhere cover every required field
    of this form gets a profile here at once. Returns (through, answers known)."""
    if not cfg.trust_other_groups:
        return False, {}
    known = await _known_answers(ctx, user, cfg)
    if not known or any(f.required and f.key not in known for f in cfg.form):
        return False, known
    now = ctx.now
    async with in_transaction():
        if not await Profile.filter(platform=ctx.platform, guild_id=ctx.guild_id, user_id=user.id).exists():
            await Profile.create(
                platform=ctx.platform,
                guild_id=ctx.guild_id,
                user_id=user.id,
                user_name=user.display_name[:128],
                answers=known,
                completed_at=now,
                updated_at=now,
            )
        await FormSession.filter(
            platform=ctx.platform, guild_id=ctx.guild_id, user_id=user.id, purpose="join", status="pending"
        ).update(status="completed", finished_at=now)
    return True, known


@plugin.on(MemberJoined)
async def on_join(ctx: Context, event: MemberJoined) -> None:
    user = event.user
    if user is None or user.is_bot or user.is_channel or event.guild is None:
        return
    cfg = settings(ctx.app, ctx.platform, ctx.guild_id)
    if await FormSession.filter(
        platform=ctx.platform, guild_id=ctx.guild_id, user_id=user.id, purpose="join",
        status="pending", created_at__gte=ctx.now - SAME_JOIN,
    ).exists():
        # The same join reported again (Telegram sends it twice, and a restart forgets the
        # adapter's filter): no second welcome, the form under way is not restarted.
        return
    profile = await Profile.filter(platform=ctx.platform, guild_id=ctx.guild_id, user_id=user.id).first()
    if profile is None:
        through, known = await _let_through(ctx, user, cfg)
        if through:
            profile = await Profile.get(platform=ctx.platform, guild_id=ctx.guild_id, user_id=user.id)
    if profile is not None:
        # Already through: an approved join request, a member coming back, or trusted.
        await welcome_member(ctx, user, status="done", gate=cfg.gate, card=name_card(cfg.name_card, profile.answers))
        return
    gate = "restrict" if cfg.gate == "restrict" else "off"
    session = await _open_join_form(ctx, user, cfg, gate, known)
    if gate == "restrict" and ctx.bot.supports(Capability.MUTE):
        try:
            await ctx.bot.mute(ctx.guild_id, user.id, None)
        except PlatformError as exc:
            log.warning("onboarding: cannot mute %s in %s: %s", user.id, ctx.guild_id, exc)
    status = await start(ctx.app, session)
    await welcome_member(ctx, user, status=status, gate=gate)


@plugin.on(JoinRequest)
async def on_join_request(ctx: Context, event: JoinRequest) -> None:
    user = event.user
    if user is None or event.guild is None:
        return
    cfg = settings(ctx.app, ctx.platform, ctx.guild_id)
    if cfg.gate != "join_request":
        return  # the admins answer requests themselves
    known_profile = await Profile.filter(platform=ctx.platform, guild_id=ctx.guild_id, user_id=user.id).exists()
    through, known = (True, {}) if known_profile else await _let_through(ctx, user, cfg)
    if through:
        await ctx.bot.answer_join_request(ctx.guild_id, user.id, True)
        return
    session = await _open_join_form(ctx, user, cfg, "join_request", known)
    # Unreachable (never started the bot, or blocked it): the request waits until the timeout,
    # because the member may still open the private chat (the group's description can say so)
    # and /start there begins the form; the admins see them in /onboarding status.
    if await start(ctx.app, session) == "unreachable":
        log.info("onboarding: join request of %s in %s waits: not reachable in private until %s",
                 user.id, ctx.guild_id, session.deadline)


async def _open_join_form(ctx: Context, user, cfg, gate: str, known: dict) -> FormSession:
    """The form a newcomer owes: only the questions not already answered elsewhere, with a
    deadline where the gate holds them (restrict, join_request)."""
    return await open_session(
        ctx.app,
        platform=ctx.platform,
        guild_id=ctx.guild_id,
        user=user,
        purpose="join",
        gate=gate,
        keys=[f.key for f in cfg.form if f.key not in known],
        answers=known,
        locale=ctx.locale,
        deadline=ctx.now + timedelta(minutes=cfg.timeout_minutes) if gate != "off" else None,
    )


@plugin.on(MemberLeft)
async def on_leave(ctx: Context, event: MemberLeft) -> None:
    if event.user is None or event.guild is None:
        return
    keys = {"platform": ctx.platform, "guild_id": ctx.guild_id, "user_id": event.user.id}
    await FormSession.filter(**keys, purpose="join", status="pending").update(
        status="left", finished_at=ctx.now, answers={}
    )
    await FormSession.filter(**keys, purpose="edit").delete()


# -- timeouts and reminders ----------------------------------------------------------------------
@plugin.cron("* * * * *", per_guild=False)
async def sweep(job: JobContext) -> None:
    """Time out forms whose deadline passed, remind gate-off members once, drop stale edits,
    sum up join floods that are over."""
    app = job.app
    now = app.clock.now()
    platforms = list(app.adapters)
    due = await FormSession.filter(
        status="pending", purpose="join", deadline__lte=now, platform__in=platforms
    ).all()
    for session in due:
        cfg = settings(app, session.platform, session.guild_id)
        if session.gate == "restrict" and cfg.on_timeout == "stay_muted":
            # Still behind the gate and still able to finish it: the form stays open, only the
            # deadline is spent (the claim, so the member is told once).
            change = {"deadline": None}
        else:
            # The half-filled answers go: nothing would ever read them, and a declined requester
            # never becomes a member whom the retention period could reach.
            change = {"status": "timed_out", "finished_at": now, "answers": {}}
        claimed = await FormSession.filter(id=session.id, status="pending", deadline__lte=now).update(**change)
        if claimed:
            await _time_out(app, session)
    quiet = await FormSession.filter(
        status="pending", purpose="join", gate="off", reminded_at__isnull=True, platform__in=platforms,
        created_at__lte=now - timedelta(hours=1),
    ).all()
    for session in quiet:
        cfg = settings(app, session.platform, session.guild_id)
        if session.created_at > now - timedelta(hours=cfg.reminder_hours):
            continue
        if await FormSession.filter(id=session.id, reminded_at__isnull=True).update(reminded_at=now):
            await _remind(app, session)
    await FormSession.filter(purpose="edit", created_at__lte=now - EDIT_LIFETIME).delete()
    await post_flood_summaries(app, now)


async def _time_out(app, session: FormSession) -> None:
    platform, guild_id, user_id = session.platform, session.guild_id, session.user_id
    cfg = settings(app, platform, guild_id)
    adapter = app.adapter(platform)
    group = await group_name(app, platform, guild_id)
    loc = session.locale
    try:
        if session.gate == "join_request":
            await adapter.answer_join_request(guild_id, user_id, False)
            await send_private(app, platform, user_id, t(app, loc, "gate.declined", group=group))
        elif session.gate == "restrict" and cfg.on_timeout == "kick":
            try:
                await adapter.kick(guild_id, user_id, "onboarding form not completed in time")
                outcome = "gate.kicked"
            except PlatformError as exc:
                # The bot may not remove them (a right it lacks, a higher role): rather than a
                # member muted for good, the gate stays as with stay_muted and the form reopens.
                log.warning("onboarding: cannot remove %s from %s (%s); they stay muted", user_id, guild_id, exc)
                await FormSession.filter(id=session.id).update(status="pending", finished_at=None, deadline=None)
                outcome = "gate.stays_muted"
            await send_private(app, platform, user_id, t(app, loc, outcome, group=group))
        elif session.gate == "restrict":
            await send_private(app, platform, user_id, t(app, loc, "gate.stays_muted", group=group))
    except PlatformError as exc:
        log.warning("onboarding: timeout action on %s in %s failed: %s", user_id, guild_id, exc)
    await app.audit(None, "onboarding", "timeout", f"{platform}:{user_id}", {"guild": guild_id, "gate": session.gate})


async def withdraw_join_requests(app, platform: str, user_id: str) -> list[str]:
    """A member who asks to be forgotten while their join request waits on the form: the
    request is declined at once (they may ask again) and its form row goes. Returns the groups."""
    declined = []
    sessions = await FormSession.filter(
        platform=platform, user_id=user_id, purpose="join", gate="join_request", status="pending"
    ).all()
    for session in sessions:
        if not await FormSession.filter(id=session.id, status="pending").delete():
            continue  # approved or timed out meanwhile
        try:
            await app.adapter(platform).answer_join_request(session.guild_id, user_id, False)
        except PlatformError as exc:
            log.warning("onboarding: cannot decline the request of %s in %s: %s", user_id, session.guild_id, exc)
        log.info("onboarding: join request of %s in %s declined: the member asked to be forgotten",
                 user_id, session.guild_id)
        declined.append(session.guild_id)
    return declined


async def _remind(app, session: FormSession) -> None:
    group = await group_name(app, session.platform, session.guild_id)
    reminder = t(app, session.locale, "gate.reminder", group=group)
    if session.started_at is not None:
        await ask(app, session, reminder)
    elif await send_private(app, session.platform, session.user_id, reminder):
        await start(app, session)


# -- admin view ----------------------------------------------------------------------------------
STATUSES = ("pending", "completed", "timed_out", "left")
LISTED = 10


@plugin.command("onboarding status", description="onboarding.cmd.status", level=PermissionLevel.ADMIN, guild_only=True)
async def status_cmd(ctx: Context) -> None:
    rows = await FormSession.filter(platform=ctx.platform, guild_id=ctx.guild_id, purpose="join").all()
    counts = {s: sum(1 for r in rows if r.status == s) for s in STATUSES}
    profiles = await Profile.filter(platform=ctx.platform, guild_id=ctx.guild_id).count()
    cfg = settings(ctx.app, ctx.platform, ctx.guild_id)
    lines = [
        ctx.t("onboarding.status.title", gate=ctx.t(f"onboarding.status.gate_{cfg.gate}")),
        ctx.t("onboarding.status.counts", profiles=profiles, **counts),
    ]
    pending = sorted((r for r in rows if r.status == "pending"), key=lambda r: r.created_at)
    unreachable = await _unreachable(pending)
    if unreachable:
        requests = sum(1 for r in pending if r.id in unreachable and r.gate == "join_request")
        lines.append(ctx.t("onboarding.status.unreachable", n=len(unreachable), requests=requests))
    for row in pending[:LISTED]:
        since = row.created_at.astimezone(ctx.timezone).strftime("%m-%d %H:%M")
        line = ctx.t("onboarding.status.pending_line", name=row.user_name or row.user_id, since=since,
                     step=row.step, total=len(row.keys))
        if row.deadline is not None:
            line += ctx.t("onboarding.status.deadline", time=row.deadline.astimezone(ctx.timezone).strftime("%H:%M"))
        if row.id in unreachable:
            line += ctx.t("onboarding.status.unreachable_mark")
        lines.append(line)
    if len(pending) > LISTED:
        lines.append(ctx.t("onboarding.status.more", n=len(pending) - LISTED))
    await ctx.reply("\n".join(lines))


async def _unreachable(pending: list[FormSession]) -> set[int]:
    """Pending forms that never reached the member: not started, and not merely queued behind
    another form the member is answering (which would mean the private chat works)."""
    waiting = [r for r in pending if r.started_at is None]
    if not waiting:
        return set()
    answering = set(
        await FormSession.filter(
            platform=waiting[0].platform, user_id__in=[r.user_id for r in waiting], status="pending",
            started_at__isnull=False,
        ).values_list("user_id", flat=True)
    )
    return {r.id for r in waiting if r.user_id not in answering}


@plugin.command("onboarding ask", description="onboarding.cmd.ask", level=PermissionLevel.ADMIN, guild_only=True)
async def ask_cmd(ctx: Context, member: User) -> None:
    cfg = settings(ctx.app, ctx.platform, ctx.guild_id)
    account = await ctx.app.roster.account(ctx.platform, member)
    locale = account.locale or await group_locale(ctx.app, ctx.platform, ctx.guild_id)
    pending = await FormSession.filter(
        platform=ctx.platform, guild_id=ctx.guild_id, user_id=member.id, purpose="join", status="pending"
    ).first()
    if pending is not None and pending.started_at is not None:
        # Already answering (perhaps behind a gate, which stays as it is): ask the question again.
        state = "sent" if await ask(ctx.app, pending) else "unreachable"
    elif pending is not None:
        state = await start(ctx.app, pending)
    else:
        session = await open_session(
            ctx.app,
            platform=ctx.platform,
            guild_id=ctx.guild_id,
            user=User(member.id, account.name or member.name),
            purpose="join",
            gate="off",
            keys=[f.key for f in cfg.form],
            locale=locale,
            deadline=None,
        )
        state = await start(ctx.app, session)
    await ctx.audit("ask", f"{ctx.platform}:{member.id}")
    await ctx.reply(ctx.t(f"onboarding.status.asked_{state}", name=account.name or member.name))
