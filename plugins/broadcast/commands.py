"""/hq, /groups and /broadcast (with status, cancel, resend, recall, edit, nudge), and the buttons of
a broadcast (confirm, cancel, received)."""

from __future__ import annotations

import re
from typing import Any

from bot import Button, Context, Mention, Outgoing, PlatformError, Rest, Text, User
from plugins.broadcast import plugin
from plugins.broadcast.content import to_elements
from plugins.broadcast.drafting import message_to_send
from plugins.broadcast.edits import request_edit
from plugins.broadcast.models import SENT, Broadcast, Delivery, GroupLeader, GroupTag
from plugins.broadcast.schedules import parse_hhmm
from plugins.broadcast.service import Broadcasts

__all__ = [
    "broadcast", "cancel", "edit", "groups_leader", "groups_list", "groups_tag", "groups_untag",
    "hq_set", "nudge", "recall", "resend", "status",
]

_TAG = re.compile(r"^[\w-]{1,32}$")
_TOKEN = re.compile(r"\s*(\S+)")
_AT_WORDS = ("at", "定时", "于")
_PIN_WORDS = ("pin", "置顶")
MAX_LIST = 100


def _service(ctx: Context) -> Broadcasts:
    return ctx.service(Broadcasts)


async def _in_hq(ctx: Context) -> bool:
    if await _service(ctx).is_hq(ctx.group):
        return True
    await ctx.reply(ctx.t("broadcast.not_hq"))
    return False


# -- HQ and groups -----------------------------------------------------------------------------
@plugin.command("hq set", description="broadcast.cmd.hq_set", level="owner", guild_only=True)
async def hq_set(ctx: Context) -> None:
    """This group becomes the headquarters: broadcasts are written and reported here."""
    assert ctx.group is not None
    await _service(ctx).set_hq(ctx.group, ctx.user_key or "")
    await ctx.audit("hq_set")
    await ctx.reply(ctx.t("broadcast.hq.set", name=ctx.group.name or ctx.group.id))


def _tags(words: str) -> list[str] | None:
    tags = [w.casefold() for w in words.split()]
    return tags if tags and all(_TAG.match(t) for t in tags) else None


@plugin.command("groups tag", description="broadcast.cmd.tag", level="admin", guild_only=True)
async def groups_tag(ctx: Context, tags: Rest = "") -> None:
    """/groups tag study beijing: this group carries these tags (for /broadcast study)."""
    assert ctx.group is not None
    wanted = _tags(tags)
    if wanted is None:
        await ctx.reply(ctx.t("broadcast.tag.bad"))
        return
    for tag in wanted:
        await GroupTag.get_or_create(platform=ctx.group.platform, guild_id=ctx.group.key, tag=tag)
    now = await _service(ctx).tags_of(ctx.group)
    await ctx.reply(ctx.t("broadcast.tag.now", tags=" ".join(now)))


@plugin.command("groups untag", description="broadcast.cmd.untag", level="admin", guild_only=True)
async def groups_untag(ctx: Context, tags: Rest = "") -> None:
    assert ctx.group is not None
    wanted = _tags(tags)
    if wanted is None:
        await ctx.reply(ctx.t("broadcast.tag.bad"))
        return
    await GroupTag.filter(platform=ctx.group.platform, guild_id=ctx.group.key, tag__in=wanted).delete()
    now = await _service(ctx).tags_of(ctx.group)
    await ctx.reply(ctx.t("broadcast.tag.now", tags=" ".join(now) or ctx.t("broadcast.none")))


@plugin.command("groups leader", description="broadcast.cmd.leader", level="admin", guild_only=True)
async def groups_leader(ctx: Context, user: User) -> None:
    """/groups leader @user: who answers for this group and confirms each broadcast."""
    assert ctx.group is not None
    await GroupLeader.update_or_create(
        platform=ctx.group.platform, guild_id=ctx.group.key,
        defaults={"user_id": user.id, "name": user.display_name[:128]},
    )
    await ctx.audit("leader_set", f"{ctx.platform}:{user.id}")
    await ctx.reply(ctx.t("broadcast.leader.set", name=user.display_name))


