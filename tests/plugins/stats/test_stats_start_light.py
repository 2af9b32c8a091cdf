"""A bot with the stats plugin starts without loading matplotlib: it is loaded at the first
chart (a second or two and tens of megabytes a bot need not pay at every start)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROGRAM = """
import asyncio, sys
from bot.testing import make_app

async def main():
    app, console = make_app(plugins=["stats"], config={"bot": {"locale": "en"}})
    async with app:
        await console.run_line("alice: hello")
        print("before", "matplotlib" in sys.modules)
        await console.run_line(":admin alice")
        await console.run_line("alice: /stats heatmap")
        print("after", "matplotlib" in sys.modules)

asyncio.run(main())
"""


def test_matplotlib_is_loaded_at_the_first_chart_not_at_start():
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "before False" in out.stdout and "after True" in out.stdout, out.stdout
