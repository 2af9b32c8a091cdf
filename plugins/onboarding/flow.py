"""The form flow: one question at a time in private chat (or paged modals where the platform
has them), every step written to the database before the next question is sent.

A member has at most one form *in conversation* at a time (the oldest started pending session);
forms of other groups wait their turn and start when it is done.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tortoise.transactions import in_transaction

from bot import (
    Button,
    Capability,
    CommandInvoked,
    Context,
    FormField,
    FormSubmitted,
    MessageCreated,
    Outgoing,
    PlatformError,
    Text,
    User,
)
from plugins.onboarding import plugin
from plugins.onboarding.common import group_name, log, name_card, send_private, settings, t
from plugins.onboarding.forms import Invalid, validate_answer
from plugins.onboarding.models import FormSession, Profile
from plugins.onboarding.welcome import announce_completion, group_locale

if TYPE_CHECKING:
    from bot import App
    from plugins.onboarding.config import FieldConfig, GroupSettings

__all__ = [
    "active_session",
    "answer",
    "ask",
    "complete",
    "open_session",
    "reason_text",
    "start",
    "start_next",
]

MODAL_PAGE = 5  # Discord: at most five inputs per modal
MODAL_LABEL = 45  # Discord: a text input label is at most 45 characters


# -- sessions ------------------------------------------------------------------------------------
async def active_session(platform: str, user_id: str) -> FormSession | None:
    """The form the member is answering now, if any."""
    return (
        await FormSession.filter(platform=platform, user_id=user_id, status="pending", started_at__isnull=False)
        .order_by("started_at", "id")
        .first()
    )


async def waiting_session(platform: str, user_id: str) -> FormSession | None:
    """The oldest form the member has not started yet (private chat was closed, or queued)."""
    return (
        await FormSession.filter(platform=platform, user_id=user_id, status="pending", started_at__isnull=True)
        .order_by("created_at", "id")
        .first()
    )


async def open_session(
    app: App,
    *,
    platform: str,
    guild_id: str,
    user: User,
    purpose: str,
    gate: str,
    keys: list[str],
    locale: str,
    deadline: datetime | None,
    answers: dict[str, str] | None = None,
) -> FormSession:
    """Create the member's form for this group, or restart the one they had."""
    values = {
        "user_name": user.display_name[:128],
        "status": "pending",
        "gate": gate,
        "keys": keys,
        "step": 0,
        "answers": answers or {},
        "locale": locale,
        "created_at": app.clock.now(),
        "started_at": None,
        "deadline": deadline,
        "reminded_at": None,
        "finished_at": None,
    }
    async with in_transaction():
        session = await FormSession.filter(
            platform=platform, guild_id=guild_id, user_id=user.id, purpose=purpose
        ).first()
        if session is None:
            return await FormSession.create(
                platform=platform, guild_id=guild_id, user_id=user.id, purpose=purpose, **values
            )
        await FormSession.filter(id=session.id).update(**values)
    return await FormSession.get(id=session.id)


async def start(app: App, session: FormSession) -> str:
    """Send the first question. Returns ``sent``, ``queued`` (another form is in
    conversation) or ``unreachable`` (private chat closed)."""
    active = await active_session(session.platform, session.user_id)
    if active is not None and active.id != session.id:
        return "queued"
    if active is None:
        now = app.clock.now()
        claimed = await FormSession.filter(id=session.id, status="pending", started_at__isnull=True).update(
            started_at=now
        )
        if not claimed:
            return "queued"
        session.started_at = now
    intro = await _intro(app, session)
    if await ask(app, session, intro):
        return "sent"
    # Not reachable: the form waits until the member writes to the bot.
    await FormSession.filter(id=session.id).update(started_at=None)
    return "unreachable"


async def start_next(app: App, platform: str, user_id: str) -> None:
    if await active_session(platform, user_id) is None:
        waiting = await waiting_session(platform, user_id)
        if waiting is not None:
            await start(app, waiting)


# -- questions -----------------------------------------------------------------------------------
async def _intro(app: App, session: FormSession) -> str:
    group = await group_name(app, session.platform, session.guild_id)
    loc = session.locale
    if session.purpose == "edit":
        return t(app, loc, "flow.intro_edit", group=group)
    text = t(app, loc, "flow.intro", group=group, count=len(session.keys))
    if session.deadline is not None:
        cfg = settings(app, session.platform, session.guild_id)
        text += "\n" + t(app, loc, "flow.deadline", minutes=cfg.timeout_minutes)
    return text


def _spec(cfg: GroupSettings, session: FormSession) -> FieldConfig | None:
    keys = list(session.keys)
    return cfg.field(keys[session.step]) if session.step < len(keys) else None


