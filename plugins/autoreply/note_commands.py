"""/notes save|remove|list|get: saved texts (notes) of a group that any member calls with
``#name`` (or ``/notes get name``); /globalnote save|remove|list: bot owners' notes for
every group. Without a TEXT, in reply to a message, the note is a copy of that message."""

from __future__ import annotations

from bot import Context, GroupRef, Rest
from plugins.autoreply import plugin
from plugins.autoreply.matching import normalise
from plugins.autoreply.models import Note
from plugins.autoreply.note_names import valid_name
from plugins.autoreply.service import Keywords, answer_to_reply, as_answer, key_of

__all__ = ["get_note", "global_list_notes", "global_remove_note", "global_save_note", "list_notes",
           "remove_note", "save_note"]


async def _save(ctx: Context, name: str, text: str, group: GroupRef | None) -> None:
    keywords = ctx.service(Keywords)
    title = valid_name(name)
    if title is None:
        await ctx.reply(ctx.t("autoreply.note.bad_name"))
        return
    text, source = text.strip(), None
    if not text:
        replies, seen = keywords.replied(ctx)
        if replies and seen is None:
            await ctx.reply(ctx.t("autoreply.reply_unseen"))
            return
        if seen is None:
            await ctx.reply(ctx.t("autoreply.note.usage"))
            return
        text, source = seen
    platform, guild_id = key_of(group)
    normal = normalise(title)
    exists = await Note.filter(platform=platform, guild_id=guild_id, name=normal).exists()
    most = keywords.config.max_notes
    if not exists and await Note.filter(platform=platform, guild_id=guild_id).count() >= most:
        await ctx.reply(ctx.t("autoreply.note.full", max=most))
        return
    await Note.update_or_create(
        platform=platform, guild_id=guild_id, name=normal,
        defaults={"title": title, "text": text, "source": source, "created_by": ctx.user_key or "",
                  "created_at": ctx.now},
    )
    keywords.forget(group)
    await ctx.audit("note_save", normal, every_group=group is None)
    key = "updated" if exists else "saved"
    await ctx.reply(ctx.t(f"autoreply.note.{key}" if group else f"autoreply.note.global_{key}", name=title))


async def _remove(ctx: Context, name: str, group: GroupRef | None) -> None:
    platform, guild_id = key_of(group)
    title = valid_name(name) or name
    deleted = await Note.filter(platform=platform, guild_id=guild_id, name=normalise(title)).delete()
    ctx.service(Keywords).forget(group)
    if deleted:
        await ctx.audit("note_remove", normalise(title), every_group=group is None)
    await ctx.reply(ctx.t("autoreply.note.removed" if deleted else "autoreply.note.no_such", name=title))


@plugin.command("notes save", description="autoreply.cmd.note_save", level="admin", guild_only=True)
async def save_note(ctx: Context, name: str, text: Rest = "") -> None:
    """/notes save NAME TEXT: members call it with #NAME."""
    await _save(ctx, name, text, ctx.group)


@plugin.command("notes remove", description="autoreply.cmd.note_remove", level="admin", guild_only=True)
async def remove_note(ctx: Context, name: str) -> None:
    await _remove(ctx, name, ctx.group)


@plugin.command("notes list", description="autoreply.cmd.note_list", guild_only=True)
async def list_notes(ctx: Context) -> None:
    await _list(ctx, ctx.group)


async def _list(ctx: Context, group: GroupRef | None) -> None:
    notes = await ctx.service(Keywords).notes(group)
    if not notes:
        await ctx.reply(ctx.t("autoreply.note.empty"))
        return
    names = " ".join(f"#{note.title}" for note in notes)
    await ctx.reply(ctx.t("autoreply.note.listing", count=len(notes), names=names))


@plugin.command("notes get", description="autoreply.cmd.note_get")
async def get_note(ctx: Context, name: str) -> None:
    """/notes get NAME: what #NAME shows (where the bot does not read plain messages, too)."""
    title = valid_name(name) or name
    found = await ctx.service(Keywords).note(ctx.group, title)
    if found is None:
        await ctx.reply(ctx.t("autoreply.note.no_such", name=title))
        return
    await ctx.reply(answer_to_reply(ctx, as_answer(found.text, found.source)))


@plugin.command("globalnote save", description="autoreply.cmd.note_global_save", level="owner")
async def global_save_note(ctx: Context, name: str, text: Rest = "") -> None:
    """/globalnote save NAME TEXT: #NAME in every group (a group's own note of that name
    answers there instead)."""
    await _save(ctx, name, text, None)


@plugin.command("globalnote remove", description="autoreply.cmd.note_global_remove", level="owner")
async def global_remove_note(ctx: Context, name: str) -> None:
    await _remove(ctx, name, None)


@plugin.command("globalnote list", description="autoreply.cmd.note_global_list", level="owner")
async def global_list_notes(ctx: Context) -> None:
    await _list(ctx, None)
