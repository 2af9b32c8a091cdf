"""What every bot has: /help, /lang, /timezone, and the core's housekeeping job. Declared like
any plugin's."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.context import Context
from bot.permissions import PermissionLevel
from bot.plugin import Plugin
from bot.scheduler import JobContext
from bot.storage.models import ButtonToken, JobRun, ProcessedDelivery

__all__ = ["plugin"]

plugin = Plugin("core", description="built-in commands")


@plugin.command("help", description="bot.help.cmd", aliases=("start",))
async def help_(ctx: Context) -> None:
    """Only what the caller may run, described in their language."""
    dispatcher = ctx.app.dispatcher
    lines = [ctx.t("bot.help.title")]
    in_group = ctx.event.guild is not None
    for spec in ctx.app.commands:
        if spec.hidden or (spec.guild_only and not in_group) or (spec.private_only and in_group):
            continue
        if not await dispatcher.allowed(ctx, spec):
            continue
        description = ctx.t(spec.description) if spec.description else ""
        lines.append(f"{spec.usage()} — {description}" if description else spec.usage())
    lines.append(ctx.t("bot.help.footer"))
    await ctx.reply("\n".join(lines))


@plugin.command("lang", description="bot.lang.cmd")
async def lang(ctx: Context, language: Literal["zh", "en"]) -> None:
    user = ctx.event.user
    assert user is not None
    await ctx.app.roster.set_user_locale(ctx.platform, user, language)
    ctx.locale = language
    await ctx.reply(ctx.t("bot.lang.set_user"))


@plugin.command("lang group", description="bot.lang.cmd", level=PermissionLevel.ADMIN, guild_only=True)
async def lang_group(ctx: Context, language: Literal["zh", "en"]) -> None:
    assert ctx.guild_id is not None
    await ctx.app.roster.set_guild(ctx.platform, ctx.guild_id, locale=language)
    ctx.locale = language
    await ctx.audit("lang.group", language=language)
    await ctx.reply(ctx.t("bot.lang.set_group"))


@plugin.command("timezone", description="bot.tz.cmd", guild_only=True)
async def timezone(ctx: Context, zone: str | None = None) -> None:
    assert ctx.guild_id is not None
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
    await ctx.app.roster.set_guild(ctx.platform, ctx.guild_id, timezone=tz.key)
    ctx.timezone = tz
    await ctx.audit("timezone", zone=tz.key)
    await ctx.reply(ctx.t("bot.tz.set", tz=tz.key, time=_hhmm(ctx)))


def _hhmm(ctx: Context) -> str:
    return ctx.now.astimezone(ctx.timezone).strftime("%Y-%m-%d %H:%M")


# Platforms redeliver within hours; jobs need their last slot; buttons expire after a month.
DELIVERIES_KEPT = timedelta(days=7)
JOB_RUNS_KEPT = timedelta(days=14)
BUTTONS_KEPT = timedelta(days=31)


@plugin.cron("17 4 * * *", per_guild=False)
async def housekeeping(job: JobContext) -> None:
    now = job.app.clock.now()
    await ProcessedDelivery.filter(handled_at__lt=now - DELIVERIES_KEPT).delete()
    await ButtonToken.filter(created_at__lt=now - BUTTONS_KEPT).delete()
    await JobRun.filter(slot__lt=now - JOB_RUNS_KEPT).delete()
