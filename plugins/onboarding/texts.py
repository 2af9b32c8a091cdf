"""Texts built from the operator's config and the members' answers: templates, name cards,
field labels."""

from __future__ import annotations

import re
from string import Formatter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plugins.onboarding.config import FieldConfig, GroupSettings

__all__ = ["PLACEHOLDER", "fill_template", "label_of", "name_card", "public_card"]

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def label_of(spec: FieldConfig, locale: str) -> str:
    return spec.label.get(locale) or spec.key


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill_template(template: str, **values: Any) -> str:
    """An operator's template with {name}-style placeholders; unknown ones stay visible and a
    stray brace never raises at a member."""
    try:
        return Formatter().vformat(template, (), _Keep(values))
    except (ValueError, IndexError):
        return template


def name_card(template: str, answers: dict[str, str]) -> str:
    """``{name}-{company}-{role}-{city}`` from answers; an empty answer drops with the separator
    before it (张三-上海 rather than 张三--上海)."""
    pieces = PLACEHOLDER.split(template)
    # pieces: literal, key, literal, key, ..., literal
    out = pieces[0] if pieces[0] else ""
    shown = 0
    for index in range(1, len(pieces), 2):
        value = str(answers.get(pieces[index], "") or "").strip()
        if not value:
            continue
        separator = pieces[index - 1] if index > 1 else ""
        out += (separator if shown else "") + value
        shown += 1
    return (out + pieces[-1]).strip() if shown else ""


def public_card(cfg: GroupSettings, answers: dict[str, str]) -> str:
    """The group's name card from a member's answers. It is shown in the group, so only fields
    everyone may see fill it (config validation refuses a card naming any other; this holds
    whatever the config)."""
    public = {f.key: answers.get(f.key, "") for f in cfg.form if f.visibility == "public"}
    return name_card(cfg.name_card, public)