def question_text(app: App, spec: FieldConfig, session: FormSession) -> str:
    loc = session.locale
    lines = [f"({session.step + 1}/{len(session.keys)}) {spec.question.get(loc)}"]
    if spec.type in ("choice", "multi_choice"):
        lines.append("  ".join(f"{i}. {c}" for i, c in enumerate(spec.choices, 1)))
        lines.append(t(app, loc, f"flow.{spec.type}_hint"))
    elif spec.type == "url":
        lines.append(t(app, loc, "flow.url_hint"))
    if not spec.required:
        lines.append(t(app, loc, "flow.optional"))
    if session.step > 0:
        lines.append(t(app, loc, "flow.back_hint"))
    return "\n".join(lines)


async def ask(app: App, session: FormSession, prefix: str = "") -> bool:
    """Send the current question in private; False when the member cannot be reached."""
    cfg = settings(app, session.platform, session.guild_id)
    spec = _spec(cfg, session)
    if spec is None:
        await complete(app, session)
        return True
    text = question_text(app, spec, session)
    message = Outgoing((Text(f"{prefix}\n\n{text}" if prefix else text),))
    if spec.type == "choice":
        uid = f"{session.platform}:{session.user_id}"
        buttons = [
            Button(c, "choose", {"session": session.id, "step": session.step, "value": c}, only_user=uid)
            for c in spec.choices
        ]
        message = message.with_buttons(*(buttons[i : i + 3] for i in range(0, len(buttons), 3)))
    return await send_private(app, session.platform, session.user_id, message)


async def answer(app: App, session: FormSession, text: str) -> None:
    """Take the member's answer to the current question: store it and ask the next, or re-ask
    with the reason it was refused."""
    cfg = settings(app, session.platform, session.guild_id)
    spec = _spec(cfg, session)
    if spec is None:
        await complete(app, session)
        return
    try:
        value = validate_answer(spec, text)
    except Invalid as refused:
        await ask(app, session, reason_text(app, session.locale, refused))
        return
    if not await _advance(session, {spec.key: value}, 1):
        return  # answered twice at once (a redelivered update): the first one counted
    await _next(app, session)


async def _advance(session: FormSession, values: dict[str, str], steps: int) -> bool:
    answers = {**session.answers, **values}
    updated = await FormSession.filter(id=session.id, status="pending", step=session.step).update(
        step=session.step + steps, answers=answers
    )
    if updated:
        session.step += steps
        session.answers = answers
    return bool(updated)


async def _next(app: App, session: FormSession) -> None:
    if session.step >= len(session.keys):
        await complete(app, session)
    else:
        await ask(app, session)


def reason_text(app: App, locale: str, refused: Invalid) -> str:
    params = dict(refused.params)
    if "choices" in params:
        params["choices"] = ", ".join(params["choices"])
    if "hint" in params:
        params["hint"] = params["hint"].get(locale) if params["hint"] else ""
    return "⚠️ " + t(app, locale, f"invalid.{refused.reason}", **params)


async def back(app: App, session: FormSession) -> None:
    if session.step == 0:
        await ask(app, session, t(app, session.locale, "flow.at_first"))
        return
    await FormSession.filter(id=session.id, step=session.step).update(step=session.step - 1)
    session.step -= 1
    await ask(app, session)


# -- completion ----------------------------------------------------------------------------------
async def complete(app: App, session: FormSession) -> None:
    """Save the answers as the member's profile, then lift the gate and say so."""
    now = app.clock.now()
    platform, guild_id, user_id = session.platform, session.guild_id, session.user_id
    async with in_transaction():
        if session.purpose == "edit":
            deleted = await FormSession.filter(id=session.id).delete()
            if not deleted:
                return
            for profile in await Profile.filter(platform=platform, user_id=user_id).all():
                form = settings(app, platform, profile.guild_id)
                changed = {k: v for k, v in session.answers.items() if form.field(k) is not None}
                if changed:
                    await Profile.filter(id=profile.id).update(answers={**profile.answers, **changed}, updated_at=now)
        else:
            updated = await FormSession.filter(id=session.id, status="pending").update(
                status="completed", finished_at=now, answers={}
            )
            if not updated:
                return
            profile = await Profile.filter(platform=platform, guild_id=guild_id, user_id=user_id).first()
            if profile is None:
                await Profile.create(
                    platform=platform,
                    guild_id=guild_id,
                    user_id=user_id,
                    user_name=session.user_name,
                    answers=session.answers,
                    completed_at=now,
                    updated_at=now,
                )
            else:
                await Profile.filter(id=profile.id).update(
                    answers={**profile.answers, **session.answers}, user_name=session.user_name, updated_at=now
                )
    if session.purpose == "edit":
        await send_private(app, platform, user_id, t(app, session.locale, "flow.edited"))
    else:
        await _after_join_form(app, session)
    await start_next(app, platform, user_id)


