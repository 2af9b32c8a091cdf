"""What every bot has, declared and loaded like any plugin: /help, /lang, /timezone, /id,
/forgetme, and the core's housekeeping job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.context import Context, JobContext
from bot.message import Button, Outgoing, Text
from bot.permissions import PermissionLevel
from bot.plugin import Plugin
from bot.storage.models import ButtonToken, JobRun

__all__ = ["plugin"]

plugin = Plugin("core", description="built-in commands")


@plugin.command("help", description="bot.help.cmd", aliases=("start",))
async def help_(ctx: Context) -> None:
    """Only what the caller may run, described in their language."""
    lines = [ctx.t("bot.help.title")]
    in_group = ctx.event.guild is not None
    for spec in ctx._runtime.commands:
        if spec.hidden or (spec.guild_only and not in_group) or (spec.private_only and in_group):
            continue
        if spec.level > PermissionLevel.MEMBER or spec.right is not None:
            if await ctx.level(spec.right) < spec.level:
                continue
        description = ctx.t(spec.description) if spec.description else ""
        lines.append(f"{spec.usage()} — {description}" if description else spec.usage())
    lines.append(ctx.t("bot.help.footer"))
    await ctx.reply("\n".join(lines))


@plugin.command("lang", description="bot.lang.cmd")
async def lang(ctx: Context, language: Literal["zh", "en"]) -> None:
    user = ctx.event.user
    assert user is not None
    await ctx._runtime.roster.set_user_locale(ctx.platform, user, language)
    ctx.locale = language
    await ctx.reply(ctx.t("bot.lang.set_user"))


@plugin.command("lang group", description="bot.lang.cmd", level=PermissionLevel.ADMIN, guild_only=True)
async def lang_group(ctx: Context, language: Literal["zh", "en"]) -> None:
    assert ctx.group is not None
    await ctx._runtime.roster.set_group(ctx.group, locale=language)
    ctx.locale = language
    await ctx.audit("lang.group", language=language)
    await ctx.reply(ctx.t("bot.lang.set_group"))


@plugin.command("timezone", description="bot.tz.cmd", guild_only=True)
async def timezone(ctx: Context, zone: str | None = None) -> None:
    assert ctx.group is not None
    if zone is None:
        await ctx.reply(ctx.t("bot.tz.show", tz=ctx.timezone.key, time=_hhmm(ctx)))
        return
    if await ctx.level() < PermissionLevel.ADMIN:
        level = ctx.t("bot.level.admin")
        await ctx.reply(ctx.t("bot.error.no_permission", level=level, command="timezone"))
        return
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: an area such as "Asia"
        await ctx.reply(ctx.t("bot.tz.bad", tz=zone))
        return
    await ctx._runtime.roster.set_group(ctx.group, timezone=tz.key)
    ctx.timezone = tz
    await ctx.audit("timezone", zone=tz.key)
    await ctx.reply(ctx.t("bot.tz.set", tz=tz.key, time=_hhmm(ctx)))


def _hhmm(ctx: Context) -> str:
    return ctx.now.astimezone(ctx.timezone).strftime("%Y-%m-%d %H:%M")


@plugin.command("id", description="bot.id.cmd")
async def id_(ctx: Context) -> None:
    """The ids a self-hoster needs for ``owners`` and per-group config."""
    event = ctx.event
    lines = [ctx.t("bot.id.user", uid=event.uid or "-")]
    if event.guild is not None:
        lines.append(ctx.t("bot.id.group", gid=f"{event.platform}:{event.guild.id}"))
    await ctx.reply("\n".join(lines))


# -- privacy -------------------------------------------------------------------------------------
@plugin.command("forgetme", description="bot.forget.cmd")
async def forgetme(ctx: Context) -> None:
    button = Button(ctx.t("bot.forget.confirm"), "forget", only_user=ctx.event.uid)
    await ctx.reply(Outgoing((Text(ctx.t("bot.forget.ask")),)).with_buttons([button]), private=True)


@plugin.button("forget")
async def forget_confirmed(ctx: Context, payload: dict[str, Any]) -> None:
    """Every plugin forgets the user (``bot_delete_user_data``; each may add a note for them),
    then the core's own account and roster rows go."""
    user = ctx.event.user
    assert user is not None
    notes = await ctx.forget_user(ctx.platform, user.id)
    await ctx.audit("forgetme", ctx.event.uid)
    await ctx.reply("\n".join([ctx.t("bot.forget.done"), *notes]), private=True)


# -- housekeeping --------------------------------------------------------------------------------
# Jobs need their last slot; buttons expire after a month.
JOB_RUNS_KEPT = timedelta(days=14)
BUTTONS_KEPT = timedelta(days=31)


@plugin.cron("17 4 * * *", per_guild=False)
async def housekeeping(job: JobContext) -> None:
    now = job.now
    await ButtonToken.filter(created_at__lt=now - BUTTONS_KEPT).delete()
    await JobRun.filter(slot__lt=now - JOB_RUNS_KEPT).delete()
