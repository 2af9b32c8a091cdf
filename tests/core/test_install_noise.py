"""What an operator reads at install and start is theirs to act on: no deprecation banners from
the build, no library warnings the bot itself causes (issue 17, item 19)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_license_is_an_spdx_string_the_build_backend_takes_without_a_banner():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # A table ({ text = ... }) makes setuptools >= 77 print a deprecation banner on every install.
    assert project["project"]["license"] == "MIT"
    backend = next(r for r in project["build-system"]["requires"] if r.startswith("setuptools"))
    assert backend == "setuptools>=77"  # the first version that reads an SPDX string


def test_a_telegram_429_raises_no_ptb_deprecation_warning():
    from telegram.error import RetryAfter

    # Importing the adapter opts in to PTB's timedelta durations.
    from bot.adapters.telegram.limits import retry_seconds

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        error = RetryAfter(7)
        seconds = retry_seconds(error)
    assert seconds == 7
    assert [str(w.message) for w in caught] == []


def test_a_discord_client_starts_without_the_voice_warning():
    # A fresh process: discord.py warns once per process, at the first client it builds.
    code = (
        "import logging; logging.basicConfig(level=logging.WARNING)\n"
        "from bot.adapters.discord.client import Client, intents_for\n"
        "Client(intents=intents_for(members=True, content=True))\n"
        "print('built')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout == "built\n", result.stderr
    assert "PyNaCl" not in result.stderr and "voice" not in result.stderr.lower()
