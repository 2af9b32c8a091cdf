"""The ads policy: judge a message, then welcome it (a red packet came with it), wait for a
packet during the grace window, or remove it with a friendly reminder and a step on the
member's ladder. Every decision is a row, written (by a conditional update from ``pending``)
before anything is deleted, anyone is muted or told; a message is judged once (unique key)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from bot import (
    Button,
    CannotAct,
    Capability,
    Context,
    GroupRef,
    MemberRef,
    Outgoing,
    PermissionLevel,
    PlatformError,
    Scope,
    Text,
)
from bot.events import Message
from plugins.ads.config import AdsSettings, parse_step
from plugins.ads.detector import (
    MENTIONS_WEIGHED,
    NEW_MEMBER_WEIGHT,
    Policy,
    Sample,
    Verdict,
    detect,
    weighed_names,
)
from plugins.ads.models import AdAllow, AdStrike
from plugins.ads.rules import AdRules
from plugins.ads.texts import packet_terms
from plugins.redpacket import RedPackets

__all__ = ["decide", "judge", "ladder_step", "policy_for", "sample_of", "settings_for", "sweep"]

log = logging.getLogger(__name__)
TEXT_KEEP = 1500


def sample_of(message: Message) -> Sample:
    origin = message.forward_origin
    return Sample(
        text=message.text,
        links=message.links,
        usernames=tuple(message.usernames),
        buttons=message.buttons,
        via_bot=message.via_bot,
        forward_kind=origin.kind if origin else None,
        forward_username=origin.username if origin else None,
        media=message.media,
        answers=message.reply_text,
    )


async def settings_for(scope: Scope, group: GroupRef) -> AdsSettings:
    return (await scope.service(AdRules).rules(group)).settings


async def policy_for(scope: Scope, group: GroupRef, *, strict: bool = False) -> Policy:
    return (await scope.service(AdRules).rules(group)).policy(strict)


async def judge(scope: Scope, group: GroupRef, sample: Sample, policy: Policy) -> Verdict:
    """The verdict, with mentioned usernames the roster knows (members) counted as talk. The
    roster is asked before the detector runs, so a message mentioning a member is judged once."""
    asked: set[str] = set()
    known: set[str] = set()

    async def learn(names: Iterable[str]) -> bool:
        found = False
        for name in names:
            if name not in asked and len(asked) < MENTIONS_WEIGHED:
                asked.add(name)
                if await scope.roster.find(group.platform, group, name) is not None:
                    known.add(name)
                    found = True
        return found

    await learn(weighed_names(sample, policy))
    verdict = detect(sample, policy.knowing(known) if known else policy)
    # A name only another reading of the message weighs (the text read backwards, a forward's
    # sender): asked now, and the message judged again if the roster knows it.
    if await learn(r.detail[1:] for r in verdict.reasons if r.code == "username"):
        verdict = detect(sample, policy.knowing(known))
    return verdict


async def is_new(scope: Scope, group: GroupRef, user_id: str, hours: float, now: datetime) -> bool:
    if hours <= 0:
        return False
    entry = await scope.roster.member(group, user_id)
    return (
        entry is not None and entry.joined_at is not None and now - entry.joined_at < timedelta(hours=hours)
    )


async def find_packet(scope: Scope, member: MemberRef, at: datetime, settings: AdsSettings, until: datetime):
    grace = timedelta(minutes=settings.grace_minutes)
    packets = await scope.service(RedPackets).packets_of(
        member, since=at - grace, until=until, min_total=settings.min_total
    )
    return next((p for p in packets if p.count >= settings.min_count), None)


async def ladder_step(strike: AdStrike, settings: AdsSettings, using: Any = None) -> int:
    """1 + the member's earlier removals in a row: each within ``decay_days`` of the next."""
    query = AdStrike.filter(
        platform=strike.platform,
        guild_id=strike.guild_id,
        user_id=strike.user_id,
        status="removed",
        id__lt=strike.id,
    )
    if using is not None:
        query = query.using_db(using)
    earlier = await query.order_by("-id").limit(len(settings.ladder) + 5).values_list("at", flat=True)
    step, last = 1, strike.at
    for at in earlier:
        if last - at > timedelta(days=settings.decay_days):
            break
        step, last = step + 1, at
    return step


