"""The deployment files and the self-hoster's docs point at things that exist: what the
Dockerfile copies, what compose.yaml mounts and builds, the files the docs link, the commands
they name (issue 17, items 18 and 20). No image is built here."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest

from bot.app import App
from bot.config import ENV_CONFIG, ENV_SECRETS, ENV_SETTINGS, Config

ROOT = Path(__file__).resolve().parents[2]
DOCS = ["README.md", "docs/deployment.md", "docs/telegram.md", "docs/discord.md"]
# Commands of other programs the platform docs name: BotFather's, and a placeholder.
NOT_OURS = {"newbot", "revoke", "setprivacy", "setjoingroups", "setdescription", "setuserpic",
            "setcommands", "cmd"}


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [tuple(line.split(None, 1)) for line in lines]  # type: ignore[misc]


def test_the_dockerfile_copies_files_that_exist_and_runs_the_installed_command():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    copied = [args.split()[:-1] for op, args in dockerfile() if op == "COPY"]
    assert copied, "the Dockerfile copies nothing"
    for sources in copied:
        for source in sources:
            assert (ROOT / source).exists(), source
            assert source not in ignored, f"{source} is copied but .dockerignore leaves it out"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    entrypoint = next(args for op, args in dockerfile() if op == "ENTRYPOINT")
    assert entrypoint == '["qunbot"]' and "qunbot" in project["project"]["scripts"]
    base = next(args for op, args in dockerfile() if op == "FROM")
    version = re.match(r"python:(\d+)\.(\d+)", base)
    assert version and (int(version[1]), int(version[2])) >= (3, 11)  # requires-python
    # Everything pip install . needs to build the package is in the image.
    for needed in ("pyproject.toml", project["project"]["readme"], "bot", "plugins"):
        assert any(needed in sources for sources in copied), needed


def compose_lines() -> list[str]:
    return (ROOT / "compose.yaml").read_text(encoding="utf-8").splitlines()


def test_compose_builds_this_repository_and_mounts_what_the_docs_create():
    lines = compose_lines()
    assert "    build: ." in lines and (ROOT / "Dockerfile").exists()
    mounts = [m[1] for line in lines if (m := re.match(r"\s+- (\./[^:]+):", line))]
    assert mounts == ["./config.toml"]
    # config.toml is the operator's own: the docs create it from the example, which exists.
    assert (ROOT / "config.example.toml").exists()
    assert "cp config.example.toml config.toml" in (ROOT / "docs/deployment.md").read_text()
    assert "config.toml" in (ROOT / ".gitignore").read_text().splitlines()


def test_compose_sets_only_variables_qunbot_reads():
    known = {ENV_CONFIG, *ENV_SECRETS.values(), *ENV_SETTINGS.values()}
    used = {m[1] for line in compose_lines() if (m := re.match(r"\s+(QUNBOT_\w+):", line))}
    assert used and used <= known, used - known
    # The container's home is the data volume, where the default SQLite file goes.
    home = next(args for op, args in dockerfile() if op == "WORKDIR" and "qunbot" in args)
    assert any(line.strip() == f"- bot-data:{home}" for line in compose_lines())
    assert Config().database.url == "sqlite://data/qunbot.sqlite3"  # relative: under that home


def prose(text: str) -> str:
    """Markdown without its code (fenced blocks and inline spans)."""
    return re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", text, flags=re.S))


def code(text: str) -> str:
    """Only the code of a Markdown text, one piece a line."""
    blocks = re.findall(r"```[^\n]*\n(.*?)```", text, flags=re.S)
    spans = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
    return "\n".join(blocks + spans)


@pytest.mark.parametrize("doc", DOCS)
def test_the_docs_link_files_that_exist(doc):
    text = prose((ROOT / doc).read_text(encoding="utf-8"))
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if "://" in target:
            continue
        assert (ROOT / doc).parent.joinpath(target).resolve().exists(), f"{doc} links {target}"


@pytest.fixture(scope="module")
def command_words() -> set[str]:
    app = App(Config())
    app.load_plugins()
    words = set()
    for spec in app.commands:
        words.add(spec.name.split()[0])
        words.update(alias.split()[0] for alias in spec.aliases)
    return words


@pytest.mark.parametrize("doc", DOCS)
def test_the_docs_name_only_chat_commands_that_exist(doc, command_words):
    text = (ROOT / doc).read_text(encoding="utf-8")
    named = set(re.findall(r"(?:`|needed by |, )/([a-z_]+)(?![\w/.])", text))
    assert named - command_words - NOT_OURS == set()


def test_the_qunbot_commands_the_docs_use_exist():
    from bot.cli import _installed_plugins, _parser

    parser = _parser(_installed_plugins())
    sub = next(a for a in parser._actions if a.dest == "command")
    for doc in DOCS:
        lines = code((ROOT / doc).read_text(encoding="utf-8"))
        found = re.findall(r"(?:^|bin/|&& )qunbot (?:--config \S+ )?([a-z][a-z-]+)", lines, flags=re.M)
        found += re.findall(r"docker compose run --rm bot ([a-z][a-z-]+)", lines)
        assert found or doc.endswith("discord.md"), doc
        for command in found:
            assert command in sub.choices, f"{doc}: qunbot {command}"
    for line in (ROOT / "docs/deployment.md").read_text().splitlines():
        if line.startswith("ExecStart="):
            assert shlex.split(line.split("=", 1)[1])[1:] == ["run"]
