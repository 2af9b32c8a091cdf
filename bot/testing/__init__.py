"""The test kit: a chat driver on the console adapter, a fake clock, and local fake Telegram and
Discord servers that the real clients talk to over HTTP and websocket."""

from bot.clock import FakeClock
from bot.testing.driver import ChatDriver, eventually, make_app

__all__ = ["ChatDriver", "FakeClock", "eventually", "make_app"]
