"""/schedule add|list|remove|pause|resume: posts repeated on a cron spec in each group's own
timezone (plugins.broadcast.schedules does the timing). In a group a schedule posts there; in
HQ it posts to the tagged groups (or every group) like a broadcast."""

from __future__ import annotations

import re

from bot import Context, Rest
from plugins.broadcast import plugin
from plugins.broadcast.content import to_elements
from plugins.broadcast.drafting import message_to_send
from plugins.broadcast.models import Schedule
from plugins.broadcast.schedules import daily_time, next_slot, parse_spec
from plugins.broadcast.service import Broadcasts

__all__ = ["schedule_add", "schedule_list", "schedule_pause", "schedule_remove", "schedule_resume"]

_TOKEN = re.compile(r"\s*(\S+)")
MAX_LIST = 50
PREVIEW = 40


def _leading_tags(text: str, known: set[str]) -> tuple[list[str], str]:
    tags: list[str] = []
    position = 0
    while (match := _TOKEN.match(text, position)) and match.group(1).casefold() in known:
        tags.append(match.group(1).casefold())
        position = match.end()
    return tags, text[position:]


def when_text(ctx: Context, schedule: Schedule) -> str:
    if schedule.best:
        return ctx.t("broadcast.schedule.daily_best")
    at = daily_time(schedule.spec)
    if at:
        return ctx.t("broadcast.schedule.daily", at=at)
    return ctx.t("broadcast.schedule.cron", spec=schedule.spec)


def where_text(ctx: Context, schedule: Schedule) -> str:
    if schedule.tags is None:
        return ctx.t("broadcast.schedule.here")
    if not schedule.tags:
        return ctx.t("broadcast.where.all")
    return ctx.t("broadcast.where.tags", tags=" ".join(schedule.tags))


@plugin.command("schedule add", description="broadcast.cmd.schedule_add", level="admin", guild_only=True)
async def schedule_add(ctx: Context, text: Rest = "") -> None:
    """``/schedule add daily 09:00 TEXT`` (or ``daily best``, ``cron 0 9 * * 1-5``), in reply
    to a message to repeat that message; in HQ, tags first pick the groups."""
    assert ctx.group is not None and ctx.user_key is not None
    service = ctx.service(Broadcasts)
    in_hq = await service.is_hq(ctx.group)
    tags: list[str] | None = None
    if in_hq:
        tags, text = _leading_tags(text, await service.known_tags())
    spec = parse_spec(text)
    if spec is None:
        await ctx.reply(ctx.t("broadcast.schedule.usage"))
        return
    if await Schedule.all().count() >= service.config.max_schedules:
        await ctx.reply(ctx.t("broadcast.schedule.full", limit=service.config.max_schedules))
        return
    found = await message_to_send(ctx, service, spec.rest, usage="broadcast.schedule.usage")
    if found is None:
        return
    stored, source = found
    plain = "".join(e.plain() for e in to_elements(stored, lambda kind: ctx.t(f"broadcast.media.{kind}")))
    now = ctx.now
    schedule = await Schedule.create(
        platform=ctx.group.platform, guild_id=ctx.group.key, author=ctx.user_key, spec=spec.cron,
        best=spec.best, tags=tags, elements=stored, text=plain, source=source, created_at=now,
        checked_until=now,
    )
    await ctx.audit("schedule_add", str(schedule.id), spec=spec.cron, best=spec.best, tags=tags)
    lines = [ctx.t("broadcast.schedule.added", id=schedule.id, when=when_text(ctx, schedule),
                   where=where_text(ctx, schedule))]
    if tags is None and not spec.best:
        upcoming = next_slot(spec.cron, ctx.timezone, now).astimezone(ctx.timezone)
        lines.append(ctx.t("broadcast.schedule.next", at=upcoming.strftime("%Y-%m-%d %H:%M")))
    await ctx.reply("\n".join(lines))


async def _visible(ctx: Context) -> tuple[bool, list[Schedule]]:
    """(in HQ, the schedules managed from here): all of them in HQ, else this group's."""
    assert ctx.group is not None
    if await ctx.service(Broadcasts).is_hq(ctx.group):
        return True, await Schedule.all().order_by("id")
    rows = await Schedule.filter(platform=ctx.group.platform, guild_id=ctx.group.key).order_by("id")
    return False, [row for row in rows if row.tags is None]


@plugin.command("schedule list", description="broadcast.cmd.schedule_list", level="admin", guild_only=True)
async def schedule_list(ctx: Context) -> None:
    _in_hq, schedules = await _visible(ctx)
    if not schedules:
        await ctx.reply(ctx.t("broadcast.schedule.empty"))
        return
    lines = [ctx.t("broadcast.schedule.header", n=len(schedules))]
    for row in schedules[:MAX_LIST]:
        text = row.text if len(row.text) <= PREVIEW else row.text[: PREVIEW - 1] + "…"
        state = ctx.t("broadcast.schedule.paused") if row.paused else ""
        lines.append(ctx.t("broadcast.schedule.line", id=row.id, when=when_text(ctx, row),
                           where=where_text(ctx, row), state=state, text=text.replace("\n", " ")))
    await ctx.reply("\n".join(lines))


async def _one(ctx: Context, id: int) -> Schedule | None:
    _in_hq, schedules = await _visible(ctx)
    found = next((row for row in schedules if row.id == id), None)
    if found is None:
        await ctx.reply(ctx.t("broadcast.schedule.unknown_id", id=id))
    return found


@plugin.command(
    "schedule remove", description="broadcast.cmd.schedule_remove", level="admin", guild_only=True
)
async def schedule_remove(ctx: Context, id: int) -> None:
    if await _one(ctx, id) is None:
        return
    await Schedule.filter(id=id).delete()
    await ctx.audit("schedule_remove", str(id))
    await ctx.reply(ctx.t("broadcast.schedule.removed", id=id))


@plugin.command("schedule pause", description="broadcast.cmd.schedule_pause", level="admin", guild_only=True)
async def schedule_pause(ctx: Context, id: int) -> None:
    if await _one(ctx, id) is None:
        return
    await Schedule.filter(id=id).update(paused=True)
    await ctx.reply(ctx.t("broadcast.schedule.paused_now", id=id))


@plugin.command(
    "schedule resume", description="broadcast.cmd.schedule_resume", level="admin", guild_only=True
)
async def schedule_resume(ctx: Context, id: int) -> None:
    """Slots that passed while it was paused are not posted afterwards."""
    if await _one(ctx, id) is None:
        return
    await Schedule.filter(id=id).update(paused=False, checked_until=ctx.now)
    await ctx.reply(ctx.t("broadcast.schedule.resumed", id=id))
