"""What the ads plugin reads of a group on every message, kept in memory.

Every message in a group is judged, so its settings row, its allow list and the detector's
policy built from them (keyword patterns compiled) would otherwise cost three queries and a
compile per message. They are loaded at a group's first message; the plugin's own commands
forget a group when they change it, and the minute's sweep reloads the groups loaded more than
:data:`FRESH_SECONDS` ago, so a change by another process sharing the database (a second bot,
an admin's SQL) is seen within a minute or two. The reload is the job's: a message never
waits for it (it used to cost the message that found the rules stale two queries).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot import GroupRef, Scope
from plugins.ads import plugin
from plugins.ads.config import AdsConfig, AdsSettings
from plugins.ads.detector import Policy
from plugins.ads.models import AdAllow, AdGroup

__all__ = ["AdRules", "GroupRules"]

FRESH_SECONDS = 30.0
_OVERRIDES = ("mode", "min_total", "min_count", "grace_minutes")


@dataclass
class GroupRules:
    group: GroupRef
    settings: AdsSettings
    allowed: frozenset[tuple[str, str]]  # (kind, value): domain, username, member
    loaded_at: float
    _policies: dict[bool, Policy] = field(default_factory=dict)

    def allows_member(self, user_id: str) -> bool:
        return ("member", user_id) in self.allowed

    def policy(self, strict: bool = False) -> Policy:
        found = self._policies.get(strict)
        if found is None:
            found = self._policies[strict] = Policy.build(
                domains=[*self.settings.domains, *(v for k, v in self.allowed if k == "domain")],
                usernames=[*self.settings.usernames, *(v for k, v in self.allowed if k == "username")],
                keywords=self.settings.keywords,
                threshold=self.settings.threshold,
                strict=strict,
                meaning=self.settings.meaning,
            )
        return found


@plugin.service
class AdRules:
    """The rules of each group (``rules(group)``); ``forget(group)`` after changing them."""

    def __init__(self, scope: Scope) -> None:
        self._scope = scope
        self._groups: dict[tuple[str, str], GroupRules] = {}

    async def rules(self, group: GroupRef) -> GroupRules:
        key = (group.platform, group.key)
        found = self._groups.get(key)
        if found is None:
            found = self._groups[key] = await self._load(group, self._scope.clock.monotonic())
        return found

    def forget(self, group: GroupRef) -> None:
        self._groups.pop((group.platform, group.key), None)

    async def refresh(self) -> int:
        """Reload the groups loaded at least :data:`FRESH_SECONDS` ago; how many."""
        now = self._scope.clock.monotonic()
        stale = [(key, r.group) for key, r in self._groups.items() if now - r.loaded_at >= FRESH_SECONDS]
        for key, group in stale:
            self._groups[key] = await self._load(group, now)
        return len(stale)

    async def _load(self, group: GroupRef, now: float) -> GroupRules:
        config: AdsConfig = self._scope.config or AdsConfig()
        settings = config.for_group(group)
        row = await AdGroup.filter(platform=group.platform, guild_id=group.key).first()
        if row is not None:
            changed = {name: getattr(row, name) for name in _OVERRIDES if getattr(row, name) is not None}
            settings = settings.model_copy(update=changed)
        rows = AdAllow.filter(platform=group.platform, guild_id=group.key)
        return GroupRules(group, settings, frozenset(await rows.values_list("kind", "value")), now)
