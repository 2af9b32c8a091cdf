"""Welcome and rules: one welcome per newcomer, one summary for a join flood, the previous
welcome deleted when the next is posted, and /rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from bot import Button, Capability, Context, Mention, Outgoing, PlatformError, Text, User
from bot.storage.models import RosterMember
from plugins.onboarding import plugin
from plugins.onboarding.common import PLUGIN, fill_template, group_name, log, settings, t
from plugins.onboarding.models import FormSession, WelcomeState

if TYPE_CHECKING:
    from bot import App
    from plugins.onboarding.config import GroupSettings

__all__ = ["announce_completion", "group_locale", "post_flood_summaries", "welcome_member"]


async def group_locale(app: App, platform: str, guild_id: str) -> str:
    guild = await app.roster.guild(platform, guild_id)
    return guild.locale or app.config.bot.locale


async def _state(platform: str, guild_id: str) -> WelcomeState:
    state = await WelcomeState.filter(platform=platform, guild_id=guild_id).first()
    if state is None:
        try:
            state = await WelcomeState.create(platform=platform, guild_id=guild_id)
        except IntegrityError:
            state = await WelcomeState.get(platform=platform, guild_id=guild_id)
    return state


async def in_flood(app: App, platform: str, guild_id: str, at: datetime) -> tuple[bool, bool]:
    """Whether this join is part of a flood, and whether it is the join that starts one. Joins
    are counted by their platform timestamps; the summary is posted when the flood is over
    (:func:`post_flood_summaries`)."""
    cfg = settings(app, platform, guild_id)
    window = timedelta(seconds=cfg.flood_seconds)
    state = await _state(platform, guild_id)
    if state.flood_last_at is not None and at - state.flood_last_at <= window:
        await WelcomeState.filter(id=state.id).update(
            flood_last_at=max(at, state.flood_last_at), flood_count=F("flood_count") + 1
        )
        return True, False
    recent = await RosterMember.filter(platform=platform, guild_id=guild_id, joined_at__gte=at - window).count()
    if recent < cfg.flood_joins:
        return False, False
    # Claim the flood: only one join posts its summary even when joins are handled concurrently.
    claimed = await WelcomeState.filter(id=state.id, flood_last_at=state.flood_last_at).update(
        flood_started_at=at, flood_last_at=at, flood_count=recent
    )
    return True, bool(claimed)


def _rules_button(cfg: GroupSettings, guild_id: str, locale: str, app: App) -> list[Button]:
    return [Button(t(app, locale, "welcome.rules_button"), "rules", {"guild": guild_id})] if cfg.rules else []


async def _post(app: App, platform: str, guild_id: str, message: Outgoing) -> None:
    """Post a welcome in the group, deleting the previous one when the group wants that."""
    cfg = settings(app, platform, guild_id)
    state = await _state(platform, guild_id)
    adapter = app.adapter(platform)
    if cfg.delete_previous_welcome and state.message_id and adapter.supports(Capability.DELETE):
        try:
            await adapter.delete(state.channel_id or guild_id, state.message_id)
        except PlatformError as exc:
            log.info("onboarding: previous welcome in %s not deleted: %s", guild_id, exc)
    channel = await app.main_channel(platform, guild_id)
    if channel is None:
        return
    sent = await app.deliver(platform, channel, message, PLUGIN)
    await WelcomeState.filter(id=state.id).update(channel_id=sent.channel_id, message_id=sent.message_id)


async def welcome_member(ctx: Context, user: User, *, status: str, gate: str, card: str = "") -> None:
    """Welcome one newcomer. ``status``: how their form went out (``sent``, ``queued``,
    ``unreachable``) or ``done`` when they are already through."""
    app, platform, guild_id = ctx.app, ctx.platform, ctx.guild_id
    cfg = settings(app, platform, guild_id)
    if not cfg.welcome:
        return
    # A flood that ended before this join is summed up first, so its summary comes before.
    await _post_flood_summary(app, platform, guild_id, ctx.event.timestamp)
    flood, _first = await in_flood(app, platform, guild_id, ctx.event.timestamp)
    if flood:
        return  # one summary for the whole wave, once it is over
    locale = await group_locale(app, platform, guild_id)
    group = await group_name(app, platform, guild_id)
    buttons = _rules_button(cfg, guild_id, locale, app)
    template = cfg.welcome_template.get(locale) or t(app, locale, "welcome.default")
    rules = cfg.rules.get(locale)
    text = fill_template(template, name="\x00", group=group, rules=rules)
    # Every {name} becomes a mention; only the first one pings.
    first, *rest = text.split("\x00")
    elements: list[Any] = [Text(first)]
    for index, piece in enumerate(rest):
        elements += [Mention(user.id, user.display_name, notify=index == 0), Text(piece)]
    extra = _gate_line(app, locale, cfg, status=status, gate=gate, card=card)
    if extra:
        elements.append(Text("\n" + extra))
    if status != "done":
        uid = f"{platform}:{user.id}"
        buttons.append(Button(t(app, locale, "welcome.form_button"), "open_form", {"guild": guild_id}, only_user=uid))
    await _post(app, platform, guild_id, Outgoing(tuple(elements)).with_buttons(buttons))


# -- join floods --------------------------------------------------------------------------------
FLOOD_NAMES = 20  # named in the summary; the rest are counted


async def post_flood_summaries(app: App, now: datetime) -> None:
    """Post the summary of every flood whose window has closed (the per-minute sweep)."""
    states = await WelcomeState.filter(flood_count__gt=0, platform__in=list(app.adapters)).all()
    for state in states:
        await _post_flood_summary(app, state.platform, state.guild_id, now)


async def _post_flood_summary(app: App, platform: str, guild_id: str, now: datetime) -> None:
    cfg = settings(app, platform, guild_id)
    window = timedelta(seconds=cfg.flood_seconds)
    state = await WelcomeState.filter(platform=platform, guild_id=guild_id, flood_count__gt=0).first()
    if state is None or state.flood_last_at is None or now - state.flood_last_at <= window:
        return
    # Claimed before it is posted, so a flood is summed up once (the sweep and a join may race).
    claimed = await WelcomeState.filter(id=state.id, flood_count=state.flood_count).update(flood_count=0)
    if not claimed or not cfg.welcome:
        return
    # Everyone who came in the wave, the joins before it was recognised included.
    since = (state.flood_started_at or state.flood_last_at) - window
    joined = await RosterMember.filter(
        platform=platform, guild_id=guild_id, is_member=True, joined_at__gte=since, joined_at__lte=state.flood_last_at
    ).order_by("joined_at", "id").values_list("user_id", "name")
    if not joined:
        return
    locale = await group_locale(app, platform, guild_id)
    group = await group_name(app, platform, guild_id)
    elements: list[Any] = [Text(t(app, locale, "welcome.flood", group=group, n=len(joined)) + "\n")]
    separator = t(app, locale, "welcome.name_separator")
    for index, (user_id, name) in enumerate(joined[:FLOOD_NAMES]):
        if index:
            elements.append(Text(separator))
        # No notification: twenty pings at once is what a raid looks like.
        elements.append(Mention(user_id, name or user_id, notify=False))
    if len(joined) > FLOOD_NAMES:
        elements.append(Text(t(app, locale, "welcome.flood_more", n=len(joined) - FLOOD_NAMES)))
    buttons = _rules_button(cfg, guild_id, locale, app)
    waiting = await FormSession.filter(
        platform=platform, guild_id=guild_id, purpose="join", status="pending", user_id__in=[u for u, _ in joined]
    ).exists()
    if waiting:
        elements.append(Text("\n" + t(app, locale, "welcome.flood_form")))
        buttons.append(Button(t(app, locale, "welcome.form_button"), "open_form", {"guild": guild_id}))
    await _post(app, platform, guild_id, Outgoing(tuple(elements)).with_buttons(buttons))


def _gate_line(app: App, locale: str, cfg: GroupSettings, *, status: str, gate: str, card: str) -> str:
    if status == "done":
        return t(app, locale, "welcome.card", card=card) if card else ""
    reach = "unreachable" if status == "unreachable" else "sent"
    kind = "restrict" if gate == "restrict" else "off"
    return t(app, locale, f"welcome.{kind}_{reach}", minutes=cfg.timeout_minutes)


async def announce_completion(app: App, platform: str, guild_id: str, user: User, card: str, locale: str) -> None:
    """The member is through: say so in the group with the suggested name card."""
    mention = Mention(user.id, user.name, notify=False)
    key = "welcome.completed_card" if card else "welcome.completed"
    before, _, after = t(app, locale, key, name="\x00", card=card).partition("\x00")
    await _post(app, platform, guild_id, Outgoing((Text(before), mention, Text(after))))


# -- rules ---------------------------------------------------------------------------------------
@plugin.command("rules", description="onboarding.cmd.rules", guild_only=True)
async def rules_cmd(ctx: Context) -> None:
    cfg = settings(ctx.app, ctx.platform, ctx.guild_id)
    rules = cfg.rules.get(ctx.locale)
    await ctx.reply(ctx.t("onboarding.welcome.rules", rules=rules) if rules else ctx.t("onboarding.welcome.no_rules"))


@plugin.button("rules")
async def rules_button(ctx: Context, payload: dict[str, Any]) -> None:
    cfg = settings(ctx.app, ctx.platform, payload.get("guild") or ctx.guild_id or "")
    rules = cfg.rules.get(ctx.locale) or ctx.t("onboarding.welcome.no_rules")
    text = ctx.t("onboarding.welcome.rules", rules=rules)
    try:
        await ctx.send_private(ctx.event.user.id, text)
        await ctx.answer(ctx.t("onboarding.welcome.rules_sent"))
    except PlatformError:
        # Private chat closed: show them in a pop-up (Telegram alerts hold about 200 characters).
        await ctx.answer(text[:190], alert=True)