async def handle_message(ctx: Context, message: Message) -> None:
    group, member, user = ctx.group, ctx.member, ctx.event.user
    if group is None or member is None or user is None:
        return
    if message.automatic_forward:
        await _own_channel(ctx, group, user, message)
        return
    # An anonymous admin speaks as the group itself. Other channel identities (a member
    # posting as one of their channels) are judged like members.
    if user.is_bot or (user.is_channel and user.id in (group.id, group.key)):
        return
    rules = await ctx.service(AdRules).rules(group)
    settings = rules.settings
    if settings.mode == "off" or rules.allows_member(user.id):
        return
    if not user.is_channel and await ctx.level() >= PermissionLevel.ADMIN:
        return
    sample = sample_of(message)
    if not (sample.text or sample.links or sample.buttons or sample.via_bot or sample.forward_kind):
        return
    at = ctx.event.timestamp
    verdict = await judge(ctx, group, sample, rules.policy())
    # A newcomer's message with a link or a handle in it is judged more strictly: asked only
    # where that could change the verdict (the roster read is the message path's dearest).
    reaches_out = sample.links or sample.usernames or sample.buttons
    if (
        reaches_out and not verdict.is_ad and verdict.score >= verdict.threshold - NEW_MEMBER_WEIGHT - 1e-9
        and await is_new(ctx, group, user.id, settings.new_member_hours, at)
    ):
        verdict = await judge(ctx, group, sample, rules.policy(strict=True))
    if not verdict.is_ad:
        return
    channel = ctx.event.channel.id if ctx.event.channel else group.id
    grace = timedelta(minutes=settings.grace_minutes)
    packet = await find_packet(ctx, member, at, settings, at)
    status = "exempt" if packet else "watched" if settings.mode == "watch" else "pending"
    strike, created = await AdStrike.get_or_create(
        platform=group.platform,
        guild_id=group.key,
        channel_id=channel,
        message_id=message.id,
        defaults={
            "user_id": user.id,
            "at": at,
            "deadline": at + grace,
            "status": status,
            "score": verdict.score,
            "reasons": verdict.explain()[:500],
            "text": message.text[:TEXT_KEEP],
            "packet_id": packet.id if packet else None,
            "packet_total": packet.total if packet else 0,
        },
    )
    if not created:
        return  # judged before (a redelivery, an edit)
    await ctx.audit(
        "ads.judged", user.id, status=status, score=verdict.score, reasons=verdict.explain()[:300]
    )
    if status != "pending":
        return
    if grace <= timedelta(0):
        await decide(ctx, strike.id)
        return
    notice = ctx.t("ads.notice", name=user.display_name, **packet_terms(ctx, ctx.locale, settings))
    try:
        sent = await ctx.reply(notice, wait=True)  # removed once the grace is over
    except PlatformError as exc:
        log.warning("ads: notice not sent: %s", exc)
        return
    if sent is not None:
        await AdStrike.filter(id=strike.id).update(
            notice_channel=sent.channel_id, notice_id=sent.message_id, notice_until=at + grace
        )


async def _own_channel(ctx: Context, group: GroupRef, user: Any, message: Message) -> None:
    """A post the platform copied from the channel the group follows (its linked channel) is
    never judged, and that channel is the group's own: posting as it, and mentioning its
    @username, are exempt from now on (kept as whitelist entries an admin sees in /ads
    allowed)."""
    origin = message.forward_origin
    entries = [("member", user.id)] if user.is_channel else []
    for name in (user.username if user.is_channel else None, origin.username if origin else None):
        if name:
            entries.append(("username", name.casefold().lstrip("@")))
    for kind, value in entries:
        await AdAllow.get_or_create(
            platform=group.platform, guild_id=group.key, kind=kind, value=value,
            defaults={"added_by": "auto", "at": ctx.now},
        )
    if entries:
        ctx.service(AdRules).forget(group)


async def decide(scope: Scope, strike_id: int) -> str | None:
    """Decide a pending strike whose grace is over (or none): exempt when a packet came,
    else removed. Returns the new status, or None when another run decided it."""
    strike = await AdStrike.get_or_none(id=strike_id)
    if strike is None or strike.status != "pending":
        return None
    found = await scope.roster.group_by_key(strike.platform, strike.guild_id)
    group = found.ref if found else GroupRef(strike.platform, strike.guild_id, strike.guild_id)
    settings = await settings_for(scope, group)
    member = MemberRef(strike.platform, strike.user_id, group)
    now = scope.now
    packet = await find_packet(scope, member, strike.at, settings, max(strike.deadline, strike.at))
    if packet is not None:
        claimed = await AdStrike.filter(id=strike.id, status="pending").update(
            status="exempt", decided_at=now, packet_id=packet.id, packet_total=packet.total
        )
        if claimed:
            await _drop_notice(scope, strike)
            await scope.audit("ads.exempt", strike.user_id, group=group, packet=packet.id)
        return "exempt" if claimed else None
    async with scope.transaction() as tx:
        step = await ladder_step(strike, settings, tx.connection)
        action = settings.ladder[min(step, len(settings.ladder)) - 1]
        claimed = (
            await AdStrike.filter(id=strike.id, status="pending")
            .using_db(tx.connection)
            .update(status="removed", decided_at=now, step=step, action=action)
        )
        if claimed:
            tx.after_commit(lambda: _enforce(scope, strike, group, settings, step, action))
    return "removed" if claimed else None


