"""The bounded map every cache uses: the least recently used entry goes first."""

from __future__ import annotations

from parley.core.lru import LRU


def test_the_least_recently_used_goes_first_and_a_read_counts_as_use() -> None:
    kept: LRU[str, int] = LRU(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "a" is now the newer
    kept.put("c", 3)
    assert kept.get("b") is None and kept.get("a") == 1 and kept.get("c") == 3
    kept.put("a", 10)  # a rewrite is a use too
    kept.put("d", 4)
    assert kept.get("c") is None and kept.get("a") == 10 and len(kept) == 2
    assert "d" in kept and "c" not in kept
    kept.discard("a")
    kept.discard("missing")
    assert kept.get("a") is None and len(kept) == 1
    kept.clear()
    assert len(kept) == 0


def test_iterating_gives_the_keys_oldest_first_and_is_not_a_use() -> None:
    kept: LRU[str, int] = LRU(3)
    for key, value in (("a", 1), ("b", 2), ("c", 3)):
        kept.put(key, value)
    kept.get("a")
    assert list(kept) == ["b", "c", "a"]
    assert list(kept) == ["b", "c", "a"]  # looking did not reorder them
    kept.put("d", 4)
    assert list(kept) == ["c", "a", "d"]


def test_made_keeps_what_it_makes_and_makes_it_once() -> None:
    kept: LRU[str, int] = LRU(2)
    calls: list[str] = []

    def make(key: str) -> int:
        calls.append(key)
        return len(calls)

    assert kept.made("a", lambda: make("a")) == 1
    assert kept.made("a", lambda: make("a")) == 1  # kept: not made again
    assert kept.made("b", lambda: make("b")) == 2 and kept.made("c", lambda: make("c")) == 3
    assert "a" not in kept and kept.made("a", lambda: make("a")) == 4  # dropped, so made anew
    assert calls == ["a", "b", "c", "a"]
