"""The directory's commands: /profile, /profile edit, /whois, /find, /directory export.

What goes to the group is what everyone there may see, whoever asks (see
:mod:`plugins.onboarding.directory`); an admin's fuller view goes to them in private.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot import (
    Context,
    File,
    MemberRef,
    Mention,
    Outgoing,
    PermissionLevel,
    PlatformError,
    Rest,
    Text,
    User,
)
from plugins.onboarding import plugin
from plugins.onboarding.directory import card_lines, departed, edit_values, save_edit
from plugins.onboarding.export import directory_csv
from plugins.onboarding.flow import open_session, reason_text, start
from plugins.onboarding.forms import Invalid
from plugins.onboarding.models import Profile
from plugins.onboarding.reach import group_name, group_of
from plugins.onboarding.search import Hit, echo, search, terms_of
from plugins.onboarding.texts import label_of, public_card

if TYPE_CHECKING:
    from datetime import datetime

    from bot import GroupRef
    from plugins.onboarding.config import FieldConfig
    from plugins.onboarding.directory import Audience

FIND_LIMIT = 10
# A field label may be this many words: /profile edit phone number 138...
LABEL_WORDS = 4


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
        lines += card_lines(cfg, profile, "owner", ctx.locale)
        blocks.append("\n".join(lines))
    blocks.append(ctx.t("onboarding.dir.edit_hint"))
    await ctx.reply("\n\n".join(blocks), private=True)


async def _named_field(
    ctx: Context, profiles: list[Profile], field: str, value: str
) -> tuple[GroupRef, FieldConfig, str] | None:
    """The field the member named (a key, or a label of up to :data:`LABEL_WORDS` words, the
    longest first), in the form of their newest profile that has it, and the answer after it."""
    words = value.split()
    for extra in range(min(LABEL_WORDS - 1, len(words)), -1, -1):
        name = " ".join([field, *words[:extra]])
        rest = value.split(maxsplit=extra)[extra] if len(words) > extra else ""
        for profile in profiles:
            group = await group_of(ctx, ctx.platform, profile.guild_id)
            spec = ctx.config.for_group(group).field_named(name, ctx.locale)
            if spec is not None:
                return group, spec, rest
    return None


@plugin.command("profile edit", description="onboarding.cmd.profile_edit")
async def profile_edit(ctx: Context, field: str, value: Rest = "") -> None:
    user = ctx.event.user
    assert user is not None
    query = Profile.filter(platform=ctx.platform, user_id=user.id)
    if ctx.group is not None:
        query = query.filter(guild_id=ctx.group.key)
    profiles = await query.order_by("-updated_at").all()
    if not profiles:
        await ctx.reply(ctx.t("onboarding.dir.no_own_profile"), private=True)
        return
    named = await _named_field(ctx, profiles, field, value)
    if named is None:
        cfg = ctx.config.for_group(await group_of(ctx, ctx.platform, profiles[0].guild_id))
        names = ctx.t("onboarding.welcome.name_separator").join(label_of(f, ctx.locale) for f in cfg.form)
        await ctx.reply(ctx.t("onboarding.dir.no_such_field", field=field, keys=names), private=True)
        return
    group, spec, value = named
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
        clean, values = await edit_values(ctx, ctx.platform, user.id, group, spec.key, value)
    except Invalid as refused:
        await ctx.reply(reason_text(ctx, ctx.locale, refused), private=True)
        return
    await save_edit(ctx, spec.key, values)
    edited = ctx.t("onboarding.dir.edited", field=label_of(spec, ctx.locale), value=clean or "—")
    await ctx.reply(edited, private=True)


# -- others --------------------------------------------------------------------------------------
async def _view(
    ctx: Context, group: GroupRef, profile: Profile, name: str, audience: Audience, *, private: bool,
    left: bool = False, left_at: datetime | None = None,
) -> Outgoing:
    """A profile as ``audience`` may see it; ``private`` messages say which group it is, and a
    member who ``left`` is marked so."""
    cfg = ctx.config.for_group(group)
    lines = card_lines(cfg, profile, audience, ctx.locale)
    if private:
        lines.insert(0, ctx.t("onboarding.dir.private_title", group=group_name(group)))
    if left and left_at is not None:
        day = left_at.astimezone((await ctx.roster.group(group)).timezone)
        lines.append(ctx.t("onboarding.dir.left_mark", date=f"{day:%Y-%m-%d}"))
    elif left:
        lines.append(ctx.t("onboarding.dir.left_mark_undated"))
    body = "\n".join(lines) if lines else ctx.t("onboarding.dir.nothing_visible")
    return Outgoing((Mention(profile.user_id, name), Text("\n" + body)))


def _shows_more(ctx: Context, group: GroupRef, profile: Profile) -> bool:
    """Whether an admin would see answers the group does not."""
    cfg = ctx.config.for_group(group)
    return any(f.visibility == "admins" and profile.answers.get(f.key) for f in cfg.form)


@plugin.command("whois", description="onboarding.cmd.whois")
async def whois(ctx: Context, member: User) -> None:
    if ctx.group is None:
        await _whois_private(ctx, member)
        return
    group = ctx.group
    profile = await Profile.filter(platform=ctx.platform, guild_id=group.key, user_id=member.id).first()
    if profile is None:
        await ctx.reply(ctx.t("onboarding.dir.no_profile", name=member.name))
        return
    name = profile.user_name or member.name
    admin = await ctx.level() >= PermissionLevel.ADMIN
    gone = await departed(ctx, group, [member.id])
    if member.id in gone:
        # Kept for the retention period, for the admins only.
        await ctx.reply(ctx.t("onboarding.dir.left_group", name=name))
        if admin:
            view = await _view(
                ctx, group, profile, name, "admins", private=True, left=True, left_at=gone[member.id]
            )
            await ctx.reply(view, private=True)
        return
    await ctx.reply(await _view(ctx, group, profile, name, "group", private=False))
    if admin and _shows_more(ctx, group, profile):
        await ctx.reply(await _view(ctx, group, profile, name, "admins", private=True), private=True)


async def _whois_private(ctx: Context, member: User) -> None:
    """In private: the target's profile in each group the asker may see it in: as an admin
    there (members who left included, marked), as a fellow member (public fields), or their own."""
    assert ctx.member is not None
    asker = ctx.member.user_id
    blocks: list[Any] = []
    for profile in await Profile.filter(platform=ctx.platform, user_id=member.id).order_by("guild_id"):
        group = await group_of(ctx, ctx.platform, profile.guild_id)
        gone = await departed(ctx, group, [member.id])
        if asker == member.id:
            audience: Audience = "owner"
        elif await ctx.level_of(MemberRef(ctx.platform, asker, group)) >= PermissionLevel.ADMIN:
            audience = "admins"
        elif not gone and await ctx.roster.is_member(group, asker):
            audience = "group"
        else:
            continue
        name = profile.user_name or member.name
        view = await _view(
            ctx, group, profile, name, audience, private=True, left=bool(gone), left_at=gone.get(member.id)
        )
        blocks += [*view.elements, Text("\n\n")]
    if not blocks:
        await ctx.reply(ctx.t("onboarding.dir.none_visible", name=member.name))
        return
    await ctx.reply(Outgoing(tuple(blocks[:-1])))


def _found(ctx: Context, title: str, hits: list[Hit], group: GroupRef) -> Outgoing:
    cfg = ctx.config.for_group(group)
    elements: list[Any] = [Text(title)]
    for hit in hits[:FIND_LIMIT]:
        card = public_card(cfg, hit.profile.answers)
        mark = ctx.t("onboarding.dir.left_short") if hit.left else ""
        line = f" {card}{mark}\n  " + "; ".join(hit.matched)
        elements += [Text("\n• "), Mention(hit.profile.user_id, hit.profile.user_name), Text(line)]
    if len(hits) > FIND_LIMIT:
        elements.append(Text("\n" + ctx.t("onboarding.dir.found_more", n=len(hits) - FIND_LIMIT)))
    return Outgoing(tuple(elements))


@plugin.command("find", description="onboarding.cmd.find", guild_only=True)
async def find(ctx: Context, words: Rest) -> None:
    group = ctx.group
    assert group is not None
    terms, shown = terms_of(words), echo(words)
    cfg = ctx.config.for_group(group)
    profiles = await Profile.filter(platform=ctx.platform, guild_id=group.key).all()
    left = set(await departed(ctx, group, [p.user_id for p in profiles]))
    present = [p for p in profiles if p.user_id not in left]
    hits = search(cfg, present, terms, "group", ctx.locale, left)
    if hits:
        await ctx.reply(_found(ctx, ctx.t("onboarding.dir.found", n=len(hits), words=shown), hits, group))
    else:
        await ctx.reply(ctx.t("onboarding.dir.found_none", words=shown))
    if await ctx.level() < PermissionLevel.ADMIN:
        return
    # The admins' view (their fields, members who left) in private, when it shows more.
    everyone = search(cfg, profiles, terms, "admins", ctx.locale, left)
    if [h.key for h in everyone] != [h.key for h in hits]:
        title = ctx.t("onboarding.dir.found_admins", n=len(everyone), words=shown, group=group_name(group))
        await ctx.reply(_found(ctx, title, everyone, group), private=True)


@plugin.command(
    "directory export", description="onboarding.cmd.export", level=PermissionLevel.ADMIN, guild_only=True
)
async def export(ctx: Context) -> None:
    group, member, user = ctx.group, ctx.member, ctx.event.user
    assert group is not None and member is not None and user is not None
    data, count = await directory_csv(ctx, group, await ctx.group_locale(group), ctx.timezone)
    filename = f"directory-{group.id}-{ctx.local_time:%Y%m%d}.csv"
    exported = ctx.t("onboarding.dir.exported", n=count)
    message = Outgoing((Text(exported), File(data, filename, "text/csv")))
    try:
        # Admin-only fields never go to the group: the file is sent in private.
        await ctx.send_private(member, message)
    except PlatformError:
        await ctx.reply(ctx.t("bot.error.dm_closed", name=user.display_name))
        return
    await ctx.audit("export", None, rows=count)
    if not ctx.event.is_direct:
        await ctx.reply(ctx.t("onboarding.dir.export_sent"))
