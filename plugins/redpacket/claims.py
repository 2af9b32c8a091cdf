"""Claims of shares in flight in this process.

A burst of presses on one packet (200 members within a second) would otherwise be 200
claiming transactions, of which all but ``count`` can only find the packet empty. Here at
most ``count`` claims of a packet are in flight at once; a claim that finds no share left
(by the committed state, not only the shares other claims hold locked) marks the packet empty,
and the presses still waiting are answered without the database. This is a cache: the
claiming statement decides, in this process and across processes.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TypeVar

__all__ = ["Claims"]

T = TypeVar("T")
# Packets remembered (gates and "empty" marks); the oldest are forgotten first.
REMEMBERED = 10_000


class Claims:
    def __init__(self) -> None:
        self._gates: OrderedDict[int, asyncio.Semaphore] = OrderedDict()
        self._empty: OrderedDict[int, None] = OrderedDict()

    def known_empty(self, packet_id: int) -> bool:
        return packet_id in self._empty

    async def claim(
        self,
        packet_id: int,
        shares: int,
        attempt: Callable[[], Awaitable[T | None]],
        any_left: Callable[[], Awaitable[bool]],
    ) -> T | None:
        """``attempt()`` under the packet's gate, or None at once when it is known empty.
        ``any_left()`` is asked after an attempt that found nothing."""
        if packet_id in self._empty:
            return None
        gate = self._gates.get(packet_id)
        if gate is None:
            gate = self._gates[packet_id] = asyncio.Semaphore(shares)
            _trim(self._gates)
        async with gate:
            if packet_id in self._empty:
                return None
            got = await attempt()
            if got is None and not await any_left():
                self._empty[packet_id] = None
                _trim(self._empty)
        return got

    def forget(self, packet_id: int) -> None:
        """The packet closed: its row answers from now on."""
        self._gates.pop(packet_id, None)
        self._empty.pop(packet_id, None)


def _trim(remembered: OrderedDict) -> None:
    while len(remembered) > REMEMBERED:
        remembered.popitem(last=False)
