"""qunbot's command registry → Discord application commands (pure: no network).

Rules:

* Each top-level word becomes one slash command; ``points give`` becomes the sub-command
  ``give`` of ``/points`` and ``a b c`` the sub-command ``c`` in the group ``b`` of ``/a``.
* Discord cannot invoke a command that has sub-commands, so when both ``/lang`` and
  ``/lang group`` exist, ``/lang`` itself is offered as the sub-command ``/lang me``
  (:func:`base_alias`); the adapter maps it back before the core sees the interaction.
* Argument kinds: USER → user option, INT → integer, CHOICE → string with choices, DURATION,
  STR and REST → string.
* Names stay the registry's (interactions arrive with them, so routing never depends on a
  language); their translations from the plugins' ``[names]`` (``CommandSpec.localized``) go
  into ``name_localizations`` of commands, sub-command groups and sub-commands, word by word.
* Descriptions in the bot's default language with zh-CN / en-US localizations, at most 100
  characters. Admin and moderator commands get ``default_member_permissions`` so Discord hides
  them from members (the core still checks at run time). Hidden commands are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.commands import Arg, ArgKind, CommandSpec
from bot.permissions import PermissionLevel

__all__ = ["DESCRIPTION_LIMIT", "LOCALES", "base_alias", "command_payloads"]

DESCRIPTION_LIMIT = 100
# qunbot locale → Discord locale.
LOCALES = {"zh": "zh-CN", "en": "en-US"}
_ALIAS_CANDIDATES = ("me", "show", "run")
_MAX_CHOICES = 25

_CHAT_INPUT = 1
_SUB_COMMAND = 1
_SUB_COMMAND_GROUP = 2
_STRING = 3
_INTEGER = 4
_USER = 6
_OPTION_TYPES = {
    ArgKind.USER: _USER,
    ArgKind.INT: _INTEGER,
    ArgKind.CHOICE: _STRING,
    ArgKind.DURATION: _STRING,
    ArgKind.DATE: _STRING,
    ArgKind.STR: _STRING,
    ArgKind.REST: _STRING,
}
# Permission bits a member needs to see the command (Discord requires all bits given).
_KICK_MEMBERS = 1 << 1
_ADMINISTRATOR = 1 << 3
_MANAGE_GUILD = 1 << 5
_LEVEL_PERMISSIONS = {
    PermissionLevel.MODERATOR: _KICK_MEMBERS,
    PermissionLevel.ADMIN: _MANAGE_GUILD,
    PermissionLevel.OWNER: _ADMINISTRATOR,
}
# Interaction contexts: 0 guild, 1 the bot's DM.
_GUILD, _BOT_DM = 0, 1


def _shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def base_alias(top: str, specs: Iterable[CommandSpec]) -> str | None:
    """The sub-command name standing for ``/top`` itself when ``/top`` also has sub-commands,
    else None. Deterministic, so the adapter finds the same name at sync and at use."""
    specs = list(specs)
    if not any(s.name == top for s in specs) or not any(len(s.words) > 1 for s in specs):
        return None
    taken = {s.words[1] for s in specs if len(s.words) > 1}
    return next(name for name in (*_ALIAS_CANDIDATES, f"{top}_") if name not in taken)


def _descriptions(
    spec: CommandSpec | None,
    texts: Mapping[str, Mapping[str, str]],
    default_locale: str,
    fallback: str,
) -> dict[str, Any]:
    """Discord requires 1–100 characters: the command's text in each locale, else
    ``fallback``."""
    name = spec.name if spec is not None else ""
    localized = {
        discord_locale: _shorten(texts[locale][name])
        for locale, discord_locale in LOCALES.items()
        if name and texts.get(locale, {}).get(name, "").strip()
    }
    default = localized.get(LOCALES.get(default_locale, "en-US")) or next(
        iter(localized.values()), _shorten(fallback)
    )
    payload: dict[str, Any] = {"description": default}
    if localized:
        payload["description_localizations"] = localized
    return payload


def _names(spec: CommandSpec, start: int, end: int | None = None) -> dict[str, Any]:
    """``name_localizations`` for the words ``start:end`` of ``spec``'s name (a group's word is
    the same in every command under it)."""
    canonical = "_".join(spec.words[start:end])
    localized = {
        discord_locale: word
        for locale, discord_locale in LOCALES.items()
        if (word := "_".join(spec.localized_words(locale)[start:end])) != canonical
    }
    return {"name_localizations": localized} if localized else {}


def _listing(specs: Sequence[CommandSpec], depth: int) -> str:
    """A group's description when it has no text of its own: its sub-commands."""
    return ", ".join(" ".join(s.words[depth:]) or s.words[-1] for s in specs)


