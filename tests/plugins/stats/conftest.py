"""Shared helpers: the images the console was given (it keeps only their file names)."""

from __future__ import annotations

import pytest

from bot import Image


@pytest.fixture
def images(fake, monkeypatch):
    """Every image the bot sends through the console, as (filename, bytes), in order."""
    sent: list[tuple[str, bytes]] = []
    original = fake.console._record

    def record(channel, message):
        sent.extend((a.filename, a.data) for a in message.attachments if isinstance(a, Image))
        return original(channel, message)

    monkeypatch.setattr(fake.console, "_record", record)
    return sent
