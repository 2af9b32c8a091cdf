"""Charts drawn off the event loop, with matplotlib loaded at the first chart.

Importing matplotlib costs a second or two and tens of megabytes; a bot whose members never ask
for a chart should not pay that at every start (start to ready, memory with a large roster).
"""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["draw"]


async def draw(chart: str, /, *args: Any, **kwargs: Any) -> bytes:
    """PNG bytes of ``plugins.stats.charts.<chart>(*args, **kwargs)``, drawn in a thread."""
    from plugins.stats import charts  # the first chart loads matplotlib (see the module doc)

    return await asyncio.to_thread(getattr(charts, chart), *args, **kwargs)
