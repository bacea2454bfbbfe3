"""Background batches: every id done once until a batch brings nothing new; a stop is honoured
between items; the idle wait ends early on a stop."""

from __future__ import annotations

import asyncio

from parley.core.drain import drain, stopped


async def test_each_id_is_done_once_until_a_batch_brings_nothing_new() -> None:
    batches = [["a", "b"], ["b", "c"], ["c"], ["d"]]  # "d" is never fetched: ["c"] was stale
    done: list[str] = []

    async def fetch() -> list[str]:
        return batches.pop(0)

    async def work(item: str) -> None:
        done.append(item)

    assert await drain(fetch, work) == ["a", "b", "c"] == done
    assert batches == [["d"]]


async def test_a_stop_is_honoured_between_items() -> None:
    stop = asyncio.Event()

    async def fetch() -> list[str]:
        return ["a", "b", "c"]

    async def work(item: str) -> None:
        stop.set()  # set while the first item is done: nothing after it starts

    assert await drain(fetch, work, stop) == ["a"]


async def test_the_idle_wait_ends_early_on_a_stop() -> None:
    stop = asyncio.Event()
    assert await stopped(stop, 0.01) is False
    stop.set()
    assert await asyncio.wait_for(stopped(stop, 60), 5) is True
