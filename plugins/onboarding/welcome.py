"""Welcome: one welcome per newcomer, one summary for a join flood, the previous welcome deleted
when the next is posted, the "completed" note, and the rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from bot import Button, Capability, Mention, Outgoing, PlatformError, Text, User
from plugins.onboarding.models import FormSession, WelcomeState
from plugins.onboarding.reach import group_name, group_of, log
from plugins.onboarding.texts import fill_template

if TYPE_CHECKING:
    from bot import Context, GroupRef, Scope
    from plugins.onboarding.config import GroupSettings

__all__ = ["announce_completion", "post_flood_summaries", "rules_text", "welcome_member"]

FLOOD_NAMES = 20  # named in the summary; the rest are counted


async def _state(group: GroupRef) -> WelcomeState:
    keys = {"platform": group.platform, "guild_id": group.key}
    state = await WelcomeState.filter(**keys).first()
    if state is None:
        try:
            state = await WelcomeState.create(**keys)
        except IntegrityError:
            state = await WelcomeState.get(**keys)
    return state


async def _joined_since(scope: Scope, group: GroupRef, since: datetime, *, include_left: bool) -> list:
    """Roster entries of those who joined the group since ``since``, in the order they joined.
    A join counts as activity, so they are among the members active since then."""
    entries = await scope.roster.members(group, active_since=since, include_left=include_left)
    joined = [e for e in entries if e.joined_at is not None and e.joined_at >= since]
    return sorted(joined, key=lambda e: e.joined_at)


async def in_flood(scope: Scope, group: GroupRef, cfg: GroupSettings, at: datetime) -> tuple[bool, bool]:
    """Whether this join is part of a flood, and whether it is the join that starts one. Joins
    are counted by their platform timestamps; the summary is posted when the flood is over
    (:func:`post_flood_summaries`)."""
    window = timedelta(seconds=cfg.flood_seconds)
    state = await _state(group)
    if state.flood_last_at is not None and at - state.flood_last_at <= window:
        await WelcomeState.filter(id=state.id).update(
            flood_last_at=max(at, state.flood_last_at), flood_count=F("flood_count") + 1
        )
        return True, False
    recent = len(await _joined_since(scope, group, at - window, include_left=True))
    if recent < cfg.flood_joins:
        return False, False
    # Claim the flood: only one join posts its summary even when joins are handled concurrently.
    claimed = await WelcomeState.filter(id=state.id, flood_last_at=state.flood_last_at).update(
        flood_started_at=at, flood_last_at=at, flood_count=recent
    )
    return True, bool(claimed)


def _rules_button(scope: Scope, cfg: GroupSettings, group: GroupRef, locale: str) -> list[Button]:
    if not cfg.rules:
        return []
    return [Button(scope.translate(locale, "onboarding.welcome.rules_button"), "rules", {"guild": group.key})]


def _form_button(scope: Scope, group: GroupRef, locale: str, only_user: str | None = None) -> Button:
    label = scope.translate(locale, "onboarding.welcome.form_button")
    return Button(label, "open_form", {"guild": group.key}, only_user=only_user)


async def _post(scope: Scope, group: GroupRef, cfg: GroupSettings, message: Outgoing) -> None:
    """Post a welcome in the group, deleting the previous one when the group wants that."""
    state = await _state(group)
    adapter = scope.adapter(group.platform)
    if cfg.delete_previous_welcome and state.message_id and adapter and adapter.supports(Capability.DELETE):
        try:
            await adapter.delete(state.channel_id or group.id, state.message_id)
        except PlatformError as exc:
            log.info("onboarding: previous welcome in %s not deleted: %s", group.id, exc)
    sent = await scope.send_to(group, message, wait=True)  # the next welcome replaces it
    if sent is not None:
        await WelcomeState.filter(id=state.id).update(channel_id=sent.channel_id, message_id=sent.message_id)


async def welcome_member(ctx: Context, user: User, *, status: str, gate: str, card: str = "") -> None:
    """Welcome one newcomer. ``status``: how their form went out (``sent``, ``queued``,
    ``unreachable``) or ``done`` when they are already through."""
    group = ctx.group
    assert group is not None
    cfg = ctx.config.for_group(group)
    if not cfg.welcome:
        return
    # A flood that ended before this join is summed up first, so its summary comes before.
    await _post_flood_summary(ctx, group, ctx.event.timestamp)
    flood, _first = await in_flood(ctx, group, cfg, ctx.event.timestamp)
    if flood:
        return  # one summary for the whole wave, once it is over
    locale = await ctx.group_locale(group)
    buttons = _rules_button(ctx, cfg, group, locale)
    template = cfg.welcome_template.get(locale) or ctx.translate(locale, "onboarding.welcome.default")
    rules = cfg.rules.get(locale)
    text = fill_template(template, name="\x00", group=group_name(group), rules=rules)
    # Every {name} becomes a mention; only the first one pings.
    first, *rest = text.split("\x00")
    elements: list[Any] = [Text(first)]
    for index, piece in enumerate(rest):
        elements += [Mention(user.id, user.display_name, notify=index == 0), Text(piece)]
    extra = _gate_line(ctx, locale, cfg, status=status, gate=gate, card=card)
    if extra:
        elements.append(Text("\n" + extra))
    if status != "done":
        buttons.append(_form_button(ctx, group, locale, only_user=f"{group.platform}:{user.id}"))
    await _post(ctx, group, cfg, Outgoing(tuple(elements)).with_buttons(buttons))


# -- join floods --------------------------------------------------------------------------------
async def post_flood_summaries(scope: Scope, now: datetime) -> None:
    """Post the summary of every flood whose window has closed (the per-minute sweep)."""
    for state in await WelcomeState.filter(flood_count__gt=0).all():
        if scope.adapter(state.platform) is not None:
            await _post_flood_summary(scope, await group_of(scope, state.platform, state.guild_id), now)


async def _post_flood_summary(scope: Scope, group: GroupRef, now: datetime) -> None:
    cfg = scope.config.for_group(group)
    window = timedelta(seconds=cfg.flood_seconds)
    state = await WelcomeState.filter(platform=group.platform, guild_id=group.key, flood_count__gt=0).first()
    if state is None or state.flood_last_at is None or now - state.flood_last_at <= window:
        return
    # Claimed before it is posted, so a flood is summed up once (the sweep and a join may race).
    claimed = await WelcomeState.filter(id=state.id, flood_count=state.flood_count).update(flood_count=0)
    if not claimed or not cfg.welcome:
        return
    # Everyone who came in the wave, the joins before it was recognised included.
    since = (state.flood_started_at or state.flood_last_at) - window
    joined = [
        e for e in await _joined_since(scope, group, since, include_left=False)
        if e.joined_at <= state.flood_last_at
    ]
    if not joined:
        return
    locale = await scope.group_locale(group)
    flood = scope.translate(locale, "onboarding.welcome.flood", group=group_name(group), n=len(joined))
    elements: list[Any] = [Text(flood + "\n")]
    separator = scope.translate(locale, "onboarding.welcome.name_separator")
    for index, entry in enumerate(joined[:FLOOD_NAMES]):
        if index:
            elements.append(Text(separator))
        # No notification: twenty pings at once is what a raid looks like.
        elements.append(Mention(entry.user_id, entry.name or entry.user_id, notify=False))
    if len(joined) > FLOOD_NAMES:
        more = scope.translate(locale, "onboarding.welcome.flood_more", n=len(joined) - FLOOD_NAMES)
        elements.append(Text(more))
    buttons = _rules_button(scope, cfg, group, locale)
    waiting = await FormSession.filter(
        platform=group.platform, guild_id=group.key, purpose="join", status="pending",
        user_id__in=[e.user_id for e in joined],
    ).exists()
    if waiting:
        elements.append(Text("\n" + scope.translate(locale, "onboarding.welcome.flood_form")))
        buttons.append(_form_button(scope, group, locale))
    await _post(scope, group, cfg, Outgoing(tuple(elements)).with_buttons(buttons))


def _gate_line(scope: Scope, locale: str, cfg: GroupSettings, *, status: str, gate: str, card: str) -> str:
    if status == "done":
        return scope.translate(locale, "onboarding.welcome.card", card=card) if card else ""
    reach = "unreachable" if status == "unreachable" else "sent"
    kind = "restrict" if gate == "restrict" else "off"
    return scope.translate(locale, f"onboarding.welcome.{kind}_{reach}", minutes=cfg.timeout_minutes)


async def announce_completion(scope: Scope, group: GroupRef, user: User, card: str) -> None:
    """The member is through: say so in the group (in its language) with the name card."""
    locale = await scope.group_locale(group)
    mention = Mention(user.id, user.name, notify=False)
    key = "onboarding.welcome.completed_card" if card else "onboarding.welcome.completed"
    before, _, after = scope.translate(locale, key, name="\x00", card=card).partition("\x00")
    await _post(scope, group, scope.config.for_group(group), Outgoing((Text(before), mention, Text(after))))


# -- rules ---------------------------------------------------------------------------------------
def rules_text(scope: Scope, cfg: GroupSettings, locale: str) -> str:
    rules = cfg.rules.get(locale)
    if not rules:
        return scope.translate(locale, "onboarding.welcome.no_rules")
    return scope.translate(locale, "onboarding.welcome.rules", rules=rules)
