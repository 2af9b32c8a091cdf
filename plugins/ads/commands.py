"""/ad (an ad posted together with its red packet), the repost button of a reminder, and the
admins' /ads commands: recent removals with undo, pardon, whitelists, the group's settings,
stats, and the detector's explanation of a text."""

from __future__ import annotations

from typing import Literal

from bot import Button, Capability, Context, GroupRef, Outgoing, PlatformError, Rest, Text, User
from plugins.ads import plugin
from plugins.ads.detector import Sample
from plugins.ads.models import AdAllow, AdGroup, AdStrike
from plugins.ads.policy import judge, policy_for, settings_for
from plugins.ads.rules import AdRules
from plugins.ads.texts import packet_terms
from plugins.points import InsufficientPoints
from plugins.redpacket import PacketRefused, RedPackets

__all__ = [
    "ad",
    "allow",
    "allowed",
    "check",
    "grace",
    "minimum",
    "mode",
    "pardon",
    "recent",
    "repost",
    "stats",
    "unallow",
    "undo",
    "undo_button",
]


class _Stale(Exception):
    pass


async def _post_with_packet(ctx: Context, text: str, key: str, strike_id: int | None) -> str | None:
    """A packet of the group's minimum from the member, then the ad; None when done, else the
    reason in the member's language."""
    assert ctx.group is not None and ctx.member is not None and ctx.event.user is not None
    settings = await settings_for(ctx, ctx.group)
    packets = ctx.service(RedPackets)
    try:
        async with ctx.transaction() as tx:
            await packets.create(
                ctx.member,
                settings.min_total,
                settings.min_count,
                key=key,
                message=ctx.t("ads.packet_greeting"),
                using=tx,
                channel_id=ctx.event.channel.id if ctx.event.channel else None,
            )
            if strike_id is not None:
                claimed = (
                    await AdStrike.filter(id=strike_id, status__in=("removed", "undone", "pardoned"))
                    .using_db(tx.connection)
                    .update(status="reposted")
                )
                if not claimed:
                    raise _Stale
    except InsufficientPoints as exc:
        points = ctx.t("ads.unit.points", n=settings.min_total)
        return ctx.t("ads.no_points", points=points, balance=exc.balance)
    except PacketRefused as exc:
        return ctx.t(exc.key, **exc.params)
    except _Stale:
        return ctx.t("ads.repost.done_before")
    await ctx.send(ctx.t("ads.posted", name=ctx.event.user.display_name, text=text))
    return None


@plugin.command("ad", description="ads.cmd.ad", guild_only=True)
async def ad(ctx: Context, text: Rest) -> None:
    """/ad TEXT: the ad and a red packet of the group's minimum, together."""
    assert ctx.group is not None and ctx.event.user is not None
    if not text.strip():
        settings = await settings_for(ctx, ctx.group)
        await ctx.reply(ctx.t("ads.ad.usage", **packet_terms(ctx, ctx.locale, settings)))
        return
    message = getattr(ctx.event, "message", None)
    mid = message.id if message is not None else ctx.event.delivery_id or str(ctx.now.timestamp())
    refusal = await _post_with_packet(
        ctx, text.strip(), f"ads:ad:{ctx.group.platform}:{ctx.group.key}:{mid}", None
    )
    if refusal:
        await ctx.reply(refusal)
        return
    channel = ctx.event.channel.id if ctx.event.channel else ctx.group.id
    await AdStrike.get_or_create(
        platform=ctx.group.platform,
        guild_id=ctx.group.key,
        channel_id=channel,
        message_id=mid,
        defaults={
            "user_id": ctx.event.user.id,
            "at": ctx.event.timestamp,
            "deadline": ctx.event.timestamp,
            "status": "exempt",
            "text": text[:1500],
            "reasons": "/ad",
        },
    )


@plugin.button("repost")
async def repost(ctx: Context, payload: dict) -> None:
    strike = await AdStrike.get_or_none(id=payload.get("strike"))
    group, user = ctx.group, ctx.event.user
    if (
        strike is None
        or group is None
        or user is None
        or strike.guild_id != group.key
        or strike.user_id != user.id
    ):
        await ctx.answer(ctx.t("ads.repost.not_yours"), alert=True)
        return
    refusal = await _post_with_packet(ctx, strike.text, f"ads:repost:{strike.id}", strike.id)
    await ctx.answer(refusal or ctx.t("ads.repost.thanks"), alert=bool(refusal))


def _name(names: dict[str, str], user_id: str) -> str:
    return names.get(user_id, user_id)


