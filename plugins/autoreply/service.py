"""The rules of each group, cached, and the cooldowns (:class:`Keywords`, this plugin's own).

Rules are read once per group and kept until a command changes them; cooldowns live in memory
(a restart forgets them, which costs at most one extra answer per keyword)."""

from __future__ import annotations

from bot import GroupRef, Scope
from plugins.autoreply.config import AutoreplyConfig
from plugins.autoreply.matching import Rule, normalise
from plugins.autoreply.models import AutoReply

__all__ = ["Keywords"]

CACHE_GROUPS = 5_000


class Keywords:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._rules: dict[tuple[str, str], list[Rule]] = {}
        self._last: dict[tuple[str, str, int], float] = {}

    @property
    def config(self) -> AutoreplyConfig:
        return self.scope.config or AutoreplyConfig()

    def forget(self, group: GroupRef) -> None:
        self._rules.pop((group.platform, group.key), None)

    async def rules(self, group: GroupRef) -> list[Rule]:
        key = (group.platform, group.key)
        found = self._rules.get(key)
        if found is None:
            rows = await AutoReply.filter(platform=group.platform, guild_id=group.key).order_by("id")
            found = []
            for row in rows:
                try:
                    found.append(Rule(row.id, row.kind, row.keyword, row.reply))
                except ValueError:
                    continue  # a pattern RE2 no longer takes: skipped, still listed
            if len(self._rules) >= CACHE_GROUPS:
                self._rules.clear()
            self._rules[key] = found
        return found

    async def answer(self, group: GroupRef, text: str) -> str | None:
        """The reply for a message, or None (no keyword, or its cooldown is running)."""
        rules = await self.rules(group)
        if not rules:
            return None
        normal = normalise(text)
        now = self.scope.clock.monotonic()
        for rule in rules:
            if not rule.matches(normal):
                continue
            key = (group.platform, group.key, rule.id)
            last = self._last.get(key)
            if last is not None and now - last < self.config.cooldown_seconds:
                return None
            self._last[key] = now
            if len(self._last) > 50_000:
                self._last.clear()
            return rule.reply
        return None
