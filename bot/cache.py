"""A bounded cache of the most recently used entries.

The per-member caches (the roster's accounts and members, the XP cooldowns, the inactive
plugin's first sightings) hold only what the database already has: an entry that goes costs a
read (or a statement that changes nothing) the next time that member speaks, never a fact. So
they keep the members who spoke last, at most ``[bot] member_cache`` of them, and a community
of 100,000 members costs the memory of its active ones only.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

__all__ = ["Recent"]

K = TypeVar("K")
V = TypeVar("V")
_MISSING = object()


class Recent(Generic[K, V]):
    """A mapping of at most ``size`` entries: reading (:meth:`get`) or writing an entry makes it
    the most recent, and past ``size`` the least recent goes (``evicted(key, value)`` is told,
    for a caller whose reading depends on what is still there)."""

    __slots__ = ("size", "_data", "_evicted")

    def __init__(self, size: int, evicted: Callable[[K, V], None] | None = None) -> None:
        if size < 1:
            raise ValueError(f"a cache holds at least one entry, not {size}")
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._evicted = evicted

    def get(self, key: K, default: V | None = None) -> V | None:
        value = self._data.get(key, _MISSING)
        if value is _MISSING:
            return default
        self._data.move_to_end(key)
        return value  # type: ignore[return-value]

    def __setitem__(self, key: K, value: V) -> None:
        data = self._data
        data[key] = value
        data.move_to_end(key)
        if len(data) > self.size:
            old_key, old_value = data.popitem(last=False)
            if self._evicted is not None:
                self._evicted(old_key, old_value)

    def pop(self, key: K, default: V | None = None) -> V | None:
        return self._data.pop(key, default)

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is held (without making it recent)."""
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def clear(self) -> None:
        self._data.clear()