@plugin.command("ads recent", description="ads.cmd.recent", level="admin", guild_only=True)
async def recent(ctx: Context) -> None:
    group = ctx.group
    assert group is not None
    settings = await settings_for(ctx, group)
    rows = (
        await AdStrike.filter(
            platform=group.platform,
            guild_id=group.key,
            status__in=("removed", "undone", "pardoned", "watched", "reposted", "pending"),
        )
        .order_by("-at", "-id")
        .limit(settings.list_size)
    )
    if not rows:
        await ctx.reply(ctx.t("ads.recent.none"))
        return
    names = await ctx.roster.names(group.platform, list({r.user_id for r in rows}))
    lines = [ctx.t("ads.recent.title")]
    buttons = []
    for row in rows:
        when = row.at.astimezone(ctx.timezone).strftime("%m-%d %H:%M")
        lines.append(
            ctx.t(
                "ads.recent.row",
                id=row.id,
                when=when,
                name=_name(names, row.user_id),
                status=ctx.t(f"ads.status.{row.status}"),
                action=row.action or "-",
                text=row.text[:40].replace("\n", " "),
            )
        )
        if row.status == "removed" and len(buttons) < 5:
            buttons.append(Button(ctx.t("ads.button.undo", id=row.id), "undo", {"strike": row.id}))
    await ctx.reply(Outgoing((Text("\n".join(lines)),), buttons=tuple((b,) for b in buttons)))


async def _undo(ctx: Context, strike_id: int) -> str:
    group = ctx.group
    assert group is not None
    strike = await AdStrike.get_or_none(id=strike_id, platform=group.platform, guild_id=group.key)
    if strike is None:
        return ctx.t("ads.undo.unknown", id=strike_id)
    claimed = await AdStrike.filter(id=strike.id, status="removed").update(
        status="undone", undone_by=ctx.event.uid
    )
    if not claimed:
        return ctx.t("ads.undo.not_removed", id=strike_id, status=ctx.t(f"ads.status.{strike.status}"))
    await ctx.audit("ads.undone", strike.user_id, strike=strike.id)
    if strike.action.startswith("mute"):
        await _unmute(ctx, group, strike.user_id)
    names = await ctx.roster.names(group.platform, [strike.user_id])
    return ctx.t("ads.undo.done", id=strike_id, name=_name(names, strike.user_id))


async def _unmute(ctx: Context, group: GroupRef, user_id: str) -> None:
    if ctx.bot.supports(Capability.MUTE):
        try:
            await ctx.bot.unmute(group.id, user_id)
        except PlatformError as exc:
            await ctx.audit("ads.unmute_failed", user_id, error=str(exc)[:200])


@plugin.command("ads undo", description="ads.cmd.undo", level="admin", guild_only=True)
async def undo(ctx: Context, strike: int) -> None:
    await ctx.reply(await _undo(ctx, strike))


@plugin.button("undo")
async def undo_button(ctx: Context, payload: dict) -> None:
    from bot import PermissionLevel

    if await ctx.level() < PermissionLevel.ADMIN:
        await ctx.answer(ctx.t("ads.admins_only"), alert=True)
        return
    text = await _undo(ctx, int(payload.get("strike", 0)))
    await ctx.answer(text)
    await ctx.send(text)


@plugin.command("ads pardon", description="ads.cmd.pardon", level="admin", guild_only=True)
async def pardon(ctx: Context, user: User) -> None:
    group = ctx.group
    assert group is not None
    count = await AdStrike.filter(
        platform=group.platform, guild_id=group.key, user_id=user.id, status="removed"
    ).update(status="pardoned", undone_by=ctx.event.uid)
    await _unmute(ctx, group, user.id)
    await ctx.audit("ads.pardoned", user.id, strikes=count)
    await ctx.reply(ctx.t("ads.pardon.done", name=user.display_name, n=count))


Kind = Literal["domain", "user", "member"]


def _clean(kind: str, value: str) -> str:
    value = value.strip().casefold()
    if kind == "domain":
        value = value.removeprefix("https://").removeprefix("http://").split("/")[0].removeprefix("www.")
    return value.lstrip("@")


async def _allow_value(ctx: Context, kind: str, value: str) -> str:
    if kind != "member":
        return _clean(kind, value)
    assert ctx.group is not None
    found = await ctx.roster.find(ctx.group.platform, ctx.group, value.lstrip("@"))
    return found.id if found else ""


@plugin.command("ads allow", description="ads.cmd.allow", level="admin", guild_only=True)
async def allow(ctx: Context, kind: Kind, value: str) -> None:
    group = ctx.group
    assert group is not None
    clean = await _allow_value(ctx, kind, value)
    if not clean:
        await ctx.reply(ctx.t("ads.allow.bad", value=value))
        return
    await AdAllow.get_or_create(
        platform=group.platform,
        guild_id=group.key,
        kind="username" if kind == "user" else kind,
        value=clean,
        defaults={"added_by": ctx.event.uid or "", "at": ctx.now},
    )
    ctx.service(AdRules).forget(group)
    await ctx.audit("ads.allowed", clean, kind=kind)
    await ctx.reply(ctx.t("ads.allow.done", kind=ctx.t(f"ads.kind.{kind}"), value=value.strip()))


