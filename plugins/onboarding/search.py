"""/find's matching: every word must match one of the searchable fields the reader may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from plugins.onboarding.directory import visible_fields
from plugins.onboarding.texts import label_of

if TYPE_CHECKING:
    from plugins.onboarding.config import GroupSettings
    from plugins.onboarding.directory import Audience
    from plugins.onboarding.models import Profile

__all__ = ["ECHO_LIMIT", "Hit", "echo", "search", "terms_of"]

# A search is a few words; more only cost time. What is echoed back is capped likewise.
MAX_TERMS = 10
ECHO_LIMIT = 40


@dataclass(frozen=True)
class Hit:
    profile: Profile
    # "label: answer" of each field that matched
    matched: tuple[str, ...]
    score: int
    left: bool

    @property
    def key(self) -> tuple[str, tuple[str, ...], bool]:
        return self.profile.user_id, self.matched, self.left


def terms_of(words: str) -> list[str]:
    return list(dict.fromkeys(w.casefold() for w in words.split()))[:MAX_TERMS]


def echo(words: str) -> str:
    words = " ".join(words.split())
    return words if len(words) <= ECHO_LIMIT else words[: ECHO_LIMIT - 1] + "…"


def search(
    cfg: GroupSettings, profiles: list[Profile], terms: list[str], audience: Audience, locale: str,
    left: set[str],
) -> list[Hit]:
    """Profiles where every term is in one of the searchable fields ``audience`` may see, best
    first; those in ``left`` are marked (only admins are given them)."""
    fields = [f for f in visible_fields(cfg, audience) if f.searchable]
    hits = []
    for profile in profiles:
        texts = {f.key: str(profile.answers.get(f.key, "")) for f in fields}
        folded = {key: text.casefold() for key, text in texts.items()}
        if not terms or not all(any(t in v for v in folded.values()) for t in terms):
            continue
        matched = [f for f in fields if any(t in folded[f.key] for t in terms)]
        score = sum(folded[f.key].count(t) for f in matched for t in terms)
        lines = tuple(f"{label_of(f, locale)}: {texts[f.key]}" for f in matched)
        hits.append(Hit(profile, lines, score, profile.user_id in left))
    hits.sort(key=lambda h: (h.left, -h.score, h.profile.user_name))
    return hits
