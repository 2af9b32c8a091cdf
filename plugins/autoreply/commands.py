"""/autoreply add|exact|regex|list|remove: admins manage a group's keyword replies. Without a
REPLY, in reply to a message, the answer is a copy of that message (photo, file, formatting,
its link buttons)."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from bot import Context, Rest
from plugins.autoreply import plugin
from plugins.autoreply.matching import compile_pattern
from plugins.autoreply.models import AutoReply
from plugins.autoreply.service import Keywords

__all__ = ["add_contains", "add_exact", "add_regex", "list_rules", "remove"]


async def _add(ctx: Context, kind: str, keyword: str, reply: str) -> None:
    assert ctx.group is not None
    keywords = ctx.service(Keywords)
    reply = reply.strip()
    source = None
    replied = getattr(getattr(ctx.event, "message", None), "reply_to", None)
    if keyword.strip() and not reply and replied:
        channel = ctx.event.channel.id if ctx.event.channel else ctx.group.id
        seen = keywords.recent.get((ctx.platform, channel, replied))
        if seen is None:
            await ctx.reply(ctx.t("autoreply.reply_unseen"))
            return
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
    count = await AutoReply.filter(platform=ctx.group.platform, guild_id=ctx.group.key).count()
    if count >= keywords.config.max_rules:
        await ctx.reply(ctx.t("autoreply.full", max=keywords.config.max_rules))
        return
    try:
        row = await AutoReply.create(
            platform=ctx.group.platform, guild_id=ctx.group.key, kind=kind, keyword=keyword,
            reply=reply, source=source, created_by=ctx.user_key or "", created_at=ctx.now,
        )
    except IntegrityError:
        await ctx.reply(ctx.t("autoreply.exists", keyword=keyword))
        return
    keywords.forget(ctx.group)
    await ctx.audit("autoreply_add", str(row.id), kind=kind, keyword=keyword)
    await ctx.reply(ctx.t("autoreply.added", id=row.id, kind=ctx.t(f"autoreply.kind.{kind}"),
                          keyword=keyword))


@plugin.command("autoreply add", description="autoreply.cmd.add", level="admin", guild_only=True)
async def add_contains(ctx: Context, keyword: str, reply: Rest = "") -> None:
    """/autoreply add KEYWORD REPLY: answer any message containing KEYWORD."""
    await _add(ctx, "contains", keyword, reply)


@plugin.command("autoreply exact", description="autoreply.cmd.exact", level="admin", guild_only=True)
async def add_exact(ctx: Context, keyword: str, reply: Rest = "") -> None:
    """/autoreply exact KEYWORD REPLY: answer a message that is exactly KEYWORD."""
    await _add(ctx, "exact", keyword, reply)


@plugin.command("autoreply regex", description="autoreply.cmd.regex", level="admin", guild_only=True)
async def add_regex(ctx: Context, text: Rest = "") -> None:
    """/autoreply regex PATTERN REPLY: answer a message PATTERN (RE2) finds something in. The
    pattern is the first word exactly as typed (backslashes kept; ``\\s`` for a space)."""
    pattern, _, reply = text.strip().partition(" ")
    await _add(ctx, "regex", pattern, reply)


@plugin.command("autoreply list", description="autoreply.cmd.list", guild_only=True)
async def list_rules(ctx: Context) -> None:
    assert ctx.group is not None
    rows = await AutoReply.filter(platform=ctx.group.platform, guild_id=ctx.group.key).order_by("id")
    if not rows:
        await ctx.reply(ctx.t("autoreply.empty"))
        return
    lines = [ctx.t("autoreply.header", count=len(rows))]
    for row in rows:
        reply = row.reply if len(row.reply) <= 40 else row.reply[:39] + "…"
        reply = ("📎 " + reply if row.source else reply).replace("\n", " ")
        lines.append(ctx.t("autoreply.line", id=row.id, kind=ctx.t(f"autoreply.kind.{row.kind}"),
                           keyword=row.keyword, reply=reply))
    await ctx.reply("\n".join(lines))


@plugin.command("autoreply remove", description="autoreply.cmd.remove", level="admin", guild_only=True)
async def remove(ctx: Context, id: int) -> None:
    assert ctx.group is not None
    deleted = await AutoReply.filter(id=id, platform=ctx.group.platform, guild_id=ctx.group.key).delete()
    ctx.service(Keywords).forget(ctx.group)
    if deleted:
        await ctx.audit("autoreply_remove", str(id))
    await ctx.reply(ctx.t("autoreply.removed" if deleted else "autoreply.no_such", id=id))
