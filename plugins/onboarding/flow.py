"""The form flow: one question at a time in private chat (or paged modals where the platform
has them), every step written to the database before the next question is sent.

A member has at most one form *in conversation* at a time (the oldest started pending session);
forms of other groups wait their turn and start when it is done. A form the member stopped with
/cancel waits for them to ask for it again (/form, the welcome's button): nothing else starts it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot import Button, Capability, FormField, Outgoing, PlatformError, Text, User
from plugins.onboarding.directory import edit_values, save_edit
from plugins.onboarding.forms import Invalid, validate_answer
from plugins.onboarding.models import FormSession, Profile
from plugins.onboarding.reach import group_name, group_of, log, send_private
from plugins.onboarding.texts import public_card
from plugins.onboarding.welcome import announce_completion

if TYPE_CHECKING:
    from bot import Context, GroupRef, Scope
    from plugins.onboarding.config import FieldConfig, GroupSettings

__all__ = [
    "active_session",
    "answer",
    "ask",
    "ask_modal",
    "back",
    "cancel",
    "complete",
    "open_session",
    "reason_text",
    "resumable_session",
    "session_group",
    "start",
    "start_next",
    "submit_page",
    "waiting_session",
]

MODAL_PAGE = 5  # Discord: at most five inputs per modal
MODAL_LABEL = 45  # Discord: a text input label is at most 45 characters


# -- sessions ------------------------------------------------------------------------------------
async def active_session(platform: str, user_id: str) -> FormSession | None:
    """The form the member is answering now, if any."""
    return (
        await FormSession.filter(
            platform=platform, user_id=user_id, status="pending", started_at__isnull=False
        )
        .order_by("started_at", "id")
        .first()
    )


async def waiting_session(platform: str, user_id: str) -> FormSession | None:
    """The oldest form the member has not started yet (private chat was closed, or queued) and
    did not stop: the one a message, /start or the end of another form may begin."""
    return (
        await FormSession.filter(
            platform=platform, user_id=user_id, status="pending", started_at__isnull=True,
            cancelled_at__isnull=True,
        )
        .order_by("created_at", "id")
        .first()
    )


async def resumable_session(platform: str, user_id: str) -> FormSession | None:
    """The form /form begins: the oldest not started, stopped ones included."""
    return (
        await FormSession.filter(
            platform=platform, user_id=user_id, status="pending", started_at__isnull=True
        )
        .order_by("created_at", "id")
        .first()
    )


async def cancel(scope: Scope, session: FormSession) -> None:
    """The member stopped answering (/cancel): an edit is dropped; a join form starts again
    from the top, and it and every form queued behind it wait for /form. A gate stays as it
    is: the deadline still runs."""
    async with scope.transaction():
        if session.purpose == "edit":
            await FormSession.filter(id=session.id).delete()
        else:
            await FormSession.filter(id=session.id, status="pending").update(
                started_at=None, step=0, answers={}
            )
        await FormSession.filter(
            platform=session.platform, user_id=session.user_id, status="pending", purpose="join",
            cancelled_at__isnull=True,
        ).update(cancelled_at=scope.now)


async def session_group(scope: Scope, session: FormSession) -> GroupRef:
    """The group a form is for."""
    return await group_of(scope, session.platform, session.guild_id)


async def open_session(
    scope: Scope,
    *,
    group: GroupRef,
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
        "created_at": scope.now,
        "started_at": None,
        "deadline": deadline,
        "reminded_at": None,
        "finished_at": None,
        "cancelled_at": None,
    }
    where = {"platform": group.platform, "guild_id": group.key, "user_id": user.id, "purpose": purpose}
    async with scope.transaction():
        session = await FormSession.filter(**where).first()
        if session is None:
            return await FormSession.create(**where, **values)
        await FormSession.filter(id=session.id).update(**values)
    return await FormSession.get(id=session.id)


async def start(scope: Scope, session: FormSession, group: GroupRef, *, resume: bool = False) -> str:
    """Send the first question. Returns ``sent``, ``queued`` (another form is in
    conversation) or ``unreachable`` (private chat closed). A form the member stopped starts
    only when they ask for it (``resume``)."""
    if resume:
        # Asked for again: the forms the member stopped go on, this one first.
        await FormSession.filter(
            platform=session.platform, user_id=session.user_id, status="pending"
        ).update(cancelled_at=None)
        session.cancelled_at = None
    active = await active_session(session.platform, session.user_id)
    if active is not None and active.id != session.id:
        return "queued"
    if active is None:
        now = scope.now
        claimed = await FormSession.filter(
            id=session.id, status="pending", started_at__isnull=True, cancelled_at__isnull=True
        ).update(started_at=now)
        if not claimed:
            return "queued"
        session.started_at = now
    if await ask(scope, session, group, _intro(scope, session, group)):
        return "sent"
    # Not reachable: the form waits until the member writes to the bot.
    await FormSession.filter(id=session.id).update(started_at=None)
    return "unreachable"


async def start_next(scope: Scope, platform: str, user_id: str) -> None:
    """Begin the member's next waiting form, unless they are answering one."""
    if await active_session(platform, user_id) is None:
        waiting = await waiting_session(platform, user_id)
        if waiting is not None:
            await start(scope, waiting, await session_group(scope, waiting))


