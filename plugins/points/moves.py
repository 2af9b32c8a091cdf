"""Commands that move points to or from a member: /points give, take (admins) and pay.

They act only on current members of the group they are run in; a bot owner may act on
someone who is not (with one balance everywhere, their balance across all groups), and is told
so in the reply. A name several members share (two Zeds without usernames) is never guessed:
the caller picks one with a button, and the pick makes the same change the command would have
(the command's idempotency key travels with it, so a double tap applies once).
"""

from __future__ import annotations

from bot import Ambiguous, AskUser, Button, Context, MemberRef, Outgoing, PermissionLevel, Rest, Text, User
from plugins.points import plugin
from plugins.points.members import in_group
from plugins.points.service import InsufficientPoints, Points

__all__ = ["give", "pay", "pick", "take"]

VERBS = ("give", "take", "pay")


@plugin.command("points give", description="points.cmd.give", level=PermissionLevel.ADMIN, guild_only=True)
async def give(ctx: Context, member: AskUser, amount: int, reason: Rest = "") -> None:
    await _move(ctx, "give", member, amount, reason or "")


@plugin.command("points take", description="points.cmd.take", level=PermissionLevel.ADMIN, guild_only=True)
async def take(ctx: Context, member: AskUser, amount: int, reason: Rest = "") -> None:
    await _move(ctx, "take", member, amount, reason or "")


@plugin.command("points pay", description="points.cmd.pay", guild_only=True)
async def pay(ctx: Context, member: AskUser, amount: int) -> None:
    if not ctx.service(Points).config.pay_enabled:
        await ctx.reply(ctx.t("points.pay.disabled"))
        return
    await _move(ctx, "pay", member, amount, "")


@plugin.button("pick")
async def pick(ctx: Context, payload: dict) -> None:
    """The caller chose which of several same-named members they meant."""
    verb, user_id = payload.get("verb"), payload.get("user")
    if verb not in VERBS or not isinstance(user_id, str) or ctx.group is None:
        await ctx.answer(ctx.t("bot.error.button_expired"), alert=True)
        return
    if verb != "pay" and await ctx.level() < PermissionLevel.ADMIN:
        level = ctx.t("bot.level.admin")
        await ctx.answer(ctx.t("bot.error.no_permission", level=level, command=_command_name(ctx, verb)),
                         alert=True)
        return
    await ctx.answer()
    entry = await ctx.roster.member(ctx.group, user_id)
    user = User(id=user_id, name=entry.name if entry else user_id, is_bot=bool(entry and entry.is_bot))
    await _move(ctx, verb, user, payload["amount"], payload.get("reason", ""), payload.get("key"))


async def _move(
    ctx: Context, verb: str, target: User | Ambiguous, amount: int, reason: str, key: str | None = None
) -> None:
    if amount <= 0:
        await ctx.reply(ctx.t("points.error.amount", amount=amount))
        return
    if isinstance(target, Ambiguous):
        await _ask_which(ctx, verb, target, amount, reason)
        return
    if target.is_bot or target.is_channel:
        await ctx.reply(ctx.t("points.error.bot", name=target.display_name))
        return
    sender = ctx.event.user
    assert sender is not None and ctx.group is not None
    if verb == "pay" and target.id == sender.id:
        await ctx.reply(ctx.t("points.pay.self"))
        return
    note = await _where(ctx, target)
    if note is None:
        return
    points = ctx.service(Points)
    key = key or action_key(ctx, verb)
    member = MemberRef(ctx.platform, target.id, ctx.group)
    amount_text = ctx.t("points.amount", n=amount)
    try:
        if verb == "give":
            # Granted points are not activity: they never raise a level.
            result = await points.earn(member, amount, xp=0, key=key, reason=reason,
                                       actor=ctx.user_key, at=ctx.event.timestamp)
        elif verb == "take":
            result = await points.penalty(member, amount, key=key, reason=reason,
                                          actor=ctx.user_key, at=ctx.event.timestamp)
        else:
            result = await points.transfer(MemberRef(ctx.platform, sender.id, ctx.group), member, amount,
                                           key=key, reason="", actor=ctx.user_key, at=ctx.event.timestamp)
    except InsufficientPoints as exc:
        balance = ctx.t("points.amount", n=exc.balance)
        if verb == "take":
            await ctx.reply(ctx.t("points.take.too_much", name=target.display_name, balance=balance))
        else:
            await ctx.reply(ctx.t("points.error.insufficient", balance=balance, amount=amount))
        return
    if verb != "pay":
        detail = {"outside_group": True} if note else {}
        await ctx.audit(f"points.{verb}", f"{ctx.platform}:{target.id}", amount=amount, reason=reason,
                        **detail)
    text = ctx.t(f"points.{verb}.done", amount=amount_text, name=target.display_name,
                 balance=result.balance)
    await ctx.reply(text + (f"\n{note}" if note else ""))


async def _where(ctx: Context, target: User) -> str | None:
    """"" when ``target`` is a current member of the group; for a bot owner acting on someone
    who is not, the note saying what the change acts on; else None (refused, said so)."""
    assert ctx.group is not None
    if await in_group(ctx, target.id):
        return ""
    if await ctx.level() >= PermissionLevel.OWNER:
        scope = ctx.service(Points).config.scope
        return ctx.t(f"points.outside.owner_{scope}", name=target.display_name)
    await ctx.reply(ctx.t("points.outside.refused", name=target.display_name))
    return None


async def _ask_which(ctx: Context, verb: str, found: Ambiguous, amount: int, reason: str) -> None:
    caller = ctx.user_key
    key = action_key(ctx, verb)
    rows = tuple(
        (Button(ctx.t("points.pick.label", name=user.display_name, id=user.id), "pick",
                {"verb": verb, "user": user.id, "amount": amount, "reason": reason, "key": key},
                only_user=caller),)
        for user in found.users
    )
    question = ctx.t("points.pick.ask", n=len(found.users), name=found.typed)
    await ctx.reply(Outgoing((Text(question),), buttons=rows))


def _command_name(ctx: Context, verb: str) -> str:
    return f"{ctx.t('points.names.points')} {ctx.t(f'points.names.points.{verb}')}"


def action_key(ctx: Context, verb: str) -> str:
    """The idempotency key of a command's change: the platform's delivery or message id plus
    its time, so a redelivered command applies once and a restarted console never collides."""
    event = ctx.event
    message = getattr(event, "message", None)
    ident = event.delivery_id or (message.id if message is not None else "")
    millis = int(event.timestamp.timestamp() * 1000)
    user = event.user.id if event.user else ""
    group = ctx.group.key if ctx.group else None
    return f"points:{verb}:{event.platform}:{group}:{user}:{ident}:{millis}"
