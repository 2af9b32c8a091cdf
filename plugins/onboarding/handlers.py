"""What members do that the plugin answers: joining, asking to join, leaving, writing to the
bot in private (an answer, or the first message that opens a waiting form), and a modal page."""

from __future__ import annotations

from datetime import timedelta

from bot import (
    Capability,
    CommandInvoked,
    Context,
    FormSubmitted,
    JoinRequest,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    PlatformError,
)
from plugins.onboarding import plugin
from plugins.onboarding.flow import (
    active_session,
    answer,
    session_group,
    start,
    start_next,
    submit_page,
    waiting_session,
)
from plugins.onboarding.gate import let_through, open_join_form
from plugins.onboarding.models import FormSession, Profile
from plugins.onboarding.reach import log
from plugins.onboarding.texts import public_card
from plugins.onboarding.welcome import welcome_member

# A second report of a join within this time is the same join.
SAME_JOIN = timedelta(minutes=5)


@plugin.on(MemberJoined)
async def on_join(ctx: Context, event: MemberJoined) -> None:
    user, group = event.user, ctx.group
    if user is None or user.is_bot or user.is_channel or group is None:
        return
    cfg = ctx.config.for_group(group)
    where = {"platform": ctx.platform, "guild_id": group.key, "user_id": user.id}
    if await FormSession.filter(
        **where, purpose="join", status="pending", created_at__gte=ctx.now - SAME_JOIN
    ).exists():
        # The same join reported again (Telegram sends it twice, and a restart forgets the
        # adapter's filter): no second welcome, the form under way is not restarted.
        return
    known: dict[str, str] = {}
    profile = await Profile.filter(**where).first()
    if profile is None:
        through, known = await let_through(ctx, user, cfg)
        if through:
            profile = await Profile.get(**where)
    if profile is not None:
        # Already through: an approved join request, a member coming back, or trusted.
        card = public_card(cfg, profile.answers)
        await welcome_member(ctx, user, status="done", gate=cfg.gate, card=card)
        return
    gate = "restrict" if cfg.gate == "restrict" else "off"
    session = await open_join_form(ctx, user, cfg, gate, known)
    if gate == "restrict" and ctx.bot.supports(Capability.MUTE):
        try:
            await ctx.bot.mute(group.id, user.id, None)
        except PlatformError as exc:
            log.warning("onboarding: cannot mute %s in %s: %s", user.id, group.id, exc)
    status = await start(ctx, session, group)
    await welcome_member(ctx, user, status=status, gate=gate)


@plugin.on(JoinRequest)
async def on_join_request(ctx: Context, event: JoinRequest) -> None:
    user, group = event.user, ctx.group
    if user is None or group is None:
        return
    cfg = ctx.config.for_group(group)
    if cfg.gate != "join_request":
        return  # the admins answer requests themselves
    known_profile = await Profile.filter(platform=ctx.platform, guild_id=group.key, user_id=user.id).exists()
    through, known = (True, {}) if known_profile else await let_through(ctx, user, cfg)
    if through:
        await ctx.bot.answer_join_request(group.id, user.id, True)
        return
    session = await open_join_form(ctx, user, cfg, "join_request", known)
    # Unreachable (never started the bot, or blocked it): the request waits until the timeout,
    # because the member may still open the private chat (the group's description can say so)
    # and /start there begins the form; the admins see them in /onboarding status.
    if await start(ctx, session, group) == "unreachable":
        log.info("onboarding: join request of %s in %s waits: not reachable in private until %s",
                 user.id, group.id, session.deadline)


@plugin.on(MemberLeft)
async def on_leave(ctx: Context, event: MemberLeft) -> None:
    if event.user is None or ctx.group is None:
        return
    where = {"platform": ctx.platform, "guild_id": ctx.group.key, "user_id": event.user.id}
    await FormSession.filter(**where, purpose="join", status="pending").update(
        status="left", finished_at=ctx.now, answers={}
    )
    await FormSession.filter(**where, purpose="edit").delete()


@plugin.on(MessageCreated)
async def on_private_text(ctx: Context, event: MessageCreated) -> None:
    """In private chat: the answer to the current question, or the first message that opens
    a form that could not reach the member before."""
    if not event.is_direct or event.user is None:
        return
    session = await active_session(ctx.platform, event.user.id)
    if session is not None:
        await answer(ctx, session, await session_group(ctx, session), event.message.text)
        return
    waiting = await waiting_session(ctx.platform, event.user.id)
    if waiting is not None:
        await start(ctx, waiting, await session_group(ctx, waiting))


@plugin.on(CommandInvoked)
async def on_start(ctx: Context, event: CommandInvoked) -> None:
    # Telegram's Start button (and a deep link) sends /start: begin a form that was waiting.
    if event.name == "start" and event.is_direct and event.user is not None:
        await start_next(ctx, ctx.platform, event.user.id)


@plugin.on(FormSubmitted)
async def on_modal(ctx: Context, event: FormSubmitted) -> None:
    prefix, _, rest = event.form_id.partition(":")
    session_id, _, step = rest.partition(":")
    if prefix != "onboarding" or not session_id.isdigit() or not step.isdigit() or event.user is None:
        return
    session = await FormSession.get_or_none(id=int(session_id), status="pending")
    if (
        session is None or session.user_id != event.user.id or session.step != int(step)
        or session.cancelled_at is not None
    ):
        await ctx.reply(ctx.t("bot.error.button_expired"), private=True)
        return
    await submit_page(ctx, session, event.values)
