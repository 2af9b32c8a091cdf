"""The member's own form: /form, and /back, /skip, /cancel while answering; the buttons of
choice questions and the welcome's "fill in the form"."""

from __future__ import annotations

from typing import Any

from bot import Capability, Context
from plugins.onboarding import plugin
from plugins.onboarding.flow import (
    active_session,
    answer,
    ask,
    ask_modal,
    back,
    cancel,
    resumable_session,
    session_group,
    start,
)
from plugins.onboarding.models import FormSession


async def _mine(ctx: Context) -> FormSession | None:
    assert ctx.member is not None
    session = await active_session(ctx.platform, ctx.member.user_id)
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
        await back(ctx, session, await session_group(ctx, session))


@plugin.command("skip", description="onboarding.cmd.skip", private_only=True, hidden=True)
async def skip_cmd(ctx: Context) -> None:
    if session := await _mine(ctx):
        await answer(ctx, session, await session_group(ctx, session), "")


@plugin.command("cancel", description="onboarding.cmd.cancel", private_only=True, hidden=True)
async def cancel_cmd(ctx: Context) -> None:
    session = await _mine(ctx)
    if session is None:
        return
    # Stopped means stopped: no form starts again, here or of another group, until /form.
    await cancel(ctx, session)
    if session.purpose == "edit":
        await ctx.reply(ctx.t("onboarding.flow.edit_cancelled"))
    else:
        # The gate stays: a restricted member stays muted and the deadline still runs.
        key = "cancelled_gate" if session.deadline is not None else "cancelled"
        await ctx.reply(ctx.t(f"onboarding.flow.{key}"))


@plugin.command("form", description="onboarding.cmd.form")
async def form_cmd(ctx: Context) -> None:
    """Start or resume one's form (in private chat)."""
    user = ctx.event.user
    assert user is not None
    session = await active_session(ctx.platform, user.id)
    if session is not None:
        if not await ask(ctx, session, await session_group(ctx, session)):
            await ctx.reply(ctx.t("bot.error.dm_closed", name=user.display_name))
        return
    waiting = await resumable_session(ctx.platform, user.id)
    if waiting is None:
        await ctx.reply(ctx.t("onboarding.flow.nothing_open"), private=True)
        return
    state = await start(ctx, waiting, await session_group(ctx, waiting), resume=True)
    if state == "unreachable":
        await ctx.reply(ctx.t("bot.error.dm_closed", name=user.display_name))
    elif not ctx.event.is_direct:
        await ctx.reply(ctx.t("onboarding.flow.sent_private"))


@plugin.button("choose")
async def choose(ctx: Context, payload: dict[str, Any]) -> None:
    """A choice question's button: the answer it names."""
    session = await FormSession.get_or_none(id=payload.get("session"), status="pending")
    assert ctx.member is not None
    if (
        session is None or session.step != payload.get("step") or session.user_id != ctx.member.user_id
        or session.started_at is None  # stopped (/cancel) or not begun: this question is not asked
    ):
        await ctx.answer(ctx.t("bot.error.button_expired"))
        return
    await answer(ctx, session, await session_group(ctx, session), str(payload.get("value", "")))


@plugin.button("open_form")
async def open_form(ctx: Context, payload: dict[str, Any]) -> None:
    """The welcome's "fill in the form" button: a modal where the platform has them, the
    private-chat flow elsewhere."""
    assert ctx.member is not None
    key = payload.get("guild") or (ctx.group.key if ctx.group else None)
    session = await FormSession.filter(
        platform=ctx.platform, guild_id=key, user_id=ctx.member.user_id, status="pending"
    ).order_by("purpose").first()
    if session is None:
        await ctx.answer(ctx.t("onboarding.flow.nothing_open"), alert=True)
        return
    group = ctx.group if ctx.group is not None and ctx.group.key == key else await session_group(ctx, session)
    if ctx.bot.supports(Capability.FORM_MODAL):
        await ask_modal(ctx, session, group)
        return
    if session.started_at is not None:
        reached = await ask(ctx, session, group)
    else:
        reached = await start(ctx, session, group, resume=True) != "unreachable"
    key = "onboarding.flow.sent_private" if reached else "onboarding.flow.open_private"
    await ctx.answer(ctx.t(key), alert=True)