@plugin.command("groups list", description="broadcast.cmd.list", level="admin", guild_only=True)
async def groups_list(ctx: Context, tag: str = "") -> None:
    """In HQ: every group (with a tag) with its members, last activity and leader."""
    if not await _in_hq(ctx):
        return
    service = _service(ctx)
    groups = await service.targets([tag.casefold()] if tag else [])
    if not groups:
        await ctx.reply(ctx.t("broadcast.list.empty"))
        return
    leaders = {
        (row.platform, row.guild_id): row.name for row in await GroupLeader.all()
    }
    tags: dict[tuple[str, str], list[str]] = {}
    for row in await GroupTag.all().order_by("tag"):
        tags.setdefault((row.platform, row.guild_id), []).append(row.tag)
    lines = [ctx.t("broadcast.list.header", count=len(groups))]
    for info in groups[:MAX_LIST]:
        members = await ctx.roster.members(info.ref)
        last = max((m.last_active_at for m in members if m.last_active_at), default=None)
        key = (info.ref.platform, info.ref.key)
        lines.append(
            ctx.t(
                "broadcast.list.line", name=info.ref.name or info.ref.id, platform=info.ref.platform,
                members=len(members), tags=" ".join(tags.get(key, [])) or "-",
                last=last.astimezone(info.timezone).strftime("%m-%d %H:%M") if last else "-",
                leader=leaders.get(key) or "-",
            )
        )
    if len(groups) > MAX_LIST:
        lines.append(ctx.t("broadcast.list.more", count=len(groups) - MAX_LIST))
    await ctx.reply("\n".join(lines))


# -- broadcast ---------------------------------------------------------------------------------
def _parse(text: str, known: set[str]) -> tuple[list[str], str | None, bool, str, str | None]:
    """Leading options of ``/broadcast``: tags, ``at HH:MM``, ``pin``; then the text.
    Returns (tags, at, pin, text, bad time)."""
    tags: list[str] = []
    at: str | None = None
    pin = False
    position = 0
    while True:
        match = _TOKEN.match(text, position)
        if match is None:
            break
        word = match.group(1)
        lowered = word.casefold()
        if lowered in _AT_WORDS:
            following = _TOKEN.match(text, match.end())
            if following is None or parse_hhmm(following.group(1)) is None:
                return tags, at, pin, "", following.group(1) if following else ""
            at = following.group(1).zfill(5)
            position = following.end()
        elif lowered in _PIN_WORDS:
            pin = True
            position = match.end()
        elif lowered in known and lowered not in tags:
            tags.append(lowered)
            position = match.end()
        else:
            break
    return tags, at, pin, text[position:].strip(), None


@plugin.command("broadcast", description="broadcast.cmd.broadcast", level="admin", guild_only=True)
async def broadcast(ctx: Context, text: Rest = "") -> None:
    """In HQ: ``/broadcast [tag…] [at 21:00] [pin] TEXT``, or the same in reply to a message
    (then that message is the one copied). Shows a preview with a Confirm button."""
    assert ctx.group is not None and ctx.user_key is not None
    if not await _in_hq(ctx):
        return
    service = _service(ctx)
    tags, at, pin, body, bad_time = _parse(text, await service.known_tags())
    if bad_time is not None:
        await ctx.reply(ctx.t("broadcast.bad_time", value=bad_time))
        return
    found = await message_to_send(ctx, service, body)
    if found is None:
        return
    stored, source = found
    plain = "".join(e.plain() for e in to_elements(stored, lambda kind: ctx.t(f"broadcast.media.{kind}")))
    targets = await service.targets(tags)
    draft = await service.draft(ctx.group, ctx.user_key, stored, source, plain, tags, at, pin)
    when = ctx.t("broadcast.when.at", at=at) if at else ctx.t("broadcast.when.now")
    where = ctx.t("broadcast.where.tags", tags=" ".join(tags)) if tags else ctx.t("broadcast.where.all")
    lines = [ctx.t("broadcast.preview", id=draft.id, n=len(targets), where=where, when=when)]
    if source:
        lines.append(ctx.t("broadcast.copy_note"))
    if pin:
        lines.append(ctx.t("broadcast.pin_note"))
    header = Text("\n".join(lines) + "\n────────\n")
    buttons = [
        Button(ctx.t("broadcast.button.confirm"), "confirm", {"b": draft.id}, only_user=ctx.user_key),
        Button(ctx.t("broadcast.button.cancel"), "cancel", {"b": draft.id}, only_user=ctx.user_key),
    ]
    preview = Outgoing((header, Text(plain))).with_buttons(buttons if targets else buttons[1:])
    await ctx.reply(preview)


