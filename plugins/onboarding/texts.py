"""Small helpers shared by the onboarding modules: settings per group, texts, name cards."""

from __future__ import annotations

import logging
import re
from string import Formatter
from typing import TYPE_CHECKING, Any

from bot import PlatformError
from bot.message import as_outgoing

if TYPE_CHECKING:
    from bot import App
    from plugins.onboarding.config import FieldConfig, GroupSettings, OnboardingConfig

__all__ = [
    "PLUGIN",
    "fill_template",
    "group_name",
    "label_of",
    "name_card",
    "send_private",
    "settings",
    "t",
]

PLUGIN = "onboarding"
log = logging.getLogger("plugins.onboarding")
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def settings(app: App, platform: str, guild_id: str) -> GroupSettings:
    config: OnboardingConfig = app.plugin_config(PLUGIN)
    return config.for_group(platform, guild_id)


def t(app: App, locale: str, key: str, /, **params: Any) -> str:
    return app.catalog.t(f"{PLUGIN}.{key}", locale, **params)


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
    pieces = _PLACEHOLDER.split(template)
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


async def group_name(app: App, platform: str, guild_id: str) -> str:
    guild = await app.roster.guild(platform, guild_id)
    return guild.name or guild_id


async def send_private(app: App, platform: str, user_id: str, content: Any) -> bool:
    """Write to a member in private; False when they cannot be reached there."""
    try:
        await app.deliver_private(platform, user_id, as_outgoing(content), PLUGIN)
        return True
    except PlatformError as exc:
        log.info("%s:%s not reachable in private: %s", platform, user_id, exc)
        return False