async def _enforce(
    scope: Scope, strike: AdStrike, group: GroupRef, settings: AdsSettings, step: int, action: str
) -> None:
    """After the strike is committed: delete the ad, apply the step, remind the member."""
    adapter = scope.adapter(strike.platform)
    await _drop_notice(scope, strike)
    await scope.emit("stats_count", group=group, name="ads_removed", amount=1)
    await scope.audit("ads.removed", strike.user_id, group=group, strike=strike.id, step=step, ladder=action)
    if adapter is None:
        return
    if adapter.supports(Capability.DELETE):
        try:
            await adapter.delete(strike.channel_id, strike.message_id)
        except PlatformError as exc:
            log.warning("ads: message %s not deleted: %s", strike.message_id, exc)
    done = await _apply(scope, adapter, group, strike.user_id, action)
    locale = await scope.roster.locale_of(strike.platform, strike.user_id) or await scope.group_locale(group)
    names = await scope.roster.names(strike.platform, [strike.user_id])
    name = names.get(strike.user_id, strike.user_id)
    kind, seconds = parse_step(action)
    lines = [
        scope.translate(locale, "ads.reminder", name=name, **packet_terms(scope, locale, settings))
    ]
    if done and kind == "mute":
        lines.append(scope.translate(locale, "ads.step.mute", duration=_duration(scope, locale, seconds)))
    elif done and kind == "kick":
        lines.append(scope.translate(locale, "ads.step.kick"))
    elif kind == "remind" and len(settings.ladder) > step:
        lines.append(scope.translate(locale, "ads.step.next"))
    content = "\n".join(lines)
    buttons = []
    if kind != "kick" and strike.text:
        buttons = [
            Button(
                scope.translate(locale, "ads.button.repost", total=settings.min_total),
                "repost",
                {"strike": strike.id},
                only_user=f"{strike.platform}:{strike.user_id}",
            )
        ]
    message = Outgoing((Text(content),), buttons=(tuple(buttons),) if buttons else ())
    try:
        sent = await scope.send_to_channel(strike.platform, strike.channel_id, message, wait=True)
    except PlatformError as exc:
        log.warning("ads: reminder not sent: %s", exc)
        return
    if sent is not None and settings.reminder_seconds and kind != "kick":
        await AdStrike.filter(id=strike.id).update(
            notice_channel=sent.channel_id,
            notice_id=sent.message_id,
            notice_until=scope.now + timedelta(seconds=settings.reminder_seconds),
        )


def _duration(scope: Scope, locale: str, seconds: float) -> str:
    if seconds >= 2 * 86400 and seconds % 86400 == 0:
        return scope.translate(locale, "ads.unit.days", n=int(seconds // 86400))
    if seconds >= 3600 and seconds % 3600 == 0:
        return scope.translate(locale, "ads.unit.hours", n=int(seconds // 3600))
    return scope.translate(locale, "ads.unit.minutes", n=max(1, round(seconds / 60)))


async def _apply(scope: Scope, adapter: Any, group: GroupRef, user_id: str, action: str) -> bool:
    kind, seconds = parse_step(action)
    if kind == "remind":
        return True
    member = MemberRef(group.platform, user_id, group)
    if await scope.level_of(member) >= PermissionLevel.ADMIN:
        return False  # admins and owners are never touched
    try:
        if kind == "mute" and adapter.supports(Capability.MUTE):
            await adapter.mute(group.id, user_id, timedelta(seconds=seconds))
            return True
        if kind == "kick" and adapter.supports(Capability.KICK):
            await adapter.kick(group.id, user_id, "ads")
            return True
    except (CannotAct, PlatformError) as exc:
        log.warning("ads: %s of %s failed: %s", kind, user_id, exc)
        await scope.audit("ads.step_failed", user_id, group=group, ladder=action, error=str(exc)[:200])
    return False


async def _drop_notice(scope: Scope, strike: AdStrike) -> None:
    row = await AdStrike.get(id=strike.id)
    if not row.notice_id or not row.notice_channel:
        return
    claimed = await AdStrike.filter(id=row.id, notice_id=row.notice_id).update(
        notice_id=None, notice_channel=None, notice_until=None
    )
    adapter = scope.adapter(row.platform)
    if claimed and adapter is not None and adapter.supports(Capability.DELETE):
        try:
            await adapter.delete(row.notice_channel, row.notice_id)
        except PlatformError as exc:
            log.warning("ads: notice %s not removed: %s", row.notice_id, exc)


async def sweep(scope: Scope) -> int:
    """Decide every pending strike whose grace is over, and remove reminders whose time is
    up. Safe to run anywhere at any time (every decision is a conditional update)."""
    now = scope.now
    decided = 0
    due = AdStrike.filter(status="pending", deadline__lte=now).order_by("id").limit(200)
    for strike_id in await due.values_list("id", flat=True):
        if await decide(scope, strike_id):
            decided += 1
    stale = AdStrike.filter(notice_until__lte=now, notice_id__isnull=False).exclude(status="pending")
    for strike in await stale.order_by("notice_until", "id").limit(200):
        await _drop_notice(scope, strike)
    return decided