@plugin.command("ads unallow", description="ads.cmd.unallow", level="admin", guild_only=True)
async def unallow(ctx: Context, kind: Kind, value: str) -> None:
    group = ctx.group
    assert group is not None
    clean = await _allow_value(ctx, kind, value)
    gone = await AdAllow.filter(
        platform=group.platform,
        guild_id=group.key,
        kind="username" if kind == "user" else kind,
        value=clean,
    ).delete()
    ctx.service(AdRules).forget(group)
    key = "ads.unallow.done" if gone else "ads.unallow.none"
    await ctx.reply(ctx.t(key, kind=ctx.t(f"ads.kind.{kind}"), value=value.strip()))


@plugin.command("ads allowed", description="ads.cmd.allowed", level="admin", guild_only=True)
async def allowed(ctx: Context) -> None:
    group = ctx.group
    assert group is not None
    rows = await AdAllow.filter(platform=group.platform, guild_id=group.key).order_by("kind", "value")
    settings = await settings_for(ctx, group)
    domains = [*settings.domains, *(r.value for r in rows if r.kind == "domain")]
    users = [*settings.usernames, *("@" + r.value for r in rows if r.kind == "username")]
    members = [r.value for r in rows if r.kind == "member"]
    names = await ctx.roster.names(group.platform, members) if members else {}
    await ctx.reply(
        ctx.t(
            "ads.allowed",
            domains=", ".join(domains) or "-",
            users=", ".join(users) or "-",
            members=", ".join(_name(names, m) for m in members) or "-",
        )
    )


async def _set(ctx: Context, **values: object) -> None:
    group = ctx.group
    assert group is not None
    row, _ = await AdGroup.get_or_create(platform=group.platform, guild_id=group.key)
    await AdGroup.filter(id=row.id).update(**values)
    ctx.service(AdRules).forget(group)
    await ctx.audit("ads.settings", None, **{k: str(v) for k, v in values.items()})


@plugin.command("ads mode", description="ads.cmd.mode", level="admin", guild_only=True)
async def mode(ctx: Context, mode: Literal["enforce", "watch", "off"]) -> None:
    await _set(ctx, mode=mode)
    await ctx.reply(ctx.t(f"ads.mode.{mode}"))


@plugin.command("ads minimum", description="ads.cmd.minimum", level="admin", guild_only=True)
async def minimum(ctx: Context, total: int, count: int = 1) -> None:
    if total < 1 or count < 1 or count > total:
        await ctx.reply(ctx.t("ads.minimum.bad"))
        return
    await _set(ctx, min_total=total, min_count=count)
    assert ctx.group is not None
    settings = await settings_for(ctx, ctx.group)
    await ctx.reply(ctx.t("ads.minimum.done", **packet_terms(ctx, ctx.locale, settings)))


@plugin.command("ads grace", description="ads.cmd.grace", level="admin", guild_only=True)
async def grace(ctx: Context, window: str) -> None:
    """/ads grace 3m (or 90s, 0: decide at once)."""
    value = window.strip().lower()
    try:
        minutes = float(value[:-1]) / 60 if value.endswith("s") else float(value.removesuffix("m"))
    except ValueError:
        minutes = -1.0
    if not 0 <= minutes <= 60:
        await ctx.reply(ctx.t("ads.grace.bad"))
        return
    await _set(ctx, grace_minutes=minutes)
    await ctx.reply(ctx.t("ads.grace.done", window=ctx.t("ads.unit.window", n=f"{minutes:g}")))


@plugin.command("ads stats", description="ads.cmd.stats", guild_only=True)
async def stats(ctx: Context) -> None:
    group = ctx.group
    assert group is not None
    rows = await AdStrike.filter(platform=group.platform, guild_id=group.key).values_list(
        "status", "packet_total"
    )
    count = {s: 0 for s in ("exempt", "removed", "watched", "undone", "pardoned", "reposted", "pending")}
    paid = 0
    for status, total in rows:
        count[status] = count.get(status, 0) + 1
        paid += total or 0
    settings = await settings_for(ctx, group)
    await ctx.reply(
        ctx.t(
            "ads.stats",
            seen=len(rows),
            exempt=count["exempt"] + count["reposted"],
            removed=count["removed"],
            watched=count["watched"],
            pardoned=count["undone"] + count["pardoned"],
            paid=paid,
            mode=ctx.t(f"ads.mode_name.{settings.mode}"),
            **packet_terms(ctx, ctx.locale, settings),
        )
    )


@plugin.command("ads check", description="ads.cmd.check", level="admin")
async def check(ctx: Context, text: Rest) -> None:
    group = ctx.group
    settings = await settings_for(ctx, group) if group else None
    if group is None or settings is None:
        from plugins.ads.detector import detect

        verdict = detect(Sample(text=text))
    else:
        verdict = await judge(ctx, group, Sample(text=text), await policy_for(ctx, group))
    key = "ads.check.ad" if verdict.is_ad else "ads.check.benign"
    await ctx.reply(
        ctx.t(key, score=f"{verdict.score:g}", threshold=f"{verdict.threshold:g}", reasons=verdict.explain())
    )