@plugin.button("confirm")
async def confirm(ctx: Context, payload: dict[str, Any]) -> None:
    service = _service(ctx)
    done = await service.confirm(int(payload["b"]))
    if done is None:
        await ctx.answer(ctx.t("broadcast.already"))
        return
    await ctx.answer(ctx.t("broadcast.confirmed_toast"))
    await ctx.audit("broadcast", str(done.id), targets=done.targets, at=done.at)
    await _drop_buttons(ctx)
    tally = await service.reports.tally(done.id)
    line = service.reports.progress_line(ctx.locale, done, tally)
    if done.at:
        line += "\n" + ctx.t("broadcast.scheduled", at=done.at)
    sent = await ctx.send(line, wait=True)  # the progress line is edited as copies go out
    if sent is not None:
        await Broadcast.filter(id=done.id).update(
            progress_channel=sent.channel_id, progress_message=sent.message_id
        )
    service.kick()


@plugin.button("cancel")
async def cancel_button(ctx: Context, payload: dict[str, Any]) -> None:
    await _service(ctx).cancel(int(payload["b"]))
    await ctx.answer(ctx.t("broadcast.cancelled_toast"))
    await _drop_buttons(ctx)
    await ctx.send(ctx.t("broadcast.cancelled", id=payload["b"]))


async def _drop_buttons(ctx: Context) -> None:
    """The preview keeps its text and loses its buttons (nobody confirms it twice)."""
    message_id = getattr(ctx.event, "message_id", None)
    if not message_id or ctx.event.channel is None:
        return
    draft_text = ctx.t("broadcast.preview_done")
    try:
        await ctx.bot.edit(ctx.event.channel.id, message_id, Outgoing((Text(draft_text),)))
    except PlatformError:
        pass  # the buttons stay; a second press is answered "already"


@plugin.button("received")
async def received(ctx: Context, payload: dict[str, Any]) -> None:
    """The group leader's "received" on a broadcast copy."""
    assert ctx.member is not None
    updated = await Delivery.filter(id=int(payload["d"]), confirmed_at=None).update(
        confirmed_at=ctx.now, confirmed_by=ctx.member.user_id
    )
    await ctx.answer(ctx.t("broadcast.received.thanks" if updated else "broadcast.received.already"))


# -- reports -----------------------------------------------------------------------------------
@plugin.command("broadcast status", description="broadcast.cmd.status", level="admin", guild_only=True)
async def status(ctx: Context, id: int = 0) -> None:
    """/broadcast status [ID]: the last broadcasts, or one in detail."""
    if not await _in_hq(ctx):
        return
    service = _service(ctx)
    if not id:
        recent = await Broadcast.filter(status="confirmed", schedule_id=None).order_by("-id").limit(5)
        if not recent:
            await ctx.reply(ctx.t("broadcast.status.none"))
            return
        lines = []
        for item in recent:
            tally = await service.reports.tally(item.id)
            lines.append(service.reports.progress_line(ctx.locale, item, tally))
        await ctx.reply("\n".join(lines))
        return
    item = await Broadcast.get_or_none(id=id)
    if item is None or item.status != "confirmed":
        await ctx.reply(ctx.t("broadcast.status.unknown_id", id=id))
        return
    tally = await service.reports.tally(id)
    lines = [await service.reports.summary(ctx.locale, item, tally)]
    missing = await service.reports.unconfirmed(id)
    if missing:
        names = "、".join(f"{group}（{leader}）" for group, leader in missing[:30])
        lines.append(ctx.t("broadcast.status.waiting_leaders", names=names))
    await ctx.reply("\n".join(lines))


