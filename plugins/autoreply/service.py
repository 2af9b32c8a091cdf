"""The rules of each group, cached, and the cooldowns (:class:`Keywords`, this plugin's own).

Rules are read once per group and kept until a command changes them; cooldowns live in memory
(a restart forgets them, which costs at most one extra answer per keyword). The last messages
seen in the groups are remembered too (in memory), so that an admin may reply to one with
``/autoreply add KEYWORD``: the answer is then a copy of that message, photo and all."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from bot import Button, GroupRef, Outgoing, Scope, Text
from bot.message import CopyOf
from plugins.autoreply.config import AutoreplyConfig
from plugins.autoreply.matching import Rule, normalise
from plugins.autoreply.models import AutoReply

__all__ = ["Keywords", "Seen"]

CACHE_GROUPS = 5_000
# Messages remembered for an answer by reply, all groups together.
REMEMBER = 2_000
# (text with a note of its media, source) of a message the bot saw.
Seen = tuple[str, dict[str, Any]]


class Keywords:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._rules: dict[tuple[str, str], list[Rule]] = {}
        self._last: dict[tuple[str, str, int], float] = {}
        self.recent: OrderedDict[tuple[str, str, str], Seen] = OrderedDict()

    def remember(self, key: tuple[str, str, str], seen: Seen) -> None:
        self.recent[key] = seen
        while len(self.recent) > REMEMBER:
            self.recent.popitem(last=False)

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
                    found.append(Rule(row.id, row.kind, row.keyword, row.reply, row.source))
                except ValueError:
                    continue  # a pattern RE2 no longer takes: skipped, still listed
            if len(self._rules) >= CACHE_GROUPS:
                self._rules.clear()
            self._rules[key] = found
        return found

    async def answer(self, group: GroupRef, text: str) -> Outgoing | None:
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
            return as_answer(rule)
        return None


def as_answer(rule: Rule) -> Outgoing:
    """The saved text, or the platform's copy of the saved message with its URL buttons (the
    text where it cannot be copied)."""
    source = rule.source
    if not source:
        return Outgoing((Text(rule.reply),))
    copy = CopyOf(source["platform"], source["channel"], source["message"], (Text(rule.reply),))
    rows = [[Button(b["label"][:64], "", url=b["url"])] for b in source.get("buttons", [])[:5]]
    return Outgoing((copy,)).with_buttons(*rows)
