"""/inactive: preview (with Confirm and Cancel buttons, and Previous / Next through a long one),
cancel, undo, the allow-list, status."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from bot import Capability, Context, PermissionLevel, PlatformError, User
from plugins.inactive import plugin
from plugins.inactive.counts import MessageCounts
from plugins.inactive.evidence import window_start
from plugins.inactive.models import Candidate, Protected, Sweep
from plugins.inactive.sweeps import confirm, create_preview, open_sweep, settings_of
from plugins.inactive.undo import undo
from plugins.inactive.views import counting_note, local, preview_message, preview_page, rules_text

__all__ = [
    "cancel", "page_pressed", "preview", "protect", "protected", "status", "undo_run", "unprotect"
]

KICK_RIGHT = "kick"


async def _show_preview(ctx: Context, note: str = "") -> None:
    assert ctx.group is not None and ctx.member is not None
    settings = settings_of(ctx, ctx.group)
    made = await create_preview(ctx, ctx.group, settings, by=ctx.member.uid)
    assert made is not None  # only a scheduled sweep (with a slot) can collide
    sweep, candidates, checked = made
    await ctx.audit("inactive.preview", str(sweep.id), selected=len(candidates), eligible=sweep.eligible)
    await ctx.reply(
        preview_message(ctx.t, sweep, candidates, checked, settings, ctx.now, ctx.timezone, note=note)
    )


@plugin.command(
    "inactive preview", description="inactive.cmd.preview", level="admin", right=KICK_RIGHT, guild_only=True
)
async def preview(ctx: Context) -> None:
    """Who the rules would remove now, and why; Confirm warns them."""
    assert ctx.group is not None
    pending = await open_sweep(ctx.group, "warned", "running")
    if pending is not None:
        await ctx.reply(
            ctx.t("inactive.pending", run=pending.id, deadline=local(pending.deadline, ctx.timezone))
        )
        return
    await _show_preview(ctx)


async def _admin_pressed(ctx: Context) -> bool:
    """A sweep's button works for admins who may remove members (checked now, on the
    platform); anyone else is told so."""
    if await ctx.level(KICK_RIGHT) < PermissionLevel.ADMIN:
        await ctx.answer(ctx.t("inactive.admins_only"), alert=True)
        return False
    return True


async def _pressed_by_admin(ctx: Context, payload: dict[str, Any]) -> Sweep | None:
    """The sweep a button names, in this group, when an admin pressed it."""
    assert ctx.group is not None
    if not await _admin_pressed(ctx):
        return None
    group = ctx.group
    return await Sweep.filter(id=payload["sweep"], platform=group.platform, guild_id=group.key).first()


@plugin.button("confirm")
async def confirm_pressed(ctx: Context, payload: dict[str, Any]) -> None:
    """Only an admin (checked now, on the platform) may confirm; the selection is checked again
    and, if it grew or changed, shown again instead."""
    assert ctx.group is not None and ctx.member is not None
    sweep = await _pressed_by_admin(ctx, payload)
    if sweep is None:
        return
    settings = settings_of(ctx, ctx.group)
    outcome = await confirm(ctx, ctx.group, sweep, settings, by=ctx.member.uid)
    if outcome == "changed":
        await _show_preview(ctx, note=ctx.t("inactive.changed"))
    elif outcome in ("expired", "done"):
        await ctx.reply(ctx.t(f"inactive.confirm.{outcome}", run=sweep.id))


@plugin.button("page")
async def page_pressed(ctx: Context, payload: dict[str, Any]) -> None:
    """Another page of a preview (admins). It replaces the page view it was asked from; the
    preview itself, with its file, stays."""
    assert ctx.group is not None
    sweep = await _pressed_by_admin(ctx, payload)
    if sweep is None:
        return
    candidates = await Candidate.filter(sweep_id=sweep.id).order_by("id")
    settings = settings_of(ctx, ctx.group)
    await ctx.reply(
        preview_page(ctx.t, sweep, candidates, settings, ctx.now, ctx.timezone, int(payload["page"]))
    )
    event: Any = ctx.event
    if payload.get("view") and event.message_id and event.channel and ctx.bot.supports(Capability.DELETE):
        try:
            await ctx.bot.delete(event.channel.id, event.message_id)
        except PlatformError:
            pass  # the older page stays, and its buttons still work


@plugin.button("cancel")
async def cancel_pressed(ctx: Context, payload: dict[str, Any]) -> None:
    assert ctx.group is not None
    if not await _admin_pressed(ctx):
        return
    await _cancel(ctx, payload["sweep"])


async def _cancel(ctx: Context, sweep_id: int | None) -> None:
    assert ctx.group is not None and ctx.member is not None
    query = Sweep.filter(
        platform=ctx.group.platform, guild_id=ctx.group.key, status__in=("preview", "warned")
    )
    if sweep_id is not None:
        query = query.filter(id=sweep_id)
    sweep = await query.order_by("-id").first()
    if sweep is None or not await Sweep.filter(id=sweep.id, status=sweep.status).update(
        status="cancelled", finished_at=ctx.now
    ):
        await ctx.reply(ctx.t("inactive.cancel.none"))
        return
    await ctx.audit("inactive.cancel", str(sweep.id), was=sweep.status)
    key = "inactive.cancel.warned" if sweep.status == "warned" else "inactive.cancel.preview"
    await ctx.reply(ctx.t(key, run=sweep.id))


@plugin.command(
    "inactive cancel", description="inactive.cmd.cancel", level="admin", right=KICK_RIGHT, guild_only=True
)
async def cancel(ctx: Context) -> None:
    """Stop the open preview or warned sweep: nobody is removed."""
    await _cancel(ctx, None)


@plugin.command(
    "inactive undo", description="inactive.cmd.undo", level="admin", right=KICK_RIGHT, guild_only=True
)
async def undo_run(ctx: Context, run: int) -> None:
    """Let the members a run removed come back (within undo_days of the run)."""
    assert ctx.group is not None and ctx.member is not None
    sweep = await Sweep.filter(id=run, platform=ctx.group.platform, guild_id=ctx.group.key).first()
    if sweep is None:
        await ctx.reply(ctx.t("inactive.undo.unknown", run=run))
        return
    if sweep.status == "undone":
        await ctx.reply(ctx.t("inactive.undo.already", run=run))
        return
    if sweep.status not in ("done", "halted") or sweep.finished_at is None:
        await ctx.reply(ctx.t("inactive.undo.nothing", run=run))
        return
    settings = settings_of(ctx, ctx.group)
    if ctx.now - sweep.finished_at > timedelta(days=settings.undo_days):
        await ctx.reply(ctx.t("inactive.undo.too_late", run=run, days=settings.undo_days))
        return
    result = await undo(ctx, ctx.group, sweep, by=ctx.member.uid)
    sep = ctx.t("inactive.warn.sep")
    lines = []
    if result.back:
        names = sep.join(c.name or c.user_id for c in result.back)
        lines.append(ctx.t("inactive.undo.done", run=run, n=len(result.back), names=names))
    if result.back:
        lines.append(ctx.t("inactive.undo.told", n=result.told, invited=result.invited))
    if result.no_invite:
        lines.append(ctx.t("inactive.undo.no_invite", why=ctx.t(result.no_invite)))
    for c, reason in result.failed:
        lines.append(ctx.t("inactive.undo.failed", name=c.name or c.user_id, why=ctx.t(reason)))
    await ctx.reply("\n".join(lines) or ctx.t("inactive.undo.nothing", run=run))


@plugin.command(
    "inactive protect", description="inactive.cmd.protect", level="admin", right=KICK_RIGHT, guild_only=True
)
async def protect(ctx: Context, member: User) -> None:
    assert ctx.group is not None and ctx.member is not None
    try:
        await Protected.create(
            platform=ctx.group.platform, guild_id=ctx.group.key, user_id=member.id,
            added_by=ctx.member.uid, added_at=ctx.now,
        )
    except IntegrityError:
        await ctx.reply(ctx.t("inactive.protect.already", name=member.display_name))
        return
    # An open sweep never removes them now either.
    sweeps = await Sweep.filter(
        platform=ctx.group.platform, guild_id=ctx.group.key, status__in=("preview", "warned", "running")
    ).values_list("id", flat=True)
    await Candidate.filter(sweep_id__in=list(sweeps), user_id=member.id, state="pending").update(
        state="spared", reason="protected", acted_at=ctx.now
    )
    await ctx.audit("inactive.protect", member.id)
    await ctx.reply(ctx.t("inactive.protect.done", name=member.display_name))


@plugin.command(
    "inactive unprotect", description="inactive.cmd.unprotect", level="admin", right=KICK_RIGHT,
    guild_only=True,
)
async def unprotect(ctx: Context, member: User) -> None:
    assert ctx.group is not None
    gone = await Protected.filter(
        platform=ctx.group.platform, guild_id=ctx.group.key, user_id=member.id
    ).delete()
    if gone:
        await ctx.audit("inactive.unprotect", member.id)
    key = "inactive.unprotect.done" if gone else "inactive.unprotect.not_listed"
    await ctx.reply(ctx.t(key, name=member.display_name))


@plugin.command(
    "inactive protected", description="inactive.cmd.protected", level="admin", right=KICK_RIGHT,
    guild_only=True,
)
async def protected(ctx: Context) -> None:
    assert ctx.group is not None
    ids = await Protected.filter(platform=ctx.group.platform, guild_id=ctx.group.key).order_by(
        "added_at"
    ).values_list("user_id", flat=True)
    if not ids:
        await ctx.reply(ctx.t("inactive.protected.empty"))
        return
    names = await ctx.roster.names(ctx.group.platform, list(ids))
    listed = ctx.t("inactive.warn.sep").join(names.get(i, i) for i in ids)
    await ctx.reply(ctx.t("inactive.protected.list", count=len(ids), names=listed))


@plugin.command(
    "inactive status", description="inactive.cmd.status", level="admin", right=KICK_RIGHT, guild_only=True
)
async def status(ctx: Context) -> None:
    """The rules in effect here, and the open sweep."""
    assert ctx.group is not None
    s = settings_of(ctx, ctx.group)
    lines = [
        ctx.t("inactive.status.rules", rules=rules_text(ctx.t, s, grace=False)),
        ctx.t(
            "inactive.status.settings", grace=s.grace_days, warn=s.warn_days, limit=s.max_per_run,
            schedule=ctx.t(f"inactive.schedule.{s.schedule}"),
            auto=ctx.t("inactive.on") if s.auto else ctx.t("inactive.off"),
            private=ctx.t("inactive.on") if s.warn_privately else ctx.t("inactive.off"),
        ),
    ]
    if s.min_messages:
        since = await ctx.service(MessageCounts).complete_since()
        start = window_start(ctx.now, ctx.timezone, s.messages_days)
        if since is None or since > start:
            lines.append(counting_note(ctx.t, since, s.messages_days, ctx.timezone))
    sweep = await open_sweep(ctx.group)
    if sweep is None:
        lines.append(ctx.t("inactive.status.none"))
    else:
        pending = await Candidate.filter(sweep_id=sweep.id, state="pending").count()
        lines.append(
            ctx.t(
                f"inactive.status.{sweep.status}", run=sweep.id, n=pending,
                deadline=local(sweep.deadline, ctx.timezone),
            )
        )
    await ctx.reply("\n".join(lines))
