"""The directory's commands: /profile, /profile edit, /whois, /find, /directory export."""

from __future__ import annotations

from typing import Any

from bot import (
    Context,
    File,
    Mention,
    Outgoing,
    PermissionLevel,
    PlatformError,
    Rest,
    Text,
    User,
)
from bot.csvfile import csv_bytes, inert_cell
from plugins.onboarding import plugin
from plugins.onboarding.directory import card_lines, save_everywhere, visible_fields
from plugins.onboarding.flow import open_session, reason_text, start
from plugins.onboarding.forms import Invalid, validate_answer
from plugins.onboarding.models import Profile
from plugins.onboarding.reach import group_name, group_of
from plugins.onboarding.texts import label_of, name_card

FIND_LIMIT = 10


# -- own profile ---------------------------------------------------------------------------------
@plugin.command("profile", description="onboarding.cmd.profile")
async def profile_cmd(ctx: Context) -> None:
    assert ctx.member is not None
    query = Profile.filter(platform=ctx.platform, user_id=ctx.member.user_id)
    if ctx.group is not None:
        query = query.filter(guild_id=ctx.group.key)
    profiles = await query.order_by("guild_id").all()
    if not profiles:
        await ctx.reply(ctx.t("onboarding.dir.no_own_profile"), private=True)
        return
    blocks = []
    for profile in profiles:
        group = await group_of(ctx, ctx.platform, profile.guild_id)
        cfg = ctx.config.for_group(group)
        lines = [ctx.t("onboarding.dir.own_title", group=group_name(group))]
        lines += card_lines(cfg, profile, list(cfg.form), ctx.locale)
        blocks.append("\n".join(lines))
    blocks.append(ctx.t("onboarding.dir.edit_hint"))
    await ctx.reply("\n\n".join(blocks), private=True)


@plugin.command("profile edit", description="onboarding.cmd.profile_edit")
async def profile_edit(ctx: Context, field: str, value: Rest = "") -> None:
    user = ctx.event.user
    assert user is not None
    query = Profile.filter(platform=ctx.platform, user_id=user.id)
    if ctx.group is not None:
        query = query.filter(guild_id=ctx.group.key)
    profile = await query.order_by("-updated_at").first()
    if profile is None:
        await ctx.reply(ctx.t("onboarding.dir.no_own_profile"), private=True)
        return
    group = await group_of(ctx, ctx.platform, profile.guild_id)
    cfg = ctx.config.for_group(group)
    spec = cfg.field(field.lower())
    if spec is None:
        keys = ", ".join(f.key for f in cfg.form)
        await ctx.reply(ctx.t("onboarding.dir.no_such_field", field=field, keys=keys), private=True)
        return
    if not value:
        session = await open_session(
            ctx, group=group, user=user, purpose="edit", gate="off", keys=[spec.key], locale=ctx.locale,
            deadline=None,
        )
        state = await start(ctx, session, group)
        key = "bot.error.dm_closed" if state == "unreachable" else f"onboarding.dir.edit_{state}"
        if state != "sent" or not ctx.event.is_direct:
            await ctx.reply(ctx.t(key, name=user.display_name))
        return
    try:
        clean = validate_answer(spec, value)
    except Invalid as refused:
        await ctx.reply(reason_text(ctx, ctx.locale, refused), private=True)
        return
    await save_everywhere(ctx, spec.key, clean)
    edited = ctx.t("onboarding.dir.edited", field=label_of(spec, ctx.locale), value=clean or "—")
    await ctx.reply(edited, private=True)


# -- others --------------------------------------------------------------------------------------
@plugin.command("whois", description="onboarding.cmd.whois", guild_only=True)
async def whois(ctx: Context, member: User) -> None:
    assert ctx.group is not None and ctx.member is not None
    profile = await Profile.filter(platform=ctx.platform, guild_id=ctx.group.key, user_id=member.id).first()
    if profile is None:
        await ctx.reply(ctx.t("onboarding.dir.no_profile", name=member.name))
        return
    cfg = ctx.config.for_group(ctx.group)
    is_self = member.id == ctx.member.user_id
    lines = card_lines(cfg, profile, visible_fields(cfg, await ctx.level(), is_self), ctx.locale)
    head = Mention(member.id, profile.user_name or member.name)
    body = "\n" + "\n".join(lines) if lines else "\n" + ctx.t("onboarding.dir.nothing_visible")
    await ctx.reply(Outgoing((head, Text(body))))


