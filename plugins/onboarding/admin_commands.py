"""The admins' view: /onboarding status and /onboarding ask."""

from __future__ import annotations

from bot import Context, PermissionLevel, User
from plugins.onboarding import plugin
from plugins.onboarding.flow import ask, open_session, start
from plugins.onboarding.gate import unreachable
from plugins.onboarding.models import FormSession, Profile

STATUSES = ("pending", "completed", "timed_out", "left")
LISTED = 10


@plugin.command(
    "onboarding status", description="onboarding.cmd.status", level=PermissionLevel.ADMIN, guild_only=True
)
async def status_cmd(ctx: Context) -> None:
    group = ctx.group
    assert group is not None
    rows = await FormSession.filter(platform=ctx.platform, guild_id=group.key, purpose="join").all()
    counts = {s: sum(1 for r in rows if r.status == s) for s in STATUSES}
    profiles = await Profile.filter(platform=ctx.platform, guild_id=group.key).count()
    cfg = ctx.config.for_group(group)
    lines = [
        ctx.t("onboarding.status.title", gate=ctx.t(f"onboarding.status.gate_{cfg.gate}")),
        ctx.t("onboarding.status.counts", profiles=profiles, **counts),
    ]
    pending = sorted((r for r in rows if r.status == "pending"), key=lambda r: r.created_at)
    unreached = await unreachable(pending)
    if unreached:
        requests = sum(1 for r in pending if r.id in unreached and r.gate == "join_request")
        lines.append(ctx.t("onboarding.status.unreachable", n=len(unreached), requests=requests))
    for row in pending[:LISTED]:
        since = row.created_at.astimezone(ctx.timezone).strftime("%m-%d %H:%M")
        line = ctx.t(
            "onboarding.status.pending_line", name=row.user_name or row.user_id, since=since,
            step=row.step, total=len(row.keys),
        )
        if row.deadline is not None:
            deadline = row.deadline.astimezone(ctx.timezone).strftime("%H:%M")
            line += ctx.t("onboarding.status.deadline", time=deadline)
        if row.id in unreached:
            line += ctx.t("onboarding.status.unreachable_mark")
        elif row.cancelled_at is not None:
            line += ctx.t("onboarding.status.cancelled_mark")
        lines.append(line)
    if len(pending) > LISTED:
        lines.append(ctx.t("onboarding.status.more", n=len(pending) - LISTED))
    await ctx.reply("\n".join(lines))


@plugin.command(
    "onboarding ask", description="onboarding.cmd.ask", level=PermissionLevel.ADMIN, guild_only=True
)
async def ask_cmd(ctx: Context, member: User) -> None:
    """Send the form to a member again; a gate they are behind stays as it is."""
    group = ctx.group
    assert group is not None
    cfg = ctx.config.for_group(group)
    name = (await ctx.roster.names(ctx.platform, [member.id])).get(member.id) or member.name
    locale = await ctx.roster.locale_of(ctx.platform, member.id) or await ctx.group_locale(group)
    pending = await FormSession.filter(
        platform=ctx.platform, guild_id=group.key, user_id=member.id, purpose="join", status="pending"
    ).first()
    if pending is not None and pending.started_at is not None:
        # Already answering (perhaps behind a gate, which stays as it is): ask the question again.
        state = "sent" if await ask(ctx, pending, group) else "unreachable"
    elif pending is not None:
        # An admin's explicit ask: a form the member stopped is sent again too.
        state = await start(ctx, pending, group, resume=True)
    else:
        session = await open_session(
            ctx, group=group, user=User(member.id, name), purpose="join", gate="off",
            keys=[f.key for f in cfg.form], locale=locale, deadline=None,
        )
        state = await start(ctx, session, group)
    await ctx.audit("ask", f"{ctx.platform}:{member.id}")
    await ctx.reply(ctx.t(f"onboarding.status.asked_{state}", name=name))
