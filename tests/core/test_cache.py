"""bot.cache.Recent: the bound of the per-member caches."""

import pytest

from bot.cache import Recent


def test_the_least_recently_used_goes_past_the_size_and_its_owner_is_told():
    gone = []
    cache = Recent(2, lambda key, value: gone.append((key, value)))
    cache["a"], cache["b"] = 1, 2
    assert cache.get("a") == 1  # read: "a" is now the most recent
    cache["c"] = 3
    assert gone == [("b", 2)] and list(cache) == ["a", "c"]
    cache["a"] = 10  # written again: the most recent, nothing goes
    cache["d"] = 4
    assert gone == [("b", 2), ("c", 3)] and list(cache) == ["a", "d"] and len(cache) == 2


def test_contains_does_not_make_an_entry_recent_and_pop_is_not_an_eviction():
    gone = []
    cache = Recent(2, lambda key, value: gone.append(key))
    cache["a"], cache["b"] = 1, 2
    assert "a" in cache and "z" not in cache
    cache["c"] = 3
    assert gone == ["a"]
    assert cache.pop("b") == 2 and cache.pop("b") is None and cache.get("b", 7) == 7
    assert gone == ["a"]
    cache.clear()
    assert len(cache) == 0


def test_a_cache_holds_at_least_one_entry():
    with pytest.raises(ValueError):
        Recent(0)
