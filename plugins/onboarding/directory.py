"""The member directory: who may see which field, profile cards, edits, forgetting a member,
and the retention of profiles of members who left.

Each field has a visibility per group: ``public`` (every member), ``admins`` (admins only) or
``hidden`` (only the member themselves). /find searches the searchable fields the asker may see.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot import PermissionLevel
from plugins.onboarding.models import FormSession, Profile
from plugins.onboarding.reach import group_of
from plugins.onboarding.texts import label_of, name_card

if TYPE_CHECKING:
    from bot import Context, Scope
    from plugins.onboarding.config import FieldConfig, GroupSettings

__all__ = ["card_lines", "delete_user_data", "forget_departed", "save_everywhere", "visible_fields"]


def visible_fields(cfg: GroupSettings, level: PermissionLevel, is_self: bool) -> list[FieldConfig]:
    if is_self:
        return list(cfg.form)
    allowed = {"public", "admins"} if level >= PermissionLevel.ADMIN else {"public"}
    return [f for f in cfg.form if f.visibility in allowed]


def card_lines(cfg: GroupSettings, profile: Profile, fields: list[FieldConfig], locale: str) -> list[str]:
    lines = []
    card = name_card(cfg.name_card, {f.key: profile.answers.get(f.key, "") for f in fields})
    if card:
        lines.append(f"🪪 {card}")
    for spec in fields:
        value = profile.answers.get(spec.key)
        if value:
            lines.append(f"{label_of(spec, locale)}: {value}")
    return lines


async def save_everywhere(ctx: Context, key: str, value: str) -> None:
    """One person, one set of facts: an edit reaches the profile of every group that asks it."""
    assert ctx.member is not None
    async with ctx.transaction():
        for profile in await Profile.filter(platform=ctx.platform, user_id=ctx.member.user_id).all():
            group = await group_of(ctx, ctx.platform, profile.guild_id)
            if ctx.config.for_group(group).field(key) is not None:
                await Profile.filter(id=profile.id).update(
                    answers={**profile.answers, key: value}, updated_at=ctx.now
                )


async def delete_user_data(scope: Scope, platform: str, user_id: str) -> list[FormSession]:
    """Profiles and answers go. A member still behind a gate keeps a bare form row (no name, no
    answers, the same deadline): forgetting must neither let them skip the gate nor leave them
    muted with no way out; they start the form again from the top, or the timeout applies.
    Returns the forms that stay."""
    async with scope.transaction():
        await Profile.filter(platform=platform, user_id=user_id).delete()
        gated = await FormSession.filter(
            platform=platform, user_id=user_id, purpose="join", status="pending",
            gate__in=("restrict", "join_request"),
        ).all()
        await FormSession.filter(platform=platform, user_id=user_id).exclude(
            id__in=[s.id for s in gated]
        ).delete()
        for session in gated:
            # Answers known from other groups were left out of the questions: ask them too now.
            keys = list(session.keys) + [k for k in session.answers if k not in session.keys]
            # A join request still here (the platform was offline, so it was not declined at
            # once) is made due: the next sweep declines it.
            deadline = session.created_at if session.gate == "join_request" else session.deadline
            await FormSession.filter(id=session.id).update(
                user_name="", answers={}, keys=keys, step=0, started_at=None, reminded_at=None,
                deadline=deadline,
            )
    return [s for s in gated if s.gate == "restrict"]


async def forget_departed(scope: Scope) -> None:
    """Profiles (and forms) of members who left are deleted after the group's retention period."""
    now = scope.now
    groups = set(await Profile.all().distinct().values_list("platform", "guild_id"))
    for platform, key in sorted(groups):
        group = await group_of(scope, platform, key)
        cutoff = now - timedelta(days=scope.config.for_group(group).retention_days)
        gone = [
            e.user_id for e in await scope.roster.members(group, include_left=True)
            if not e.is_member and e.left_at is not None and e.left_at <= cutoff
        ]
        if gone:
            async with scope.transaction():
                await Profile.filter(platform=platform, guild_id=key, user_id__in=gone).delete()
                await FormSession.filter(platform=platform, guild_id=key, user_id__in=gone).delete()
