"""Outgoing responses' lanes: bounded, first responses ahead of answers; and waiting for a
count of work under way to fall to a bound."""

from __future__ import annotations

import asyncio

import pytest

from parley.core.inflight import InFlight
from parley.core.lanes import Lanes


async def test_a_free_slot_goes_to_a_waiting_first_response_before_any_answer() -> None:
    lanes = Lanes(2)
    order: list[str] = []
    release = asyncio.Event()
    most = [0]

    async def hold(name: str, lane: str) -> None:
        async with lanes.first() if lane == "first" else lanes.answer():
            order.append(name)
            most[0] = max(most[0], lanes.busy)
            await release.wait()

    holders = [asyncio.create_task(hold(f"h{i}", "answer")) for i in range(2)]
    await asyncio.sleep(0)
    waiting = [asyncio.create_task(hold("a1", "answer")), asyncio.create_task(hold("a2", "answer"))]
    await asyncio.sleep(0)
    firsts = [asyncio.create_task(hold(f"f{i}", "first")) for i in range(3)]
    await asyncio.sleep(0)
    assert lanes.waiting_first == 3 and order == ["h0", "h1"]
    release.set()
    await asyncio.gather(*holders, *waiting, *firsts)
    # the answers queued first, yet every first response went before them, each lane in order
    assert order == ["h0", "h1", "f0", "f1", "f2", "a1", "a2"]
    assert most[0] == 2 and lanes.busy == 0


async def test_a_cancelled_waiter_gives_its_turn_up() -> None:
    lanes = Lanes(1)
    async with lanes.answer():
        waiter = asyncio.create_task(lanes.first().__aenter__())
        await asyncio.sleep(0)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
    async with lanes.answer():  # the slot is free again: nothing leaked
        assert lanes.busy == 1
    assert lanes.busy == 0 and lanes.waiting_first == 0


def test_a_lane_needs_a_slot() -> None:
    with pytest.raises(ValueError, match="slot"):
        Lanes(0)


async def test_at_most_waits_for_the_count_to_fall_to_the_bound() -> None:
    work = InFlight()
    for _ in range(5):
        work.enter()
    assert not await work.at_most(2, 0.01)  # five under way, none leaving: times out
    waiting = asyncio.create_task(work.at_most(2, 5))
    for _ in range(2):
        work.leave()
        await asyncio.sleep(0)
        assert not waiting.done()  # four, then three
    work.leave()
    assert await waiting  # two
    work.enter()
    assert not await work.at_most(2, 0.01)  # risen again: the bound is checked anew