async def _departed(ctx: Context, user_ids: list[str]) -> set[str]:
    """Which of these the roster knows to have left the group (not those it never saw)."""
    assert ctx.group is not None
    present = await ctx.roster.current(ctx.group, user_ids)
    gone = set()
    for user_id in user_ids:
        if user_id not in present and await ctx.roster.member(ctx.group, user_id) is not None:
            gone.add(user_id)
    return gone


@plugin.command("find", description="onboarding.cmd.find", guild_only=True)
async def find(ctx: Context, words: Rest) -> None:
    assert ctx.group is not None
    terms = [w.casefold() for w in words.split() if w.strip()]
    cfg = ctx.config.for_group(ctx.group)
    level = await ctx.level()
    shown = visible_fields(cfg, level, False)
    fields = [f for f in shown if f.searchable]
    profiles = await Profile.filter(platform=ctx.platform, guild_id=ctx.group.key).all()
    left = await _departed(ctx, [p.user_id for p in profiles])
    hits: list[tuple[int, Profile, list[str]]] = []
    for profile in profiles:
        if profile.user_id in left:
            continue
        texts = {f.key: str(profile.answers.get(f.key, "")) for f in fields}
        if not all(any(term in v.casefold() for v in texts.values()) for term in terms):
            continue
        matched = [f for f in fields if any(term in texts[f.key].casefold() for term in terms)]
        score = sum(texts[f.key].casefold().count(term) for f in matched for term in terms)
        hits.append((score, profile, [f"{label_of(f, ctx.locale)}: {texts[f.key]}" for f in matched]))
    if not hits:
        await ctx.reply(ctx.t("onboarding.dir.found_none", words=words))
        return
    hits.sort(key=lambda h: (-h[0], h[1].user_name))
    elements: list[Any] = [Text(ctx.t("onboarding.dir.found", n=len(hits), words=words))]
    for _score, profile, matched in hits[:FIND_LIMIT]:
        card = name_card(cfg.name_card, {f.key: profile.answers.get(f.key, "") for f in shown})
        line = f" {card}\n  " + "; ".join(matched)
        elements += [Text("\n• "), Mention(profile.user_id, profile.user_name), Text(line)]
    if len(hits) > FIND_LIMIT:
        elements.append(Text("\n" + ctx.t("onboarding.dir.found_more", n=len(hits) - FIND_LIMIT)))
    await ctx.reply(Outgoing(tuple(elements)))


@plugin.command(
    "directory export", description="onboarding.cmd.export", level=PermissionLevel.ADMIN, guild_only=True
)
async def export(ctx: Context) -> None:
    group, member, user = ctx.group, ctx.member, ctx.event.user
    assert group is not None and member is not None and user is not None
    cfg = ctx.config.for_group(group)
    fields = visible_fields(cfg, PermissionLevel.ADMIN, False)
    profiles = await Profile.filter(platform=ctx.platform, guild_id=group.key).order_by("completed_at").all()
    data = csv_bytes(
        ["user_id", "name", "name_card", "completed_at", *(f.key for f in fields)],
        (
            [
                p.user_id,
                inert_cell(p.user_name),
                inert_cell(name_card(cfg.name_card, {f.key: p.answers.get(f.key, "") for f in fields})),
                p.completed_at.astimezone(ctx.timezone).isoformat(timespec="minutes"),
                *(inert_cell(str(p.answers.get(f.key, ""))) for f in fields),
            ]
            for p in profiles
        ),
    )
    filename = f"directory-{group.id}-{ctx.local_time:%Y%m%d}.csv"
    exported = ctx.t("onboarding.dir.exported", n=len(profiles))
    message = Outgoing((Text(exported), File(data, filename, "text/csv")))
    try:
        # Admin-only fields never go to the group: the file is sent in private.
        await ctx.send_private(member, message)
    except PlatformError:
        await ctx.reply(ctx.t("bot.error.dm_closed", name=user.display_name))
        return
    await ctx.audit("export", None, rows=len(profiles))
    if not ctx.event.is_direct:
        await ctx.reply(ctx.t("onboarding.dir.export_sent"))
