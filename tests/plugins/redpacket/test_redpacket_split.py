"""The split: exact sums, shares >= 1, the same expected share at every position."""

import random

import pytest

from plugins.redpacket.split import equal_split, lucky_split


@pytest.mark.parametrize(("total", "count"), [(1, 1), (10, 10), (11, 10), (100, 10), (7, 3), (5000, 100)])
def test_every_split_is_exact_and_at_least_one(total, count):
    for _ in range(300):
        shares = lucky_split(total, count)
        assert len(shares) == count and sum(shares) == total and min(shares) >= 1
    assert sum(equal_split(total, count)) == total and min(equal_split(total, count)) >= 1


@pytest.mark.parametrize(("total", "count"), [(100, 10), (7, 3), (37, 5)])
def test_the_expected_share_is_the_same_at_every_position(total, count):
    rng = random.Random(12345)  # reproducible; production draws from secrets.SystemRandom
    rounds = 40_000
    sums = [0] * count
    for _ in range(rounds):
        for position, share in enumerate(lucky_split(total, count, rng)):
            sums[position] += share
    mean = total / count
    for position_sum in sums:
        assert abs(position_sum / rounds - mean) < 0.03 * mean + 0.02


def test_equal_shares_differ_by_at_most_one_and_bad_sizes_are_refused():
    assert equal_split(10, 3) == [4, 3, 3]
    with pytest.raises(ValueError):
        lucky_split(3, 4)
    with pytest.raises(ValueError):
        lucky_split(3, 0)


def test_the_production_generator_is_the_systems():
    from plugins.redpacket import split

    assert isinstance(split._SYSTEM, random.SystemRandom)
