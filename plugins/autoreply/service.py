"""The rules and notes of each group and the global ones, cached, and the cooldowns
(:class:`Keywords`, this plugin's own).

Rules and notes are read once per group (and once for all groups: the global ones) and kept
until a command changes them; cooldowns live in memory (a restart forgets them, which costs at
most one extra answer per keyword). The last messages seen in the groups are remembered too (in
memory), so that an admin may reply to one with ``/autoreply add KEYWORD`` or ``/notes save
NAME``: the answer is then a copy of that message, photo and all."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from bot import Button, Context, GroupRef, Outgoing, Scope, Text
from bot.message import CopyOf
from plugins.autoreply.config import AutoreplyConfig
from plugins.autoreply.matching import Rule, normalise
from plugins.autoreply.models import GLOBAL, AutoReply, Note

__all__ = ["GLOBAL_KEY", "Keywords", "Seen", "answer_to_reply", "as_answer", "key_of"]

CACHE_GROUPS = 5_000
# Messages remembered for an answer by reply, all groups together.
REMEMBER = 2_000
# (text with a note of its media, source) of a message the bot saw.
Seen = tuple[str, dict[str, Any]]
# (platform, guild_id) of the rows that hold for every group.
GLOBAL_KEY = (GLOBAL, GLOBAL)


def key_of(group: GroupRef | None) -> tuple[str, str]:
    """Where a group's rows are: its own (platform, key), or every group's (None)."""
    return GLOBAL_KEY if group is None else (group.platform, group.key)


class Keywords:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._rules: dict[tuple[str, str], list[Rule]] = {}
        self._notes: dict[tuple[str, str], dict[str, Note]] = {}
        self._last: dict[tuple[str, str, str], float] = {}
        self.recent: OrderedDict[tuple[str, str, str], Seen] = OrderedDict()

    def remember(self, key: tuple[str, str, str], seen: Seen) -> None:
        self.recent[key] = seen
        while len(self.recent) > REMEMBER:
            self.recent.popitem(last=False)

    def replied(self, ctx: Context) -> tuple[bool, Seen | None]:
        """Whether a command replies to a message, and that message as the bot saw it (None
        when it did not see it)."""
        replied = getattr(getattr(ctx.event, "message", None), "reply_to", None)
        if not replied:
            return False, None
        channel = ctx.event.channel.id if ctx.event.channel else (ctx.group.id if ctx.group else "")
        return True, self.recent.get((ctx.platform, channel, replied))

    @property
    def config(self) -> AutoreplyConfig:
        return self.scope.config or AutoreplyConfig()

    def forget(self, group: GroupRef | None) -> None:
        """A command changed the rules or notes of ``group`` (None: the global ones)."""
        self._rules.pop(key_of(group), None)
        self._notes.pop(key_of(group), None)

    # -- keyword replies -----------------------------------------------------------------------
    async def _rules_at(self, key: tuple[str, str]) -> list[Rule]:
        found = self._rules.get(key)
        if found is None:
            rows = await AutoReply.filter(platform=key[0], guild_id=key[1]).order_by("id")
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

    async def rules(self, group: GroupRef) -> list[Rule]:
        """The group's own rules, then the global ones: a group rule on the same keyword
        answers in its place."""
        return [*await self._rules_at(key_of(group)), *await self._rules_at(GLOBAL_KEY)]

    def _cooling(self, group: GroupRef, what: str, seconds: float) -> bool:
        """True while ``what`` answered in the group less than ``seconds`` ago; else the
        answer is counted now."""
        key = (group.platform, group.key, what)
        now = self.scope.clock.monotonic()
        last = self._last.get(key)
        if last is not None and now - last < seconds:
            return True
        self._last[key] = now
        if len(self._last) > 50_000:
            self._last.clear()
        return False

    async def answer(self, group: GroupRef, text: str) -> Outgoing | None:
        """The reply for a message, or None (no keyword, or its cooldown is running)."""
        rules = await self.rules(group)
        if not rules:
            return None
        normal = normalise(text)
        for rule in rules:
            if rule.matches(normal):
                if self._cooling(group, f"rule:{rule.id}", self.config.cooldown_seconds):
                    return None
                return as_answer(rule.reply, rule.source)
        return None

    # -- notes ---------------------------------------------------------------------------------
    async def _notes_at(self, key: tuple[str, str]) -> dict[str, Note]:
        found = self._notes.get(key)
        if found is None:
            rows = await Note.filter(platform=key[0], guild_id=key[1]).order_by("name")
            found = {row.name: row for row in rows}
            if len(self._notes) >= CACHE_GROUPS:
                self._notes.clear()
            self._notes[key] = found
        return found

    async def notes(self, group: GroupRef | None) -> list[Note]:
        """The notes members may call in ``group``: its own, then the global ones it does
        not override (None: the global ones only)."""
        own = await self._notes_at(key_of(group)) if group is not None else {}
        common = await self._notes_at(GLOBAL_KEY)
        return [*own.values(), *(n for name, n in common.items() if name not in own)]

    async def note(self, group: GroupRef | None, name: str) -> Note | None:
        wanted = normalise(name)
        if group is not None:
            own = (await self._notes_at(key_of(group))).get(wanted)
            if own is not None:
                return own
        return (await self._notes_at(GLOBAL_KEY)).get(wanted)

    async def call_note(self, group: GroupRef, name: str) -> Outgoing | None:
        """``#name`` in a group: the note, unless it answered there within its cooldown."""
        found = await self.note(group, name)
        if found is None or self._cooling(group, f"note:{found.name}", self.config.note_cooldown_seconds):
            return None
        return as_answer(found.text, found.source)


def as_answer(text: str, source: dict[str, Any] | None) -> Outgoing:
    """The saved text, or the platform's copy of the saved message with its URL buttons (the
    text where it cannot be copied)."""
    if not source:
        return Outgoing((Text(text),))
    copy = CopyOf(source["platform"], source["channel"], source["message"], (Text(text),))
    rows = [[Button(b["label"][:64], "", url=b["url"])] for b in source.get("buttons", [])[:5]]
    return Outgoing((copy,)).with_buttons(*rows)


def answer_to_reply(ctx: Context, answer: Outgoing) -> Outgoing:
    """Called in reply to someone's message, a note answers that message (a member points a
    newcomer to #rules); else the caller's."""
    replied = getattr(getattr(ctx.event, "message", None), "reply_to", None)
    return answer.replace(reply_to=replied) if replied else answer
