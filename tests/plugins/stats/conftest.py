"""Shared helpers: the console writes every image the bot sends into the test's own folder, and
``images()`` reads them back from there (what a member at the console would open)."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture(autouse=True)
def console_files(request: pytest.FixtureRequest, tmp_path):
    """Charts land in the test's temporary folder, not in a new one under /tmp."""
    if "fake" in request.fixturenames:
        request.getfixturevalue("fake").console.files_dir = tmp_path / "console"
    return tmp_path / "console"


@pytest.fixture
def images(fake) -> Callable[[], list[tuple[str, bytes]]]:
    """Every image and file the bot has sent through the console so far, as (the name the
    plugin gave it, the bytes of the file the console wrote), in order."""

    def sent() -> list[tuple[str, bytes]]:
        return [
            (name, path.read_bytes())
            for output in fake.outputs
            for name, path in zip(output.attachments, output.files, strict=True)
        ]

    return sent
