"""What the ads plugin reads of a group on every message, kept in memory.

Every message in a group is judged, so its settings row, its allow list and the detector's
policy built from them (keyword patterns compiled) would otherwise cost three queries and a
compile per message. They are loaded once per group; the plugin's own commands forget a group
when they change it, and another bot process sharing the database is seen within
:data:`FRESH_SECONDS`.
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
        now = self._scope.clock.monotonic()
        found = self._groups.get(key)
        if found is None or now - found.loaded_at >= FRESH_SECONDS:
            found = self._groups[key] = await self._load(group, now)
        return found

    def forget(self, group: GroupRef) -> None:
        self._groups.pop((group.platform, group.key), None)

    async def _load(self, group: GroupRef, now: float) -> GroupRules:
        config: AdsConfig = self._scope.config or AdsConfig()
        settings = config.for_group(group)
        row = await AdGroup.filter(platform=group.platform, guild_id=group.key).first()
        if row is not None:
            changed = {name: getattr(row, name) for name in _OVERRIDES if getattr(row, name) is not None}
            settings = settings.model_copy(update=changed)
        rows = AdAllow.filter(platform=group.platform, guild_id=group.key)
        return GroupRules(settings, frozenset(await rows.values_list("kind", "value")), now)