def _option(arg: Arg) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": _OPTION_TYPES[arg.kind],
        "name": arg.name,
        "description": _shorten(arg.usage()),
        "required": arg.required,
    }
    if arg.kind is ArgKind.CHOICE:
        payload["choices"] = [{"name": c, "value": c} for c in arg.choices[:_MAX_CHOICES]]
    return payload


def _leaf(
    name: str,
    spec: CommandSpec,
    texts: Mapping[str, Mapping[str, str]],
    default_locale: str,
    kind: int,
    localized_from: int | None = None,
) -> dict[str, Any]:
    """``localized_from``: where the words this leaf stands for start (None: a stand-in name
    such as ``me``, not translated)."""
    return {
        "type": kind,
        "name": name,
        **(_names(spec, localized_from) if localized_from is not None else {}),
        **_descriptions(spec, texts, default_locale, spec.name),
        "options": [_option(a) for a in spec.args],
    }


def _group_payload(
    top: str,
    specs: Sequence[CommandSpec],
    texts: Mapping[str, Mapping[str, str]],
    default_locale: str,
) -> dict[str, Any]:
    base = next((s for s in specs if s.name == top), None)
    alias = base_alias(top, specs)
    if alias is None and base is not None:
        payload = _leaf(top, base, texts, default_locale, _CHAT_INPUT, localized_from=0)
    else:
        payload = {
            "type": _CHAT_INPUT,
            "name": top,
            **_names(specs[0], 0, 1),
            **_descriptions(base, texts, default_locale, _listing(specs, 1)),
            "options": _sub_options(top, specs, alias, texts, default_locale),
        }
    level = min(s.level for s in specs)
    if level in _LEVEL_PERMISSIONS:
        payload["default_member_permissions"] = str(_LEVEL_PERMISSIONS[level])
    in_dm = not all(s.guild_only for s in specs)
    payload["contexts"] = [_GUILD, _BOT_DM] if in_dm else [_GUILD]
    payload["integration_types"] = [0]
    return payload


def _sub_options(
    top: str,
    specs: Sequence[CommandSpec],
    alias: str | None,
    texts: Mapping[str, Mapping[str, str]],
    default_locale: str,
) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for spec in specs:
        words = spec.words
        if len(words) == 1:
            assert alias is not None
            options.append(_leaf(alias, spec, texts, default_locale, _SUB_COMMAND))
        elif len(words) == 2:
            options.append(_leaf(words[1], spec, texts, default_locale, _SUB_COMMAND, localized_from=1))
        else:
            group = groups.get(words[1])
            if group is None:
                members = [s for s in specs if s.words[:2] == words[:2]]
                group = {
                    "type": _SUB_COMMAND_GROUP,
                    "name": words[1],
                    **_names(spec, 1, 2),
                    **_descriptions(None, texts, default_locale, _listing(members, 2)),
                    "options": [],
                }
                groups[words[1]] = group
                options.append(group)
            leaf_name = "_".join(words[2:])
            group["options"].append(
                _leaf(leaf_name, spec, texts, default_locale, _SUB_COMMAND, localized_from=2)
            )
    return options


def command_payloads(
    commands: Iterable[CommandSpec],
    texts: Mapping[str, Mapping[str, str]],
    default_locale: str = "en",
) -> list[dict[str, Any]]:
    """The body of Discord's bulk overwrite (``PUT .../commands``) for these commands."""
    grouped: dict[str, list[CommandSpec]] = {}
    for spec in commands:
        if not spec.hidden:
            grouped.setdefault(spec.words[0], []).append(spec)
    return [
        _group_payload(top, specs, texts, default_locale) for top, specs in sorted(grouped.items())
    ]