# -- questions -----------------------------------------------------------------------------------
def _intro(scope: Scope, session: FormSession, group: GroupRef) -> str:
    loc = session.locale
    if session.purpose == "edit":
        return scope.translate(loc, "onboarding.flow.intro_edit", group=group_name(group))
    text = scope.translate(loc, "onboarding.flow.intro", group=group_name(group), count=len(session.keys))
    if session.deadline is not None:
        minutes = scope.config.for_group(group).timeout_minutes
        text += "\n" + scope.translate(loc, "onboarding.flow.deadline", minutes=minutes)
    return text


def _spec(cfg: GroupSettings, session: FormSession) -> FieldConfig | None:
    keys = list(session.keys)
    return cfg.field(keys[session.step]) if session.step < len(keys) else None


def question_text(scope: Scope, spec: FieldConfig, session: FormSession) -> str:
    loc = session.locale
    lines = [f"({session.step + 1}/{len(session.keys)}) {spec.question.get(loc)}"]
    if spec.type in ("choice", "multi_choice"):
        lines.append("  ".join(f"{i}. {c}" for i, c in enumerate(spec.choices, 1)))
        lines.append(scope.translate(loc, f"onboarding.flow.{spec.type}_hint"))
    elif spec.type == "url":
        lines.append(scope.translate(loc, "onboarding.flow.url_hint"))
    if not spec.required:
        lines.append(scope.translate(loc, "onboarding.flow.optional"))
    if session.step > 0:
        lines.append(scope.translate(loc, "onboarding.flow.back_hint"))
    return "\n".join(lines)


async def ask(scope: Scope, session: FormSession, group: GroupRef, prefix: str = "") -> bool:
    """Send the current question in private; False when the member cannot be reached."""
    spec = _spec(scope.config.for_group(group), session)
    if spec is None:
        await complete(scope, session, group)
        return True
    text = question_text(scope, spec, session)
    message = Outgoing((Text(f"{prefix}\n\n{text}" if prefix else text),))
    if spec.type == "choice":
        uid = f"{session.platform}:{session.user_id}"
        buttons = [
            Button(c, "choose", {"session": session.id, "step": session.step, "value": c}, only_user=uid)
            for c in spec.choices
        ]
        message = message.with_buttons(*(buttons[i : i + 3] for i in range(0, len(buttons), 3)))
    return await send_private(scope, session.platform, session.user_id, message)


async def answer(scope: Scope, session: FormSession, group: GroupRef, text: str) -> None:
    """Take the member's answer to the current question: store it and ask the next, or re-ask
    with the reason it was refused."""
    spec = _spec(scope.config.for_group(group), session)
    if spec is None:
        await complete(scope, session, group)
        return
    try:
        value = await _checked(scope, session, group, spec, text)
    except Invalid as refused:
        await ask(scope, session, group, reason_text(scope, session.locale, refused))
        return
    if not await _advance(session, {spec.key: value}, 1):
        return  # answered twice at once (a redelivered update): the first one counted
    if session.step >= len(session.keys):
        await complete(scope, session, group)
    else:
        await ask(scope, session, group)


async def _checked(scope: Scope, session: FormSession, group: GroupRef, spec: FieldConfig, text: str) -> str:
    """An answer as stored, or :class:`Invalid`. An edit changes the member's profile in every
    group whose form has the field, so every such form must accept it."""
    if session.purpose == "edit":
        value, _ = await edit_values(scope, session.platform, session.user_id, group, spec.key, text)
        return value
    return validate_answer(spec, text)


async def _advance(session: FormSession, values: dict[str, str], steps: int) -> bool:
    answers = {**session.answers, **values}
    updated = await FormSession.filter(id=session.id, status="pending", step=session.step).update(
        step=session.step + steps, answers=answers
    )
    if updated:
        session.step += steps
        session.answers = answers
    return bool(updated)


def reason_text(scope: Scope, locale: str, refused: Invalid) -> str:
    params = dict(refused.params)
    if "choices" in params:
        params["choices"] = ", ".join(params["choices"])
    if "hint" in params:
        params["hint"] = params["hint"].get(locale) if params["hint"] else ""
    reason = scope.translate(locale, f"onboarding.invalid.{refused.reason}", **params)
    if refused.where:
        reason = scope.translate(locale, "onboarding.invalid.in_group", group=refused.where, reason=reason)
    return "⚠️ " + reason


async def back(scope: Scope, session: FormSession, group: GroupRef) -> None:
    if session.step == 0:
        await ask(scope, session, group, scope.translate(session.locale, "onboarding.flow.at_first"))
        return
    await FormSession.filter(id=session.id, step=session.step).update(step=session.step - 1)
    session.step -= 1
    await ask(scope, session, group)


