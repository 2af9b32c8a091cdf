"""The member directory: who may see which field, profile cards, edits, forgetting a member,
and the retention of profiles of members who left.

Each field has a visibility per group: ``public`` (every member), ``admins`` (admins only) or
``hidden`` (only the member themselves). What is posted in a group is what everyone there may
see, whoever asked: the public fields and the name card (built from public fields only). Admins
get the admins' fields in private. A member who left keeps a profile until the retention period
ends, seen only by admins and marked as left.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from bot import chunked
from plugins.onboarding.forms import Invalid, validate_answer
from plugins.onboarding.models import FormSession, Profile
from plugins.onboarding.reach import group_name, group_of
from plugins.onboarding.texts import label_of, public_card

if TYPE_CHECKING:
    from bot import GroupRef, Scope
    from plugins.onboarding.config import FieldConfig, GroupSettings

__all__ = [
    "Audience",
    "card_lines",
    "delete_user_data",
    "departed",
    "edit_values",
    "forget_departed",
    "save_edit",
    "visible_fields",
]

# Who reads: ``group`` (a message in the group: everyone there), ``admins`` (an admin, in
# private), ``owner`` (the member themselves, in private).
Audience = Literal["group", "admins", "owner"]
_SEEN_BY: dict[str, tuple[str, ...]] = {
    "group": ("public",), "admins": ("public", "admins"), "owner": ("public", "admins", "hidden"),
}


def visible_fields(cfg: GroupSettings, audience: Audience) -> list[FieldConfig]:
    return [f for f in cfg.form if f.visibility in _SEEN_BY[audience]]


def card_lines(cfg: GroupSettings, profile: Profile, audience: Audience, locale: str) -> list[str]:
    """The name card (public fields only, whoever reads) and the answers ``audience`` may see."""
    lines = []
    card = public_card(cfg, profile.answers)
    if card:
        lines.append(f"🪪 {card}")
    for spec in visible_fields(cfg, audience):
        value = profile.answers.get(spec.key)
        if value:
            lines.append(f"{label_of(spec, locale)}: {value}")
    return lines


async def departed(scope: Scope, group: GroupRef, user_ids: list[str]) -> dict[str, datetime | None]:
    """Those of ``user_ids`` the roster knows to have left the group (not those it never saw),
    with when they left."""
    present = await scope.roster.current(group, user_ids)
    gone: dict[str, datetime | None] = {}
    for user_id in user_ids:
        if user_id not in present:
            entry = await scope.roster.member(group, user_id)
            if entry is not None:
                gone[user_id] = entry.left_at
    return gone


# -- edits ---------------------------------------------------------------------------------------
async def edit_values(
    scope: Scope, platform: str, user_id: str, home: GroupRef, key: str, text: str
) -> tuple[str, dict[int, str]]:
    """One answer as ``home``'s form reads it, and as each of the member's profiles that has
    the field would store it (by profile id). An edit reaches every such profile, so it must
    pass every form it changes: the form of ``home`` (where the edit is made, the one whose
    question or choices the member sees) reads the answer, and each other form must accept
    what it read, with no number taken for one of its own choices. Raises :class:`Invalid`,
    with ``where`` naming another group whose form refuses it."""
    home_spec = scope.config.for_group(home).field(key)
    value = validate_answer(home_spec, text) if home_spec is not None else text
    values: dict[int, str] = {}
    # Sorted here: ordered by the database, the lookup read every profile of the platform.
    profiles = sorted(await Profile.filter(platform=platform, user_id=user_id), key=lambda p: p.guild_id)
    for profile in profiles:
        group = home if profile.guild_id == home.key else await group_of(scope, platform, profile.guild_id)
        spec = scope.config.for_group(group).field(key)
        if spec is None:
            continue
        try:
            values[profile.id] = validate_answer(spec, value, numbers=False)
        except Invalid as refused:
            refused.where = group_name(group)
            raise
    return value, values


async def save_edit(scope: Scope, key: str, values: dict[int, str]) -> None:
    """Store what :func:`edit_values` checked, in one transaction."""
    async with scope.transaction():
        for profile in await Profile.filter(id__in=list(values)):
            await Profile.filter(id=profile.id).update(
                answers={**profile.answers, key: values[profile.id]}, updated_at=scope.now
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
                for part in chunked(gone):
                    await Profile.filter(platform=platform, guild_id=key, user_id__in=part).delete()
                    await FormSession.filter(platform=platform, guild_id=key, user_id__in=part).delete()