async def _after_join_form(app: App, session: FormSession) -> None:
    platform, guild_id, user_id = session.platform, session.guild_id, session.user_id
    cfg = settings(app, platform, guild_id)
    profile = await Profile.get(platform=platform, guild_id=guild_id, user_id=user_id)
    card = name_card(cfg.name_card, profile.answers)
    adapter = app.adapter(platform)
    note = ""
    try:
        if session.gate == "restrict" and adapter.supports(Capability.MUTE):
            await adapter.unmute(guild_id, user_id)
        elif session.gate == "join_request":
            await adapter.answer_join_request(guild_id, user_id, True)
    except PlatformError as exc:
        log.warning("onboarding: could not lift the gate of %s in %s: %s", user_id, guild_id, exc)
        if session.gate == "join_request":
            note = "\n" + t(app, session.locale, "flow.request_gone")
    group = await group_name(app, platform, guild_id)
    done = t(app, session.locale, "flow.done", group=group)
    if card:
        done += "\n" + t(app, session.locale, "flow.card", card=card)
    await send_private(app, platform, user_id, done + note)
    # A join request's welcome comes with the MemberJoined that the approval causes.
    if session.gate != "join_request" and cfg.announce_completion:
        locale = await group_locale(app, platform, guild_id)
        await announce_completion(app, platform, guild_id, User(user_id, session.user_name), card, locale)


# -- private chat --------------------------------------------------------------------------------
@plugin.on(MessageCreated)
async def on_private_text(ctx: Context, event: MessageCreated) -> None:
    if not event.is_direct or event.user is None:
        return
    session = await active_session(ctx.platform, event.user.id)
    if session is not None:
        await answer(ctx.app, session, event.message.text)
        return
    waiting = await waiting_session(ctx.platform, event.user.id)
    if waiting is not None:
        await start(ctx.app, waiting)


@plugin.on(CommandInvoked)
async def on_start(ctx: Context, event: CommandInvoked) -> None:
    # Telegram's Start button (and a deep link) sends /start: begin a form that was waiting.
    if event.name == "start" and event.is_direct and event.user is not None:
        await start_next(ctx.app, ctx.platform, event.user.id)


async def _mine(ctx: Context) -> FormSession | None:
    session = await active_session(ctx.platform, ctx.event.user.id)
    if session is None:
        await ctx.reply(ctx.t("onboarding.flow.nothing_open"))
    return session


# /back, /skip and /cancel: short enough to tap in Telegram's message text (a sub-command such as
# "/form back" is not), so each question names the one that applies. They only act in private
# chat during a form and are hidden from /help and the command menus, where a member outside a
# form would only be confused by them (the names are reserved by this plugin: see the docs).
@plugin.command("back", description="onboarding.cmd.back", private_only=True, hidden=True)
async def back_cmd(ctx: Context) -> None:
    if session := await _mine(ctx):
        await back(ctx.app, session)


@plugin.command("skip", description="onboarding.cmd.skip", private_only=True, hidden=True)
async def skip_cmd(ctx: Context) -> None:
    if session := await _mine(ctx):
        await answer(ctx.app, session, "")


@plugin.command("cancel", description="onboarding.cmd.cancel", private_only=True, hidden=True)
async def cancel_cmd(ctx: Context) -> None:
    session = await _mine(ctx)
    if session is None:
        return
    if session.purpose == "edit":
        await FormSession.filter(id=session.id).delete()
        await ctx.reply(ctx.t("onboarding.flow.edit_cancelled"))
    else:
        # The gate stays: a restricted member stays muted and the deadline still runs.
        await FormSession.filter(id=session.id, status="pending").update(started_at=None, step=0, answers={})
        key = "flow.cancelled_gate" if session.deadline is not None else "flow.cancelled"
        await ctx.reply(ctx.t(f"onboarding.{key}"))
    await start_next(ctx.app, ctx.platform, ctx.event.user.id)


@plugin.command("form", description="onboarding.cmd.form")
async def form_cmd(ctx: Context) -> None:
    """Start or resume one's form (in private chat)."""
    user = ctx.event.user
    session = await active_session(ctx.platform, user.id)
    if session is not None:
        if not await ask(ctx.app, session):
            await ctx.reply(ctx.t("bot.error.dm_closed", name=user.display_name))
        return
    waiting = await waiting_session(ctx.platform, user.id)
    if waiting is None:
        await ctx.reply(ctx.t("onboarding.flow.nothing_open"), private=True)
        return
    state = await start(ctx.app, waiting)
    if state == "unreachable":
        await ctx.reply(ctx.t("bot.error.dm_closed", name=user.display_name))
    elif not ctx.event.is_direct:
        await ctx.reply(ctx.t("onboarding.flow.sent_private"))


