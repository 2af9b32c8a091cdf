"""The member directory: /profile, /whois, /find, /directory export, /forgetme, retention.

Each field has a visibility per group: ``public`` (every member), ``admins`` (admins only) or
``hidden`` (only the member themselves). /find searches the searchable fields the asker may see.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tortoise.transactions import in_transaction

from bot import (
    Button,
    Context,
    File,
    JobContext,
    Mention,
    Outgoing,
    PermissionLevel,
    PlatformError,
    Rest,
    Text,
    User,
    hookimpl,
)
from bot.csvfile import csv_bytes, inert_cell
from bot.storage.models import RosterMember
from plugins.onboarding import plugin
from plugins.onboarding.common import group_name, label_of, name_card, settings
from plugins.onboarding.flow import open_session, reason_text, start
from plugins.onboarding.forms import Invalid, validate_answer
from plugins.onboarding.gate import withdraw_join_requests
from plugins.onboarding.models import FormSession, Profile, WelcomeState

if TYPE_CHECKING:
    from plugins.onboarding.config import FieldConfig, GroupSettings

__all__ = ["delete_user_data", "visible_fields"]

FIND_LIMIT = 10


def visible_fields(cfg: GroupSettings, level: PermissionLevel, is_self: bool) -> list[FieldConfig]:
    if is_self:
        return list(cfg.form)
    allowed = {"public", "admins"} if level >= PermissionLevel.ADMIN else {"public"}
    return [f for f in cfg.form if f.visibility in allowed]


def _card_lines(cfg: GroupSettings, profile: Profile, fields: list[FieldConfig], locale: str) -> list[str]:
    lines = []
    card = name_card(cfg.name_card, {f.key: profile.answers.get(f.key, "") for f in fields})
    if card:
        lines.append(f"🪪 {card}")
    for spec in fields:
        value = profile.answers.get(spec.key)
        if value:
            lines.append(f"{label_of(spec, locale)}: {value}")
    return lines


# -- own profile ---------------------------------------------------------------------------------
@plugin.command("profile", description="onboarding.cmd.profile")
async def profile_cmd(ctx: Context) -> None:
    user = ctx.event.user
    query = Profile.filter(platform=ctx.platform, user_id=user.id)
    if ctx.guild_id is not None:
        query = query.filter(guild_id=ctx.guild_id)
    profiles = await query.order_by("guild_id").all()
    if not profiles:
        await ctx.reply(ctx.t("onboarding.dir.no_own_profile"), private=True)
        return
    blocks = []
    for profile in profiles:
        cfg = settings(ctx.app, ctx.platform, profile.guild_id)
        guild = await ctx.app.roster.guild(ctx.platform, profile.guild_id)
        lines = [ctx.t("onboarding.dir.own_title", group=guild.name or profile.guild_id)]
        lines += _card_lines(cfg, profile, list(cfg.form), ctx.locale)
        blocks.append("\n".join(lines))
    blocks.append(ctx.t("onboarding.dir.edit_hint"))
    await ctx.reply("\n\n".join(blocks), private=True)


@plugin.command("profile edit", description="onboarding.cmd.profile_edit")
async def profile_edit(ctx: Context, field: str, value: Rest = "") -> None:
    user = ctx.event.user
    query = Profile.filter(platform=ctx.platform, user_id=user.id)
    if ctx.guild_id is not None:
        query = query.filter(guild_id=ctx.guild_id)
    profile = await query.order_by("-updated_at").first()
    if profile is None:
        await ctx.reply(ctx.t("onboarding.dir.no_own_profile"), private=True)
        return
    cfg = settings(ctx.app, ctx.platform, profile.guild_id)
    spec = cfg.field(field.lower())
    if spec is None:
        keys = ", ".join(f.key for f in cfg.form)
        await ctx.reply(ctx.t("onboarding.dir.no_such_field", field=field, keys=keys), private=True)
        return
    if not value:
        session = await open_session(
            ctx.app, platform=ctx.platform, guild_id=profile.guild_id, user=user, purpose="edit", gate="off",
            keys=[spec.key], locale=ctx.locale, deadline=None,
        )
        state = await start(ctx.app, session)
        key = "bot.error.dm_closed" if state == "unreachable" else f"onboarding.dir.edit_{state}"
        if state != "sent" or not ctx.event.is_direct:
            await ctx.reply(ctx.t(key, name=user.display_name))
        return
    try:
        clean = validate_answer(spec, value)
    except Invalid as refused:
        await ctx.reply(reason_text(ctx.app, ctx.locale, refused), private=True)
        return
    await _save_everywhere(ctx, spec.key, clean)
    await ctx.reply(ctx.t("onboarding.dir.edited", field=label_of(spec, ctx.locale), value=clean or "—"), private=True)


async def _save_everywhere(ctx: Context, key: str, value: str) -> None:
    """One person, one set of facts: an edit reaches the profile of every group that asks it."""
    async with in_transaction():
        for profile in await Profile.filter(platform=ctx.platform, user_id=ctx.event.user.id).all():
            if settings(ctx.app, ctx.platform, profile.guild_id).field(key) is not None:
                await Profile.filter(id=profile.id).update(answers={**profile.answers, key: value}, updated_at=ctx.now)


# -- others --------------------------------------------------------------------------------------
@plugin.command("whois", description="onboarding.cmd.whois", guild_only=True)
async def whois(ctx: Context, member: User) -> None:
    profile = await Profile.filter(platform=ctx.platform, guild_id=ctx.guild_id, user_id=member.id).first()
    if profile is None:
        await ctx.reply(ctx.t("onboarding.dir.no_profile", name=member.name))
        return
    cfg = settings(ctx.app, ctx.platform, ctx.guild_id)
    is_self = member.id == ctx.event.user.id
    fields = visible_fields(cfg, await ctx.level(), is_self)
    lines = _card_lines(cfg, profile, fields, ctx.locale)
    head = Mention(member.id, profile.user_name or member.name)
    body = "\n" + "\n".join(lines) if lines else "\n" + ctx.t("onboarding.dir.nothing_visible")
    await ctx.reply(Outgoing((head, Text(body))))


@plugin.command("find", description="onboarding.cmd.find", guild_only=True)
async def find(ctx: Context, words: Rest) -> None:
    terms = [w.casefold() for w in words.split() if w.strip()]
    cfg = settings(ctx.app, ctx.platform, ctx.guild_id)
    level = await ctx.level()
    fields = [f for f in visible_fields(cfg, level, False) if f.searchable]
    left = set(
        await RosterMember.filter(platform=ctx.platform, guild_id=ctx.guild_id, is_member=False).values_list(
            "user_id", flat=True
        )
    )
    hits: list[tuple[int, Profile, list[str]]] = []
    for profile in await Profile.filter(platform=ctx.platform, guild_id=ctx.guild_id).all():
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
        card = name_card(cfg.name_card, {f.key: profile.answers.get(f.key, "") for f in visible_fields(cfg, level, False)})
        elements += [Text("\n• "), Mention(profile.user_id, profile.user_name), Text(f" {card}\n  " + "; ".join(matched))]
    if len(hits) > FIND_LIMIT:
        elements.append(Text("\n" + ctx.t("onboarding.dir.found_more", n=len(hits) - FIND_LIMIT)))
    await ctx.reply(Outgoing(tuple(elements)))


@plugin.command("directory export", description="onboarding.cmd.export", level=PermissionLevel.ADMIN, guild_only=True)
async def export(ctx: Context) -> None:
    cfg = settings(ctx.app, ctx.platform, ctx.guild_id)
    fields = visible_fields(cfg, PermissionLevel.ADMIN, False)
    profiles = await Profile.filter(platform=ctx.platform, guild_id=ctx.guild_id).order_by("completed_at").all()
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
    filename = f"directory-{ctx.guild_id}-{ctx.local_time:%Y%m%d}.csv"
    message = Outgoing((Text(ctx.t("onboarding.dir.exported", n=len(profiles))), File(data, filename, "text/csv")))
    try:
        # Admin-only fields never go to the group: the file is sent in private.
        await ctx.send_private(ctx.event.user.id, message)
    except PlatformError:
        await ctx.reply(ctx.t("bot.error.dm_closed", name=ctx.event.user.display_name))
        return
    await ctx.audit("export", None, rows=len(profiles))
    if not ctx.event.is_direct:
        await ctx.reply(ctx.t("onboarding.dir.export_sent"))


# -- privacy -------------------------------------------------------------------------------------
@plugin.command("forgetme", description="onboarding.cmd.forgetme")
async def forgetme(ctx: Context) -> None:
    button = Button(ctx.t("onboarding.dir.forget_confirm"), "forget", only_user=ctx.event.uid)
    await ctx.reply(Outgoing((Text(ctx.t("onboarding.dir.forget_ask")),)).with_buttons([button]), private=True)


@plugin.button("forget")
async def forget_confirmed(ctx: Context, payload: dict[str, Any]) -> None:
    # Everywhere: every plugin through the core's bot_delete_user_data hook (this one included),
    # then the core's own account and roster rows.
    app, platform, user_id = ctx.app, ctx.platform, ctx.event.user.id
    declined = await withdraw_join_requests(app, platform, user_id)
    await app.delete_user_data(platform, user_id)
    await ctx.audit("forgetme", ctx.event.uid)
    lines = [ctx.t("onboarding.dir.forgotten")]
    for guild_id in declined:
        lines.append(ctx.t("onboarding.dir.forgotten_request", group=await group_name(app, platform, guild_id)))
    gated = await FormSession.filter(platform=platform, user_id=user_id, purpose="join", status="pending").all()
    for session in gated:
        lines.append(ctx.t("onboarding.dir.forgotten_gate", group=await group_name(app, platform, session.guild_id)))
    await ctx.reply("\n".join(lines), private=True)


async def delete_user_data(platform: str, user_id: str) -> None:
    """Profiles and answers go. A member still behind a gate keeps a bare form row (no name, no
    answers, the same deadline): forgetting must neither let them skip the gate nor leave them
    muted with no way out; they start the form again from the top, or the timeout applies."""
    async with in_transaction():
        await Profile.filter(platform=platform, user_id=user_id).delete()
        gated = await FormSession.filter(
            platform=platform, user_id=user_id, purpose="join", status="pending",
            gate__in=("restrict", "join_request"),
        ).all()
        await FormSession.filter(platform=platform, user_id=user_id).exclude(id__in=[s.id for s in gated]).delete()
        for session in gated:
            # Answers known from other groups were left out of the questions: ask them too now.
            keys = list(session.keys) + [k for k in session.answers if k not in session.keys]
            # A join request (here only when not forgotten through /forgetme, which declines it at
            # once) is made due, so the next sweep declines it.
            deadline = session.created_at if session.gate == "join_request" else session.deadline
            await FormSession.filter(id=session.id).update(
                user_name="", answers={}, keys=keys, step=0, started_at=None, reminded_at=None, deadline=deadline
            )


class PrivacyHooks:
    """The core's hooks this plugin implements."""

    @hookimpl
    async def bot_delete_user_data(self, platform: str, user_id: str) -> None:
        await delete_user_data(platform, user_id)

    @hookimpl
    async def bot_guild_migrated(self, platform: str, old_id: str, new_id: str) -> None:
        # Rows already present under the new id (seen there first) win over the old ones.
        async with in_transaction():
            for model in (Profile, FormSession):
                present = await model.filter(platform=platform, guild_id=new_id).values_list("user_id", flat=True)
                await model.filter(platform=platform, guild_id=old_id, user_id__in=set(present)).delete()
                await model.filter(platform=platform, guild_id=old_id).update(guild_id=new_id)
            if await WelcomeState.filter(platform=platform, guild_id=new_id).exists():
                await WelcomeState.filter(platform=platform, guild_id=old_id).delete()
            else:
                await WelcomeState.filter(platform=platform, guild_id=old_id).update(guild_id=new_id)


plugin.hooks(PrivacyHooks())


# -- retention -----------------------------------------------------------------------------------
@plugin.cron("30 4 * * *", per_guild=False)
async def retention(job: JobContext) -> None:
    """Profiles (and forms) of members who left are deleted after the group's retention period."""
    now = job.app.clock.now()
    groups = await Profile.all().distinct().values_list("platform", "guild_id")
    for platform, guild_id in set(groups):
        days = settings(job.app, platform, guild_id).retention_days
        gone = await RosterMember.filter(
            platform=platform, guild_id=guild_id, is_member=False, left_at__lte=now - timedelta(days=days)
        ).values_list("user_id", flat=True)
        if gone:
            async with in_transaction():
                await Profile.filter(platform=platform, guild_id=guild_id, user_id__in=gone).delete()
                await FormSession.filter(platform=platform, guild_id=guild_id, user_id__in=gone).delete()