@plugin.command("broadcast cancel", description="broadcast.cmd.cancel", level="admin", guild_only=True)
async def cancel(ctx: Context, id: int) -> None:
    """Cancel the copies of a broadcast not sent yet (a scheduled one)."""
    if not await _in_hq(ctx):
        return
    count = await _service(ctx).cancel(id)
    await ctx.reply(ctx.t("broadcast.cancel.done", id=id, n=count))


@plugin.command("broadcast resend", description="broadcast.cmd.resend", level="admin", guild_only=True)
async def resend(ctx: Context, id: int) -> None:
    """Send again the copies whose fate is unknown (after checking those groups)."""
    if not await _in_hq(ctx):
        return
    count = await _service(ctx).resend_unknown(id)
    await ctx.reply(ctx.t("broadcast.resend.done", id=id, n=count))
    if count:
        _service(ctx).kick()


@plugin.command("broadcast recall", description="broadcast.cmd.recall", level="admin", guild_only=True)
async def recall(ctx: Context, id: int) -> None:
    """Delete the copies everywhere (within the platform's delete window: Telegram 48 hours);
    copies not sent yet are cancelled. The summary in HQ says which could not be deleted."""
    if not await _in_hq(ctx):
        return
    item = await Broadcast.get_or_none(id=id)
    if item is None or item.status != "confirmed":
        await ctx.reply(ctx.t("broadcast.status.unknown_id", id=id))
        return
    service = _service(ctx)
    asked, cancelled, doubtful = await service.recall(id)
    await ctx.audit("broadcast_recall", str(id), copies=asked)
    lines = [ctx.t("broadcast.recall.started", id=id, n=asked)]
    if cancelled:
        lines.append(ctx.t("broadcast.cancel.done", id=id, n=cancelled))
    if doubtful:
        lines.append(ctx.t("broadcast.recall.doubtful", n=doubtful))
    await ctx.reply("\n".join(lines))
    if asked:
        service.kick()


@plugin.command("broadcast edit", description="broadcast.cmd.edit", level="admin", guild_only=True)
async def edit(ctx: Context, id: int, text: Rest = "") -> None:
    """Change what every copy says (its photo or file, buttons and leader's button stay);
    copies not sent yet go out with the new text. HQ gets the summary once all are edited."""
    if not await _in_hq(ctx):
        return
    if not text.strip():
        await ctx.reply(ctx.t("broadcast.edit.usage"))
        return
    service = _service(ctx)
    asked = await request_edit(service, id, text.strip())
    if asked is None:
        await ctx.reply(ctx.t("broadcast.status.unknown_id", id=id))
        return
    await ctx.audit("broadcast_edit", str(id), copies=asked.sent)
    lines = [ctx.t("broadcast.edit.started", id=id, n=asked.sent)]
    if asked.waiting:
        lines.append(ctx.t("broadcast.edit.waiting", n=asked.waiting))
    if asked.doubtful:
        lines.append(ctx.t("broadcast.edit.doubtful", n=asked.doubtful))
    await ctx.reply("\n".join(lines))
    service.kick()


@plugin.command("broadcast nudge", description="broadcast.cmd.nudge", level="admin", guild_only=True)
async def nudge(ctx: Context, id: int) -> None:
    """Remind the leaders who have not confirmed a broadcast, in their groups."""
    if not await _in_hq(ctx):
        return
    rows = await Delivery.filter(broadcast_id=id, status=SENT, confirmed_at=None)
    count = 0
    for row in rows:
        leader = await GroupLeader.filter(platform=row.platform, guild_id=row.guild_id).first()
        info = await ctx.roster.group_by_key(row.platform, row.guild_id)
        if leader is None or info is None or not info.active:
            continue
        locale = await ctx.group_locale(info.ref)
        text = ctx.translate(locale, "broadcast.nudge.text", id=id)
        try:
            await ctx.send_to(info.ref, [Mention(leader.user_id, leader.name, notify=True), Text(text)])
            count += 1
        except PlatformError:
            continue
    await ctx.reply(ctx.t("broadcast.nudge.done", n=count))
