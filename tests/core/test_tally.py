"""Counts held with the delivery they came in (bot.tally): written by the transaction that
confirms it, dropped with a delivery that is not confirmed, never both."""

from __future__ import annotations

import asyncio

import pytest

from bot.tally import Batch, Tally, delivery


def test_outside_a_delivery_counts_are_ready_for_any_flush():
    tally: Tally[str] = Tally()
    tally.add("ann", 1)
    tally.add("ann", 2)
    assert tally.take().ready == {"ann": [3]}
    assert tally.take().ready == {}


def test_a_delivery_holds_its_counts_until_a_batch_confirms_it():
    tally: Tally[str] = Tally()
    with delivery():
        tally.add("ann", 1)
        assert tally.pending("ann") == [1]  # the delivery sees its own count
    assert tally.take().ready == {}  # an ordinary flush leaves it
    batch = Batch()
    assert batch.take(tally) == {"ann": [1]}
    batch.committed()
    assert tally.pending("ann") is None


def test_a_cancelled_delivery_counts_nothing():
    tally: Tally[str] = Tally()
    with pytest.raises(asyncio.CancelledError), delivery():
        tally.add("ann", 1)
        raise asyncio.CancelledError
    assert tally.pending("ann") is None
    assert Batch().take(tally) == {}


def test_a_rolled_back_batch_puts_every_count_back_where_it_was():
    tally: Tally[str] = Tally()
    tally.add("ann", 1)
    with delivery():
        tally.add("bob", 1)
    batch = Batch()
    assert batch.take(tally) == {"ann": [1], "bob": [1]}
    batch.rolled_back()
    assert tally.take().ready == {"ann": [1]}  # ready again; bob's still waits for a batch
    assert Batch().take(tally) == {"bob": [1]}


def test_a_batch_takes_only_what_was_counted_before_it_began():
    tally: Tally[str] = Tally()
    with delivery():
        tally.add("ann", 1)
    batch = Batch()
    with delivery():  # ends while the batch's transaction runs: waits for the next batch
        tally.add("ann", 1)
    assert batch.take(tally) == {"ann": [1]}
    batch.committed()
    assert tally.pending("ann") == [1]


def test_a_tally_no_writer_claims_keeps_its_counts():
    mine: Tally[str] = Tally()
    other: Tally[str] = Tally()  # another bot's in the same process
    with delivery():
        mine.add("ann", 1)
        other.add("ann", 5)
    batch = Batch()
    batch.take(mine)
    batch.committed()
    assert other.pending("ann") == [5] and mine.pending("ann") is None


async def test_a_task_started_in_a_delivery_counts_with_it_after_it_ended():
    tally: Tally[str] = Tally()
    go = asyncio.Event()

    async def later() -> None:
        await go.wait()
        tally.add("ann", 1)

    with delivery():
        task = asyncio.create_task(later())
    go.set()
    await task
    assert Batch().take(tally) == {"ann": [1]}  # held like the delivery's own
