"""Locale catalogs (zh, en): one TOML file per locale per plugin, keys namespaced by plugin.

``catalog.t("checkin.done", "en", n=3)`` looks the key up in the requested locale, then in the
other one (a missing translation shows the other language rather than a raw key), then gives
the key itself so a typo is visible instead of a crash.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from pathlib import Path
from string import Formatter
from typing import Any

__all__ = ["LOCALES", "Catalog", "normalize_locale"]

LOCALES = ("zh", "en")
log = logging.getLogger(__name__)


def normalize_locale(value: str | None) -> str | None:
    """Map platform language codes (zh-CN, zh_TW, en-US, ...) to a supported locale."""
    if not value:
        return None
    value = value.lower()
    if value.startswith("zh"):
        return "zh"
    if value.startswith("en"):
        return "en"
    return None


def _flatten(prefix: str, table: Mapping[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Catalog:
    def __init__(self) -> None:
        self._texts: dict[str, dict[str, str]] = {loc: {} for loc in LOCALES}

    def load_dir(self, namespace: str, directory: Path) -> None:
        """Load ``directory/{zh,en}.toml`` under ``namespace``."""
        for locale in LOCALES:
            file = directory / f"{locale}.toml"
            if file.exists():
                self.add(namespace, locale, tomllib.loads(file.read_text(encoding="utf-8")))

    def add(self, namespace: str, locale: str, table: Mapping[str, Any]) -> None:
        flat: dict[str, str] = {}
        _flatten(namespace, table, flat)
        self._texts.setdefault(locale, {}).update(flat)

    def has(self, key: str, locale: str) -> bool:
        return key in self._texts.get(locale, {})

    def keys(self, locale: str) -> set[str]:
        return set(self._texts.get(locale, {}))

    def t(self, key: str, locale: str, /, **params: Any) -> str:
        text = self._texts.get(locale, {}).get(key)
        if text is None:
            for other in LOCALES:
                text = self._texts[other].get(key)
                if text is not None:
                    break
        if text is None:
            log.warning("missing locale key %s", key)
            return key
        # format_map with a forgiving dict: a wrong placeholder shows, it never raises at a member.
        return Formatter().vformat(text, (), _SafeDict(params))
