"""Counts kept in memory on the message path and written in batches, each counted once.

A count (a member's messages, a group's messages this hour) is not idempotent: written twice it
is wrong. Counting in memory and writing later is what keeps the message path fast, and it is
exact only if each count is written in the transaction that confirms the delivery it came from.
Telegram may deliver an update again until its offset is confirmed; a count of that update
written before its confirmation would be counted again after a crash, and one written after
it would be lost.

So a count made while an adapter handles a delivery its platform may make again is *held*
(:func:`delivery`): written only in the transaction that confirms the delivery
(:class:`Batch`, in :meth:`bot.app.App.save_state`). A delivery that raises or is cancelled
(at stop) is not confirmed; its counts are dropped with it and made again when it comes again.
Counts made outside such a delivery (a job, Discord's and the console's events, which are
never delivered twice) are *ready*: any flush may write them.

Owners of tallies (the roster, plugins such as ``stats``) write the ready counts whenever they
flush, and the held ones only in ``bot_commit_batch``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, NamedTuple, TypeVar

__all__ = ["Batch", "Tally", "Taken", "delivery"]

K = TypeVar("K", bound=Hashable)
Counts = dict  # key -> list[int], added element by element

_READY, _HELD, _DROPPED = "ready", "held", "dropped"


class _Stage:
    """What one delivery counted, by tally, until it ends."""

    __slots__ = ("counts", "outcome")

    def __init__(self) -> None:
        self.counts: dict[Tally, Counts] = {}
        # Where its counts went when it ended: held, or dropped. A task started while it ran
        # may still count after that: held counts join the held ones, a dropped delivery's
        # task's are ready (its own work stands).
        self.outcome: str | None = None


_STAGE: ContextVar[_Stage | None] = ContextVar("qunbot_tally_stage", default=None)
# Every tally alive: a batch takes all of their counts at one moment (see Batch).
_TALLIES: weakref.WeakSet[Tally[Any]] = weakref.WeakSet()


@contextmanager
def delivery() -> Iterator[None]:
    """Hold what the enclosed handling of one delivery counts until a :class:`Batch` confirms
    it; drop it if the handling raises or is cancelled (the delivery is then not confirmed)."""
    stage = _Stage()
    token = _STAGE.set(stage)
    try:
        yield
    except BaseException:
        stage.outcome = _DROPPED
        raise
    else:
        stage.outcome = _HELD
        for tally, counts in stage.counts.items():
            _merge(tally._held, counts)
    finally:
        _STAGE.reset(token)


class Taken(NamedTuple):
    """Counts taken out of a tally to be written: the ready ones and the held ones apart, so
    that a failed write puts each back where it was."""

    ready: Counts
    held: Counts

    def merged(self) -> Counts:
        if not self.held:
            return self.ready
        rows = {key: list(values) for key, values in self.ready.items()}
        _merge(rows, self.held)
        return rows


class Tally(Generic[K]):
    """Counters per key (each value a list of ints, one per counter), held or ready as
    :func:`delivery` says. Not thread-safe: the event loop's thread only."""

    def __init__(self) -> None:
        self._ready: Counts = {}
        self._held: Counts = {}
        _TALLIES.add(self)

    def add(self, key: K, *values: int) -> None:
        """Count ``values`` (one per counter) for ``key``, with the delivery being handled."""
        self._add_to(_STAGE.get() or _READY, key, values)

    def add_committed(self, key: K, *values: int) -> None:
        """Count the figures of a change already committed (and never made twice): ready now,
        whatever is being handled."""
        self._add_to(_READY, key, values)

    def pending(self, key: K) -> list[int] | None:
        """What is counted for ``key`` and not written: ready, held and the current work's."""
        total: list[int] | None = None
        for counts in self._visible():
            values = counts.get(key)
            if values is not None:
                total = [a + b for a, b in zip(total, values, strict=True)] if total else list(values)
        return total

    def pending_where(self, chosen: Callable[[K], bool]) -> dict[K, list[int]]:
        """:meth:`pending` of every key ``chosen`` picks (a group's members)."""
        total: Counts = {}
        for counts in self._visible():
            for key, values in counts.items():
                if chosen(key):
                    _add(total, key, values)
        return total

    def take(self, *, held: bool = False) -> Taken:
        """The counts to write now, taken out: the ready ones, and the held ones with ``held``
        (only in the transaction that confirms their deliveries: see :class:`Batch`). Give
        them back with :meth:`put_back` when the write fails."""
        taken = Taken(self._ready, self._held if held else {})
        self._ready = {}
        if held:
            self._held = {}
        return taken

    def put_back(self, taken: Taken) -> None:
        """Counts whose write was rolled back: pending again, each where it was."""
        _merge(self._ready, taken.ready)
        _merge(self._held, taken.held)

    def discard(self, drop: Callable[[K], bool]) -> None:
        """Forget the pending counts of every key ``drop`` chooses (a member's data deleted)."""
        for counts in (self._ready, self._held):
            for key in [k for k in counts if drop(k)]:
                del counts[key]

    def __len__(self) -> int:
        return len(self._ready) + len(self._held)

    # -- holding ---------------------------------------------------------------------------------
    def _add_to(self, where: _Stage | str, key: K, values: tuple[int, ...]) -> None:
        if isinstance(where, _Stage):
            if where.outcome is None:
                counts = where.counts.get(self)
                if counts is None:
                    counts = where.counts[self] = {}
            else:
                counts = self._held if where.outcome == _HELD else self._ready
        else:
            counts = self._ready
        _add(counts, key, values)

    def _visible(self) -> Iterator[Counts]:
        yield self._ready
        yield self._held
        stage = _STAGE.get()
        if stage is not None and stage.outcome is None and self in stage.counts:
            yield stage.counts[self]


def _add(counts: Counts, key: Any, values: tuple[int, ...] | list[int]) -> None:
    current = counts.get(key)
    if current is None:
        counts[key] = list(values)
    else:
        for i, value in enumerate(values):
            current[i] += value


def _merge(into: Counts, counts: Counts) -> None:
    for key, values in counts.items():
        _add(into, key, values)


class Batch:
    """The transaction that confirms a batch of deliveries (``bot_commit_batch``).

    Made at the moment the adapter decides what it confirms, with no await in between: it
    takes every tally's counts at once, so what it writes is exactly what the deliveries it
    confirms counted (a delivery that ends while the transaction runs waits for the next). The
    counts of a tally no writer claims go back; if the transaction rolls back, all of them do.
    """

    def __init__(self) -> None:
        self.connection: Any = None
        self._cut = {tally: tally.take(held=True) for tally in list(_TALLIES)}
        self._claimed: set[Tally[Any]] = set()
        self._undo: list[Callable[[], None]] = []

    def take(self, tally: Tally[Any]) -> Counts:
        """Every count of ``tally`` not written before this batch, by key, to write with
        ``connection``."""
        self._claimed.add(tally)
        taken = self._cut.get(tally)
        return taken.merged() if taken is not None else {}

    def on_rollback(self, undo: Callable[[], None]) -> None:
        """Call ``undo`` (put something taken out of memory back) if the batch rolls back."""
        self._undo.append(undo)

    def committed(self) -> None:
        for tally, taken in self._cut.items():
            if tally not in self._claimed:
                tally.put_back(taken)
        self._cut.clear()

    def rolled_back(self) -> None:
        for undo in reversed(self._undo):
            undo()
        for tally, taken in self._cut.items():
            tally.put_back(taken)
        self._cut.clear()
