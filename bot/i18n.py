"""Locale catalogs (zh, en): one TOML file per locale per plugin, keys namespaced by plugin.

``catalog.t("checkin.done", "en", n=3)`` looks the key up in the requested locale, then in the
other one (a missing translation shows the other language rather than a raw key), then gives
the key itself so a typo is visible instead of a crash.

Plurals: a key may be a table of plural forms, chosen by the ``n`` parameter::

    # en.toml                                   # zh.toml (no plural: one text)
    [streak]                                    streak = "连续 {n} 天"
    one = "{n} day in a row"
    other = "{n} days in a row"

``t("x.streak", "en", n=1)`` gives "1 day in a row", ``n=3`` "3 days in a row". English uses
``one`` for exactly 1 and ``other`` otherwise; Chinese always ``other``. An explicit ``zero``
form, when present, is used for 0 in any language. For :meth:`Catalog.keys` a plural table
counts as one key (``x.streak``), so zh and en stay comparable whether or not a language has
forms.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from pathlib import Path
from string import Formatter
from typing import Any

__all__ = ["LOCALES", "PLURAL_FORMS", "Catalog", "normalize_locale", "plural_form"]

LOCALES = ("zh", "en")
PLURAL_FORMS = ("zero", "one", "other")
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


def plural_form(locale: str, n: Any) -> str:
    """The CLDR plural category of ``n`` in ``locale`` (zh has only "other")."""
    if locale == "en" and _is_one(n):
        return "one"
    return "other"


def _is_one(n: Any) -> bool:
    try:
        return float(n) == 1 and not isinstance(n, bool)
    except (TypeError, ValueError):
        return False


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
        texts = self._texts.get(locale, {})
        return key in texts or f"{key}.other" in texts

    def keys(self, locale: str) -> set[str]:
        """Every key; a table of plural forms is one key (its forms are not listed)."""
        texts = self._texts.get(locale, {})
        out = set()
        for key in texts:
            base, _, form = key.rpartition(".")
            out.add(base if form in PLURAL_FORMS and f"{base}.other" in texts else key)
        return out

    def _lookup(self, key: str, locale: str, params: Mapping[str, Any]) -> str | None:
        texts = self._texts.get(locale, {})
        text = texts.get(key)
        if text is None and f"{key}.other" in texts:
            n = params.get("n")
            if n == 0 and f"{key}.zero" in texts:
                return texts[f"{key}.zero"]
            form = plural_form(locale, n)
            text = texts.get(f"{key}.{form}") or texts.get(f"{key}.other")
        return text

    def t(self, key: str, locale: str, /, **params: Any) -> str:
        text = self._lookup(key, locale, params)
        if text is None:
            for other in LOCALES:
                text = self._lookup(key, other, params)
                if text is not None:
                    break
        if text is None:
            log.warning("missing locale key %s", key)
            return key
        # format_map with a forgiving dict: a wrong placeholder shows, it never raises at a member.
        return Formatter().vformat(text, (), _SafeDict(params))
