"""Command menus for ``setMyCommands``: one entry per top-level command, per language.

Telegram menu entries must match ``[a-z0-9_]{1,32}`` with a 1-256 character description, so
``/points give`` is not an entry of its own: ``points`` is listed once and its sub-commands are
explained by ``/help``. Members see the commands they may run; group admins also see the
admin commands (Telegram's ``all_chat_administrators`` scope).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.commands import CommandSpec
from bot.permissions import PermissionLevel

__all__ = ["MAX_DESCRIPTION", "MENU_LOCALES", "Menu", "build_menus"]

MENU_LOCALES = ("zh", "en")
MAX_DESCRIPTION = 256
_VALID = re.compile(r"[a-z0-9_]{1,32}")


@dataclass(frozen=True, slots=True)
class Menu:
    """One ``setMyCommands`` call: ``scope`` is ``default`` or ``all_chat_administrators``;
    ``language`` "" is the fallback for every other language."""

    scope: str
    language: str
    commands: tuple[tuple[str, str], ...]


def build_menus(
    commands: Sequence[CommandSpec],
    texts: Mapping[str, Mapping[str, str]],
    default_locale: str = "zh",
) -> list[Menu]:
    menus = []
    for language in (*MENU_LOCALES, ""):
        locale_texts = texts.get(language or default_locale, {})
        for scope, admin in (("default", False), ("all_chat_administrators", True)):
            entries = _entries(commands, locale_texts, admin)
            menus.append(Menu(scope, language, entries))
    return menus


def _entries(
    commands: Sequence[CommandSpec], texts: Mapping[str, str], admin: bool
) -> tuple[tuple[str, str], ...]:
    """(name, description) per top-level name, in name order. The description is the
    top-level command's own, else its first sub-command's."""
    chosen: dict[str, str] = {}
    for spec in sorted(commands, key=lambda s: (s.words[0], len(s.words), s.name)):
        if spec.hidden or (not admin and spec.level > PermissionLevel.MEMBER):
            continue
        name = spec.words[0]
        if name in chosen or not _VALID.fullmatch(name):
            continue
        description = (texts.get(spec.name) or name).strip()
        chosen[name] = description[:MAX_DESCRIPTION] or name
    return tuple(sorted(chosen.items()))
