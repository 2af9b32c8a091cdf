"""Every user-facing string exists in zh and in en, in the core, the adapters, every plugin and
the plugin guide's example."""

import tomllib
from pathlib import Path

import pytest

import bot
from bot.i18n import PLURAL_FORMS
from bot.plugin import discover_plugins

ROOT = Path(bot.__file__).parent
EXAMPLE = ROOT.parent / "docs" / "examples" / "greeter" / "locales"  # the plugin guide's example
CATALOGS = [ROOT / "locales", ROOT / "adapters" / "telegram" / "locales"] + [EXAMPLE] * EXAMPLE.exists() + [
    plugin.locales for plugin in discover_plugins().values() if plugin.locales and plugin.locales.exists()
]


def keys(table, prefix=""):
    out = set()
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        plural = isinstance(value, dict) and "other" in value and set(value) <= set(PLURAL_FORMS)
        out |= keys(value, full) if isinstance(value, dict) and not plural else {full}
    return out


def load(folder: Path, locale: str) -> set[str]:
    table = tomllib.loads((folder / f"{locale}.toml").read_text(encoding="utf-8"))
    # Command names, choice words and placeholder names: the Chinese ones in zh.toml, optional
    # in en.toml (the declared English identifiers are the default).
    for optional in ("names", "choices", "placeholders"):
        table.pop(optional, None)
    return keys(table)


@pytest.mark.parametrize("folder", CATALOGS, ids=lambda p: str(p.relative_to(ROOT.parent)))
def test_zh_and_en_have_the_same_strings(folder):
    zh, en = load(folder, "zh"), load(folder, "en")
    assert zh - en == set(), "missing in en.toml"
    assert en - zh == set(), "missing in zh.toml"


def test_the_built_in_plugins_are_covered():
    names = {p.parent.name for p in CATALOGS}
    assert {"points", "checkin", "onboarding"} <= names
