"""The design's firm rules, read from the source: platforms stop at the adapter, the core never
imports plugins, and a plugin reaches the bot only through its public handle."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_LIBRARIES = ("telegram", "discord")
# What a plugin may not reach into (docs/plugin-guide.md, "The scope").
CORE_INTERNALS = (
    "bot.app", "bot.runtime", "bot.dispatch", "bot.scheduler", "bot.storage.models",
    "bot.adapters.telegram", "bot.adapters.discord",
)


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def offenders(folder: str, forbidden: tuple[str, ...], allowed_under: tuple[str, ...] = ()) -> list[str]:
    bad = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        if set(allowed_under) & set(path.relative_to(ROOT).parts):
            continue
        for name in imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return bad


def test_only_the_adapters_import_a_platform_library():
    # The test kit drives the real clients against the fake servers, as the adapters do.
    assert offenders("bot", PLATFORM_LIBRARIES, allowed_under=("adapters", "testing")) == []
    assert offenders("plugins", PLATFORM_LIBRARIES) == []


def test_the_core_never_imports_a_plugin():
    assert offenders("bot", ("plugins",)) == []


def test_plugins_use_the_public_handle_not_the_cores_internals():
    assert offenders("plugins", CORE_INTERNALS) == []
