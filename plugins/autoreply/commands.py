"""/autoreply add|exact|regex|list|remove: admins manage a group's keyword replies;
/globalreply add|exact|regex|list|remove: bot owners manage the ones every group answers. Without a
REPLY, in reply to a message, the answer is a copy of that message (photo, file, formatting,
its link buttons)."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from bot import Context, GroupRef, Rest
from plugins.autoreply import plugin
from plugins.autoreply.matching import compile_pattern
from plugins.autoreply.models import AutoReply
from plugins.autoreply.service import Keywords, key_of

__all__ = [
    "add_contains", "add_exact", "add_regex", "global_contains", "global_exact", "global_list",
    "global_regex", "global_remove", "list_rules", "remove",
]


async def _add(ctx: Context, kind: str, keyword: str, reply: str, group: GroupRef | None) -> None:
    """Save a rule of ``group`` (None: of every group)."""
    keywords = ctx.service(Keywords)
    reply = reply.strip()
    source = None
    if keyword.strip() and not reply:
        replies, seen = keywords.replied(ctx)
        if replies and seen is None:
            await ctx.reply(ctx.t("autoreply.reply_unseen"))
            return
        if seen is not None:
            reply, source = seen
    if not keyword.strip() or not reply:
        await ctx.reply(ctx.t("autoreply.usage"))
        return
    if len(keyword) > 255:
        await ctx.reply(ctx.t("autoreply.too_long"))
        return
    if kind == "regex":
        if len(keyword) > keywords.config.max_pattern:
            await ctx.reply(ctx.t("autoreply.too_long"))
            return
        try:
            compile_pattern(keyword)
        except ValueError as exc:
            await ctx.reply(ctx.t("autoreply.bad_pattern", error=str(exc)))
            return
    platform, guild_id = key_of(group)
    if await AutoReply.filter(platform=platform, guild_id=guild_id).count() >= keywords.config.max_rules:
        await ctx.reply(ctx.t("autoreply.full" if group else "autoreply.global.full",
                              max=keywords.config.max_rules))
        return
    try:
        row = await AutoReply.create(
            platform=platform, guild_id=guild_id, kind=kind, keyword=keyword,
            reply=reply, source=source, created_by=ctx.user_key or "", created_at=ctx.now,
        )
    except IntegrityError:
        await ctx.reply(ctx.t("autoreply.exists" if group else "autoreply.global.exists", keyword=keyword))
        return
    keywords.forget(group)
    await ctx.audit("autoreply_add", str(row.id), kind=kind, keyword=keyword, every_group=group is None)
    what = "autoreply.added" if group else "autoreply.global.added"
    await ctx.reply(ctx.t(what, id=row.id, kind=ctx.t(f"autoreply.kind.{kind}"), keyword=keyword))


def _split_pattern(text: str) -> tuple[str, str]:
    """A pattern is the first word exactly as typed (backslashes kept; ``\\s`` for a space)."""
    pattern, _, reply = text.strip().partition(" ")
    return pattern, reply


def _lines(ctx: Context, rows: list[AutoReply]) -> list[str]:
    lines = []
    for row in rows:
        reply = row.reply if len(row.reply) <= 40 else row.reply[:39] + "…"
        reply = ("📎 " + reply if row.source else reply).replace("\n", " ")
        lines.append(ctx.t("autoreply.line", id=row.id, kind=ctx.t(f"autoreply.kind.{row.kind}"),
                           keyword=row.keyword, reply=reply))
    return lines


async def _rows(group: GroupRef | None) -> list[AutoReply]:
    platform, guild_id = key_of(group)
    return await AutoReply.filter(platform=platform, guild_id=guild_id).order_by("id")


# -- one group's -------------------------------------------------------------------------------
@plugin.command("autoreply add", description="autoreply.cmd.add", level="admin", guild_only=True)
async def add_contains(ctx: Context, keyword: str, reply: Rest = "") -> None:
    """/autoreply add KEYWORD REPLY: answer any message containing KEYWORD."""
    await _add(ctx, "contains", keyword, reply, ctx.group)


@plugin.command("autoreply exact", description="autoreply.cmd.exact", level="admin", guild_only=True)
async def add_exact(ctx: Context, keyword: str, reply: Rest = "") -> None:
    """/autoreply exact KEYWORD REPLY: answer a message that is exactly KEYWORD."""
    await _add(ctx, "exact", keyword, reply, ctx.group)


@plugin.command("autoreply regex", description="autoreply.cmd.regex", level="admin", guild_only=True)
async def add_regex(ctx: Context, text: Rest = "") -> None:
    """/autoreply regex PATTERN REPLY: answer a message PATTERN (RE2) finds something in."""
    await _add(ctx, "regex", *_split_pattern(text), ctx.group)


@plugin.command("autoreply list", description="autoreply.cmd.list", guild_only=True)
async def list_rules(ctx: Context) -> None:
    """The group's rules, then those every group answers."""
    own, common = await _rows(ctx.group), await _rows(None)
    if not own and not common:
        await ctx.reply(ctx.t("autoreply.empty"))
        return
    lines = [ctx.t("autoreply.header", count=len(own)), *_lines(ctx, own)]
    if common:
        lines += [ctx.t("autoreply.global.header", count=len(common)), *_lines(ctx, common)]
    await ctx.reply("\n".join(lines))


