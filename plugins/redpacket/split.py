"""Splitting a packet into shares, at creation.

The lucky split (拼手气) is the double-mean method: while ``left`` shares remain of
``remaining`` points, the next share is uniform in ``[1, 2·remaining/left − 1]`` (integers, so
the bound ``2·remaining/left − 1`` is rounded up or down at random, in proportion, so its mean
stays exact), and the last share takes what is left. Every share is
at least 1, the shares sum to the total exactly, and the expected share is ``total/count`` for
every position (each draw's mean is the current mean). The draws come from the operating
system's generator (``secrets.SystemRandom``): a member who could predict them could pick the
moment to grab.
"""

from __future__ import annotations

import random
import secrets

__all__ = ["equal_split", "lucky_split"]

_SYSTEM = secrets.SystemRandom()


def lucky_split(total: int, count: int, rng: random.Random | None = None) -> list[int]:
    """``count`` shares of ``total`` points, each >= 1, summing to ``total``."""
    _check(total, count)
    draw = rng or _SYSTEM
    shares: list[int] = []
    remaining = total
    for left in range(count, 1, -1):
        whole, part = divmod(2 * remaining, left)
        upper = max(1, whole - 1 + (1 if draw.randrange(left) < part else 0))
        # Leave at least 1 for each share still to come.
        upper = min(upper, remaining - (left - 1))
        share = draw.randint(1, upper)
        shares.append(share)
        remaining -= share
    shares.append(remaining)
    return shares


def equal_split(total: int, count: int) -> list[int]:
    """``count`` shares as equal as whole points allow: the first ``total % count`` shares get
    one point more (a packet of 10 for 3 is 4, 3, 3); the sum is exact."""
    _check(total, count)
    base, extra = divmod(total, count)
    return [base + 1 if i < extra else base for i in range(count)]


def _check(total: int, count: int) -> None:
    if count < 1:
        raise ValueError("a packet has at least one share")
    if total < count:
        raise ValueError("every share is at least 1 point: the total must be >= the count")
