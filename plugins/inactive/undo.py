"""``/inactive undo RUN``: a run's members may come back. Telegram's ban is lifted (with
``only_if_banned``: a member who is back already stays), each row is marked undone (the record
stays) and audited, and each member is told privately where the bot can reach them, with an
invite link for one person where the bot can make one (it needs the right to invite)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot import Capability, GroupRef, MemberRef, PlatformError, Scope
from plugins.inactive.models import Candidate, Sweep
from plugins.inactive.views import local

__all__ = ["INVITE_DAYS", "Undone", "undo"]

# How long an invite link in the undo message lets its member in (Discord's longest).
INVITE_DAYS = 7


@dataclass(slots=True)
class Undone:
    back: list[Candidate] = field(default_factory=list)
    failed: list[tuple[Candidate, str]] = field(default_factory=list)
    # Members told privately, and how many of them got an invite link.
    told: int = 0
    invited: int = 0
    # Why no invite link could be made (a locale key), if it was tried and refused.
    no_invite: str | None = None


async def undo(scope: Scope, group: GroupRef, sweep: Sweep, *, by: str) -> Undone:
    result = Undone()
    adapter = scope.adapter(group.platform)
    rows = await Candidate.filter(sweep_id=sweep.id, state="removed").order_by("id")
    for c in rows:
        if adapter is not None and adapter.supports(Capability.UNBAN):
            try:
                await adapter.unban(group.id, c.user_id)
            except PlatformError as exc:
                result.failed.append((c, exc.reason))
                continue
        if await Candidate.filter(id=c.id, state="removed").update(state="undone", acted_at=scope.now):
            await scope.audit("inactive.undo", c.user_id, group=group, actor=by, run=sweep.id)
            result.back.append(c)
    if not result.failed:
        await Sweep.filter(id=sweep.id, status__in=("done", "halted")).update(
            status="undone", undone_at=scope.now, undone_by=by
        )
    await _tell(scope, group, result)
    return result


async def _tell(scope: Scope, group: GroupRef, result: Undone) -> None:
    """A private message to each member let back, with their own invite link while the
    platform makes them (after one refusal, the rest are told without)."""
    info = await scope.roster.group(group)
    adapter = scope.adapter(group.platform)
    inviting = adapter is not None and adapter.supports(Capability.INVITE)
    expires = timedelta(days=INVITE_DAYS)
    for c in result.back:
        member = MemberRef(group.platform, c.user_id)
        locale = await scope.roster.locale_of(group.platform, c.user_id) or await scope.group_locale(group)
        name = info.ref.name or group.id
        text = scope.translate(locale, "inactive.undo.dm", group=name)
        link = None
        if inviting:
            assert adapter is not None
            try:
                link = await adapter.create_invite(group.id, expires=expires)
            except PlatformError as exc:
                inviting, result.no_invite = False, exc.reason
        if link:
            until = local(scope.now + expires, info.timezone)
            text = scope.translate(locale, "inactive.undo.dm_link", group=name, link=link, until=until)
        try:
            await scope.send_private(member, text)
        except PlatformError:
            continue  # they may not have started a private chat with the bot
        result.told += 1
        result.invited += link is not None