@plugin.command("autoreply remove", description="autoreply.cmd.remove", level="admin", guild_only=True)
async def remove(ctx: Context, id: int) -> None:
    platform, guild_id = key_of(ctx.group)
    deleted = await AutoReply.filter(id=id, platform=platform, guild_id=guild_id).delete()
    ctx.service(Keywords).forget(ctx.group)
    if deleted:
        await ctx.audit("autoreply_remove", str(id))
        await ctx.reply(ctx.t("autoreply.removed", id=id))
    elif await AutoReply.filter(id=id, platform=key_of(None)[0]).exists():
        await ctx.reply(ctx.t("autoreply.global.not_here", id=id))
    else:
        await ctx.reply(ctx.t("autoreply.no_such", id=id))


# -- every group's (bot owners) ----------------------------------------------------------------
@plugin.command("globalreply add", description="autoreply.cmd.global_add", level="owner")
async def global_contains(ctx: Context, keyword: str, reply: Rest = "") -> None:
    """/globalreply add KEYWORD REPLY: every group answers messages containing KEYWORD."""
    await _add(ctx, "contains", keyword, reply, None)


@plugin.command("globalreply exact", description="autoreply.cmd.global_exact", level="owner")
async def global_exact(ctx: Context, keyword: str, reply: Rest = "") -> None:
    await _add(ctx, "exact", keyword, reply, None)


@plugin.command("globalreply regex", description="autoreply.cmd.global_regex", level="owner")
async def global_regex(ctx: Context, text: Rest = "") -> None:
    await _add(ctx, "regex", *_split_pattern(text), None)


@plugin.command("globalreply list", description="autoreply.cmd.global_list", level="owner")
async def global_list(ctx: Context) -> None:
    rows = await _rows(None)
    if not rows:
        await ctx.reply(ctx.t("autoreply.global.empty"))
        return
    await ctx.reply("\n".join([ctx.t("autoreply.global.header", count=len(rows)), *_lines(ctx, rows)]))


@plugin.command("globalreply remove", description="autoreply.cmd.global_remove", level="owner")
async def global_remove(ctx: Context, id: int) -> None:
    platform, guild_id = key_of(None)
    deleted = await AutoReply.filter(id=id, platform=platform, guild_id=guild_id).delete()
    ctx.service(Keywords).forget(None)
    if deleted:
        await ctx.audit("autoreply_remove", str(id), every_group=True)
    await ctx.reply(ctx.t("autoreply.global.removed" if deleted else "autoreply.global.no_such", id=id))