@plugin.button("choose")
async def choose(ctx: Context, payload: dict[str, Any]) -> None:
    session = await FormSession.get_or_none(id=payload.get("session"), status="pending")
    if session is None or session.step != payload.get("step") or session.user_id != ctx.event.user.id:
        await ctx.answer(ctx.t("bot.error.button_expired"))
        return
    await answer(ctx.app, session, str(payload.get("value", "")))


# -- modals (Discord) ----------------------------------------------------------------------------
@plugin.button("open_form")
async def open_form(ctx: Context, payload: dict[str, Any]) -> None:
    """The welcome's "fill in the form" button: a modal where the platform has them, the
    private-chat flow elsewhere."""
    user = ctx.event.user
    guild_id = payload.get("guild") or ctx.guild_id
    session = await FormSession.filter(
        platform=ctx.platform, guild_id=guild_id, user_id=user.id, status="pending"
    ).order_by("purpose").first()
    if session is None:
        await ctx.answer(ctx.t("onboarding.flow.nothing_open"), alert=True)
        return
    if ctx.bot.supports(Capability.FORM_MODAL):
        await ask_modal(ctx, session)
        return
    if session.started_at is not None:
        reached = await ask(ctx.app, session)
    else:
        reached = await start(ctx.app, session) != "unreachable"
    await ctx.answer(ctx.t("onboarding.flow.sent_private" if reached else "onboarding.flow.open_private"), alert=True)


async def ask_modal(ctx: Context, session: FormSession) -> None:
    cfg = settings(ctx.app, session.platform, session.guild_id)
    keys = list(session.keys)[session.step : session.step + MODAL_PAGE]
    fields = []
    for key in keys:
        spec = cfg.field(key)
        if spec is None:
            continue
        label = spec.label.get(session.locale) or spec.question.get(session.locale)
        if spec.type in ("choice", "multi_choice"):
            label = f"{label}: {'/'.join(spec.choices)}"
        fields.append(
            FormField(
                key=key,
                label=label[:MODAL_LABEL],
                required=spec.required,
                max_length=spec.max_length,
                long=spec.max_length > 100,
                default=str(session.answers.get(key, "")),
            )
        )
    pages = -(-len(session.keys) // MODAL_PAGE)
    page = session.step // MODAL_PAGE + 1
    group = await group_name(ctx.app, session.platform, session.guild_id)
    title = t(ctx.app, session.locale, "flow.modal_title", group=group, page=page, pages=pages)
    await ctx.bot.ask_form(ctx.event, f"onboarding:{session.id}:{session.step}", title, fields)


@plugin.on(FormSubmitted)
async def on_modal(ctx: Context, event: FormSubmitted) -> None:
    prefix, _, rest = event.form_id.partition(":")
    session_id, _, step = rest.partition(":")
    if prefix != "onboarding" or not session_id.isdigit() or not step.isdigit():
        return
    session = await FormSession.get_or_none(id=int(session_id), status="pending")
    if session is None or session.user_id != event.user.id or session.step != int(step):
        await ctx.reply(ctx.t("bot.error.button_expired"), private=True)
        return
    cfg = settings(ctx.app, session.platform, session.guild_id)
    accepted: dict[str, str] = {}
    problems: list[str] = []
    for key in list(session.keys)[session.step : session.step + MODAL_PAGE]:
        spec = cfg.field(key)
        if spec is None:
            accepted[key] = ""
            continue
        try:
            accepted[key] = validate_answer(spec, event.values.get(key, ""))
        except Invalid as refused:
            problems.append(f"{spec.label.get(session.locale) or key}: {reason_text(ctx.app, session.locale, refused)}")
            break  # the page resumes at the first refused answer
    if not await _advance(session, accepted, len(accepted)):
        return
    loc = session.locale  # the language the form is asked in
    if session.step >= len(session.keys):
        await complete(ctx.app, session)
        await ctx.reply(t(ctx.app, loc, "flow.done_short"), private=True)
        return
    text = "\n".join(problems) if problems else t(ctx.app, loc, "flow.next_page")
    button = Button(t(ctx.app, loc, "flow.continue"), "open_form", {"guild": session.guild_id}, only_user=event.uid)
    await ctx.reply(Outgoing((Text(text),)).with_buttons([button]), private=True)
