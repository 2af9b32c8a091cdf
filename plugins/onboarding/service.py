"""The ``Onboarding`` service: what other plugins may ask of onboarding without reading its
tables (declare ``optional=["onboarding"]`` or ``requires=["onboarding"]``)::

    from plugins.onboarding import Onboarding
    done = await scope.service(Onboarding).completed(member)
"""

from __future__ import annotations

from bot import MemberRef, Scope
from plugins.onboarding.models import Profile

__all__ = ["Onboarding"]


class Onboarding:
    def __init__(self, scope: Scope) -> None:
        self._scope = scope

    async def completed(self, member: MemberRef) -> bool:
        """Whether ``member`` completed the onboarding form of their group (by answering it,
        or let through on their answers in another group): they have a profile there."""
        if member.group is None:
            return False
        return await Profile.filter(
            platform=member.platform, guild_id=member.group.key, user_id=member.user_id
        ).exists()