# -- completion ----------------------------------------------------------------------------------
async def complete(scope: Scope, session: FormSession, group: GroupRef) -> None:
    """Save the answers as the member's profile, then lift the gate and say so."""
    now = scope.now
    platform, user_id = session.platform, session.user_id
    async with scope.transaction():
        if session.purpose == "edit":
            if not await FormSession.filter(id=session.id).delete():
                return
            # The edit reaches the member's profile in every group whose form has the field;
            # the answer was checked against each form when it was given.
            for key, value in session.answers.items():
                try:
                    _, values = await edit_values(scope, platform, user_id, group, key, value)
                except Invalid as refused:  # a form changed since (the config was reloaded)
                    log.warning("onboarding: edit of %s by %s dropped: %s", key, user_id, refused.reason)
                    continue
                await save_edit(scope, key, values)
        else:
            updated = await FormSession.filter(id=session.id, status="pending").update(
                status="completed", finished_at=now, answers={}
            )
            if not updated:
                return
            where = {"platform": platform, "guild_id": session.guild_id, "user_id": user_id}
            profile = await Profile.filter(**where).first()
            if profile is None:
                await Profile.create(
                    **where, user_name=session.user_name, answers=session.answers,
                    completed_at=now, updated_at=now,
                )
            else:
                await Profile.filter(id=profile.id).update(
                    answers={**profile.answers, **session.answers}, user_name=session.user_name,
                    updated_at=now,
                )
    if session.purpose == "edit":
        edited = scope.translate(session.locale, "onboarding.flow.edited")
        await send_private(scope, platform, user_id, edited)
    else:
        await _after_join_form(scope, session, group)
    await start_next(scope, platform, user_id)


async def _after_join_form(scope: Scope, session: FormSession, group: GroupRef) -> None:
    platform, user_id, loc = session.platform, session.user_id, session.locale
    cfg = scope.config.for_group(group)
    profile = await Profile.get(platform=platform, guild_id=group.key, user_id=user_id)
    card = public_card(cfg, profile.answers)
    adapter = scope.adapter(platform)
    note = ""
    try:
        if session.gate == "restrict" and adapter.supports(Capability.MUTE):
            await adapter.unmute(group.id, user_id)
        elif session.gate == "join_request":
            await adapter.answer_join_request(group.id, user_id, True)
    except PlatformError as exc:
        log.warning("onboarding: could not lift the gate of %s in %s: %s", user_id, group.id, exc)
        if session.gate == "join_request":
            note = "\n" + scope.translate(loc, "onboarding.flow.request_gone")
    done = scope.translate(loc, "onboarding.flow.done", group=group_name(group))
    if card:
        done += "\n" + scope.translate(loc, "onboarding.flow.card", card=card)
    await send_private(scope, platform, user_id, done + note)
    # A join request's welcome comes with the MemberJoined that the approval causes.
    if session.gate != "join_request" and cfg.announce_completion:
        await announce_completion(scope, group, User(user_id, session.user_name), card)


# -- modals (Discord) ----------------------------------------------------------------------------
async def ask_modal(ctx: Context, session: FormSession, group: GroupRef) -> None:
    """The next page of the form as a modal (in answer to a click)."""
    cfg = ctx.config.for_group(group)
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
    title = ctx.translate(
        session.locale, "onboarding.flow.modal_title", group=group_name(group), page=page, pages=pages
    )
    await ctx.bot.ask_form(ctx.event, f"onboarding:{session.id}:{session.step}", title, fields)


async def submit_page(ctx: Context, session: FormSession, values: dict[str, str]) -> None:
    """A modal page came back: keep the answers up to the first refused one, then complete the
    form or offer the next page."""
    group = await session_group(ctx, session)
    cfg = ctx.config.for_group(group)
    loc = session.locale  # the language the form is asked in
    accepted: dict[str, str] = {}
    problems: list[str] = []
    for key in list(session.keys)[session.step : session.step + MODAL_PAGE]:
        spec = cfg.field(key)
        if spec is None:
            accepted[key] = ""
            continue
        try:
            accepted[key] = await _checked(ctx, session, group, spec, values.get(key, ""))
        except Invalid as refused:
            problems.append(f"{spec.label.get(loc) or key}: {reason_text(ctx, loc, refused)}")
            break  # the page resumes at the first refused answer
    if not await _advance(session, accepted, len(accepted)):
        return
    if session.step >= len(session.keys):
        await complete(ctx, session, group)
        await ctx.reply(ctx.translate(loc, "onboarding.flow.done_short"), private=True)
        return
    text = "\n".join(problems) if problems else ctx.translate(loc, "onboarding.flow.next_page")
    label = ctx.translate(loc, "onboarding.flow.continue")
    button = Button(label, "open_form", {"guild": group.key}, only_user=ctx.event.uid)
    await ctx.reply(Outgoing((Text(text),)).with_buttons([button]), private=True)
