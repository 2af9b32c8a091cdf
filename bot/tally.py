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

A :class:`Backlog` holds writes that are not counts the same way (a message's XP award: a row
claimed, a balance credited, a ledger entry), each written as it is and in order, so the batch
that confirms a delivery commits everything the delivery changed in one transaction. What is
told about such a write (a level-up) waits for that commit (:meth:`Batch.after_commit`).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Awaitable, Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, NamedTuple, TypeVar

__all__ = ["Backlog", "Batch", "Tally", "Taken", "delivery"]

log = logging.getLogger(__name__)
K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
Counts = dict  # key -> list[int], added element by element

_READY, _HELD, _DROPPED = "ready", "held", "dropped"


class _Stage:
    """What one delivery counted, by tally, until it ends."""

    __slots__ = ("counts", "outcome")

    def __init__(self) -> None:
        self.counts: dict[Any, Any] = {}  # by tally (or backlog), its counts (items)
        # Where its counts went when it ended: held, or dropped. A task started while it ran
        # may still count after that: held counts join the held ones, a dropped delivery's
        # task's are ready (its own work stands).
        self.outcome: str | None = None


_STAGE: ContextVar[_Stage | None] = ContextVar("qunbot_tally_stage", default=None)
# Every tally alive: a batch takes all of their counts at one moment (see Batch).
_TALLIES: weakref.WeakSet[Any] = weakref.WeakSet()  # and every backlog


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
        for owner, counts in stage.counts.items():
            owner._drop(counts)
        raise
    else:
        stage.outcome = _HELD
        for owner, counts in stage.counts.items():
            owner._hold(counts)
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
    def _hold(self, counts: Counts) -> None:
        _merge(self._held, counts)

    def _drop(self, counts: Counts) -> None:
        """A dropped delivery's counts: made again when it comes again."""

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


class Backlog(Generic[T]):
    """Writes kept in memory on the message path, each written as it is, in order, by the
    batch that confirms its delivery (``batch.take_items``); made outside a delivery they are
    ready for the next batch. ``dropped`` is told of the items of a delivery that raised or was
    cancelled: they will not be written (the delivery comes again)."""

    def __init__(self, dropped: Callable[[list[T]], None]) -> None:
        self._ready: list[T] = []
        self._held: list[T] = []
        self._dropped = dropped
        _TALLIES.add(self)

    @staticmethod
    def holding() -> bool:
        """Whether what is made now belongs to a delivery a batch will confirm."""
        stage = _STAGE.get()
        return stage is not None and stage.outcome is None

    def add(self, item: T) -> None:
        stage = _STAGE.get()
        if stage is not None and stage.outcome is None:
            stage.counts.setdefault(self, []).append(item)
        elif stage is not None and stage.outcome == _HELD:
            self._held.append(item)
        else:
            self._ready.append(item)

    def take(self, *, held: bool = False) -> Taken:
        taken = Taken(self._ready, self._held if held else [])
        self._ready = []
        if held:
            self._held = []
        return taken

    def put_back(self, taken: Taken) -> None:
        """Items whose write was rolled back: first in line again, in their order."""
        self._ready[:0] = taken.ready
        self._held[:0] = taken.held

    def discard(self, drop: Callable[[T], bool]) -> None:
        """Forget the items ``drop`` chooses that are not written yet (a member's data deleted:
        a write of theirs still to come would bring it back)."""
        self._ready = [item for item in self._ready if not drop(item)]
        self._held = [item for item in self._held if not drop(item)]

    def __len__(self) -> int:
        return len(self._ready) + len(self._held)

    def _hold(self, items: list[T]) -> None:
        self._held.extend(items)

    def _drop(self, items: list[T]) -> None:
        self._dropped(items)


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
        self._claimed: set[Any] = set()
        self._undo: list[Callable[[], None]] = []
        self._after: list[Callable[[], Awaitable[None]]] = []

    def take(self, tally: Tally[Any]) -> Counts:
        """Every count of ``tally`` not written before this batch, by key, to write with
        ``connection``."""
        self._claimed.add(tally)
        taken = self._cut.get(tally)
        return taken.merged() if taken is not None else {}

    def take_items(self, backlog: Backlog[T]) -> list[T]:
        """Every item of ``backlog`` not written before this batch, in the order they were
        made, to write with ``connection``."""
        self._claimed.add(backlog)
        taken = self._cut.get(backlog)
        return [*taken.ready, *taken.held] if taken is not None else []

    def after_commit(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run ``work`` once the batch has committed (what is told about what it wrote); never
        if it rolled back."""
        self._after.append(work)

    async def run_after_commit(self) -> None:
        """The work of :meth:`after_commit`, in order; one that fails is logged and the rest
        still run (the batch stands)."""
        work, self._after = self._after, []
        for step in work:
            try:
                await step()
            except Exception:
                log.exception("after a batch's commit")

    def on_rollback(self, undo: Callable[[], None]) -> None:
        """Call ``undo`` (put something taken out of memory back) if the batch rolls back."""
        self._undo.append(undo)

    def committed(self) -> None:
        for tally, taken in self._cut.items():
            if tally not in self._claimed:
                tally.put_back(taken)
        self._cut.clear()

    def rolled_back(self) -> None:
        self._after.clear()
        for undo in reversed(self._undo):
            undo()
        for tally, taken in self._cut.items():
            tally.put_back(taken)
        self._cut.clear()
