"""What every bot has, declared and loaded like any plugin: /help, /lang, /timezone, /id,
/forgetme, and the core's housekeeping job."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from datetime import timedelta
from functools import cache
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.commands import CommandSpec, Rest, normalize_word
from bot.context import Context, JobContext
from bot.events import BotJoinedGuild
from bot.message import Button, Outgoing, Text
from bot.outbox import FAILED_KEPT
from bot.permissions import PermissionLevel
from bot.plugin import Plugin
from bot.storage.models import ButtonToken, JobRun, OutboxMessage

__all__ = ["command_menu", "parse_zone", "plugin", "sub_commands"]

log = logging.getLogger(__name__)
plugin = Plugin("core", description="built-in commands")


async def _visible(ctx: Context, spec: CommandSpec) -> bool:
    """Whether /help shows ``spec`` to the caller, here: what they may run."""
    in_group = ctx.event.guild is not None
    if spec.hidden or (spec.guild_only and not in_group) or (spec.private_only and in_group):
        return False
    if spec.level > PermissionLevel.MEMBER or spec.right is not None:
        return await ctx.level(spec.right) >= spec.level
    return True


async def command_menu(ctx: Context, specs: Iterable[CommandSpec]) -> list[str]:
    """One line per command the caller may run: its usage in their language and what it does."""
    registry = ctx._runtime.commands
    lines = []
    for spec in specs:
        if await _visible(ctx, spec):
            usage = registry.usage(spec, ctx.locale)
            description = ctx.t(spec.description) if spec.description else ""
            lines.append(f"{usage} — {description}" if description else usage)
    return lines


async def sub_commands(ctx: Context, name: str) -> str | None:
    """What ``/name`` alone answers when it is no command: the commands under it (``/积分``:
    ``/积分 转账``, ...) or, for a plugin's name (``/onboarding``), the plugin's commands.
    None when there is nothing of the kind the caller may run."""
    registry = ctx._runtime.commands
    parent = registry.parent(name)
    menus = []
    children = registry.children((parent,)) if parent is not None else []
    shown = children[0].localized_words(ctx.locale)[0] if children else name
    if children:
        menus.append((ctx.t("bot.error.subcommands", command=shown), children))
    if name in ctx._runtime.plugins and name != "core":
        menus.append((f"【{_heading(ctx, name)}】", [s for s in registry if s.plugin == name]))
    for title, specs in menus:
        menu = await command_menu(ctx, specs)
        if menu:
            return "\n".join([title, *menu])
    if children and ctx.event.guild is None and all(s.guild_only for s in children):
        return ctx.t("bot.error.guild_only", command=shown)  # /onboarding in private
    return None


def _heading(ctx: Context, name: str) -> str:
    """A plugin's heading in /help: its catalog's ``help.heading``, else its description."""
    namespace = "bot" if name == "core" else name
    key = f"{namespace}.help.heading"
    if any(ctx._runtime.catalog.has(key, locale) for locale in ("zh", "en")):
        return ctx.t(key)
    found = ctx._runtime.plugins.get(name)
    return (found.description if found is not None else "") or name


@plugin.command("help", description="bot.help.cmd", aliases=("start",))
async def help_(ctx: Context, command: Rest = "") -> None:
    """Only what the caller may run, grouped by plugin, in their language; ``/help NAME``
    explains one command (or lists a parent's sub-commands)."""
    # /start PAYLOAD is a Telegram deep link, not a question about a command.
    if command and ctx.event.name != "start":
        await _help_one(ctx, command)
        return
    lines = [ctx.t("bot.help.title")]
    by_plugin: dict[str, list[CommandSpec]] = {}
    for spec in ctx._runtime.commands:
        by_plugin.setdefault(spec.plugin, []).append(spec)
    order = ["core", *sorted(p for p in by_plugin if p != "core")]
    for name in order:
        menu = await command_menu(ctx, by_plugin.get(name, ()))
        if menu:
            lines += ["", f"【{_heading(ctx, name)}】", *menu]
    lines += ["", ctx.t("bot.help.footer")]
    await ctx.reply("\n".join(lines))


async def _help_one(ctx: Context, text: str) -> None:
    registry = ctx._runtime.commands
    name, _, rest = text.strip().lstrip("/／").partition(" ")
    spec, left = registry.resolve(name.lower(), rest)
    if spec is not None and left.strip() and spec.args == ():
        spec = None  # "/help checkin nosuch": not /checkin
    if spec is None or spec.hidden:
        menu = await sub_commands(ctx, name.lower())
        await ctx.reply(menu or ctx.t("bot.help.unknown", command=text.strip().lstrip("/／")))
        return
    lines = [ctx.t("bot.help.usage", usage=registry.usage(spec, ctx.locale))]
    if spec.description:
        lines.append(ctx.t(spec.description))
    names = {" ".join(spec.localized_words(loc)) for loc in ("zh", "en")} | set(spec.aliases)
    names -= {" ".join(spec.localized_words(ctx.locale))}
    if names:
        lines.append(ctx.t("bot.help.aliases", names=", ".join("/" + n for n in sorted(names))))
    if spec.level > PermissionLevel.MEMBER:
        lines.append(ctx.t("bot.help.level", level=ctx.t(f"bot.level.{spec.level.name.lower()}")))
    examples = registry.examples(spec, ctx.locale)
    if examples:
        lines += [ctx.t("bot.help.examples"), *examples]
    others = [s for s in registry.children(spec.words) if s is not spec]
    lines += await command_menu(ctx, others)
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


# What people call a zone, in Chinese and English: the zone it means.
_ZONE_WORDS = {
    "北京时间": "Asia/Shanghai", "北京": "Asia/Shanghai", "中国": "Asia/Shanghai", "上海": "Asia/Shanghai",
    "中国时间": "Asia/Shanghai", "东八区": "Asia/Shanghai", "beijing": "Asia/Shanghai",
    "china": "Asia/Shanghai", "香港": "Asia/Hong_Kong", "hong kong": "Asia/Hong_Kong",
    "hongkong": "Asia/Hong_Kong", "澳门": "Asia/Macau", "台北": "Asia/Taipei", "台湾": "Asia/Taipei",
    "taipei": "Asia/Taipei", "新加坡": "Asia/Singapore", "singapore": "Asia/Singapore",
    "马来西亚": "Asia/Kuala_Lumpur", "吉隆坡": "Asia/Kuala_Lumpur", "东京": "Asia/Tokyo",
    "日本": "Asia/Tokyo", "tokyo": "Asia/Tokyo", "首尔": "Asia/Seoul", "韩国": "Asia/Seoul",
    "seoul": "Asia/Seoul", "曼谷": "Asia/Bangkok", "泰国": "Asia/Bangkok", "悉尼": "Australia/Sydney",
    "墨尔本": "Australia/Melbourne", "伦敦": "Europe/London", "英国": "Europe/London",
    "london": "Europe/London", "巴黎": "Europe/Paris", "法国": "Europe/Paris", "柏林": "Europe/Berlin",
    "德国": "Europe/Berlin", "莫斯科": "Europe/Moscow", "纽约": "America/New_York",
    "美东": "America/New_York", "new york": "America/New_York", "洛杉矶": "America/Los_Angeles",
    "美西": "America/Los_Angeles", "旧金山": "America/Los_Angeles", "温哥华": "America/Vancouver",
    "多伦多": "America/Toronto", "协调世界时": "UTC", "世界时": "UTC", "格林尼治": "Etc/GMT",
}
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?")


@cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def parse_zone(text: str) -> tuple[ZoneInfo, bool] | None:
    """A zone from what a member types: an IANA name in any case (``asia/shanghai``), a city
    or country in Chinese or English (``北京时间``, ``Tokyo``), or a whole-hour offset
    (``UTC+8``, ``GMT-5``, ``+08:00``). Returns (zone, is a fixed offset), or None."""
    word = unicodedata.normalize("NFKC", text).strip()
    lowered = word.lower().replace("_", " ")
    name = _ZONE_WORDS.get(lowered) or _ZONE_WORDS.get(normalize_word(word))
    if name is None and lowered in ("utc", "gmt", "utc+0", "gmt+0", "utc0"):
        name = "UTC"
    if name is None:
        name = _zones_by_lower_name().get(word.lower().replace(" ", "_"))
    if name is not None:
        return ZoneInfo(name), False
    match = _OFFSET.fullmatch(lowered)
    if match is None or (match[3] not in (None, "00")):
        return None
    sign, hours = match[1], int(match[2])
    if hours == 0:
        return ZoneInfo("UTC"), False
    # The Etc zones' signs are POSIX's, the reverse of ISO's: UTC+8 is Etc/GMT-8.
    key = f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
    try:
        return ZoneInfo(key), True
    except (ZoneInfoNotFoundError, ValueError):  # beyond -12..+14
        return None


@plugin.command("timezone", description="bot.tz.cmd", guild_only=True)
async def timezone(ctx: Context, zone: Rest = "") -> None:
    assert ctx.group is not None
    if not zone:
        await ctx.reply(ctx.t("bot.tz.show", tz=_zone_name(ctx.timezone), time=_hhmm(ctx)))
        return
    if await ctx.level() < PermissionLevel.ADMIN:
        name = " ".join(ctx._runtime.commands.get("timezone").localized_words(ctx.locale))
        await ctx.refuse(PermissionLevel.ADMIN, name)
        return
    try:
        found = parse_zone(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: an area such as "Asia"
        found = None
    if found is None:
        await ctx.reply(ctx.t("bot.tz.bad", tz=zone))
        return
    tz, fixed = found
    await ctx._runtime.roster.set_group(ctx.group, timezone=tz.key)
    ctx.timezone = tz
    await ctx.audit("timezone", zone=tz.key)
    text = ctx.t("bot.tz.set", tz=_zone_name(tz), time=_hhmm(ctx))
    await ctx.reply(f"{text}\n{ctx.t('bot.tz.offset')}" if fixed else text)


def _zone_name(tz: ZoneInfo) -> str:
    """``Etc/GMT-8`` reads backwards to people: show it as UTC+8."""
    match = re.fullmatch(r"Etc/GMT([+-])(\d+)", tz.key)
    if match is None:
        return tz.key
    return f"UTC{'-' if match[1] == '+' else '+'}{match[2]} ({tz.key})"


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


@plugin.on(BotJoinedGuild)
async def log_group_id(ctx: Context, event: BotJoinedGuild) -> None:
    """The id a self-hoster writes in config.toml for per-group settings, said when the bot
    is added (as /id in the group says it). A group named by its id (the console's) needs no
    telling."""
    guild = event.guild
    if guild is not None and guild.name != guild.id:
        log.info("added to group %r: its id is %s:%s", guild.name or "", event.platform, guild.id)


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
    await OutboxMessage.filter(failed__not_isnull=True, created_at__lt=now - FAILED_KEPT).delete()
