"""Requests only this process is sent again: once each, across a restart, with the store's
writes batched off the answer."""

from __future__ import annotations

from pathlib import Path

from parley.core.delivered import Delivered
from parley.store import handled
from parley.store.db import Database


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_key_runs_once_within_its_window_and_again_after(tmp_path: Path) -> None:
    db = await Database.open(str(tmp_path / "p.db"))
    clock = Clock()
    try:
        seen = Delivered(db, "discord:", 60.0, clock)
        assert await seen.first("discord:1")
        assert not await seen.first("discord:1")  # a redelivery
        assert await handled.recent(db, "discord:", 0.0) == []  # not written on the way
        clock.now += 61
        assert await seen.first("discord:1")  # past the window: a new request
        await seen.close()
        assert [k for k, _ in await handled.recent(db, "discord:", 0.0)] == ["discord:1"]
    finally:
        await db.close()


async def test_a_restarted_process_knows_the_keys_stored_before(tmp_path: Path) -> None:
    db = await Database.open(str(tmp_path / "p.db"))
    clock = Clock()
    try:
        before = Delivered(db, "discord:", 60.0, clock)
        assert await before.first("discord:7")
        await before.close()  # shutdown stores what waits
        clock.now += 10
        after = Delivered(db, "discord:", 60.0, clock)
        assert not await after.first("discord:7")
        assert await after.first("discord:8")
    finally:
        await db.close()


async def test_the_memory_is_bounded(tmp_path: Path) -> None:
    db = await Database.open(str(tmp_path / "p.db"))
    try:
        seen = Delivered(db, "discord:", 60.0, Clock(), bound=2)
        for key in ("discord:1", "discord:2", "discord:3"):
            assert await seen.first(key)
        assert not await seen.first("discord:3")
        assert await seen.first("discord:1")  # the oldest was let go
        await seen.close()
    finally:
        await db.close()


async def test_a_shared_key_is_dropped_by_another_process_once_stored(tmp_path: Path) -> None:
    db = await Database.open(str(tmp_path / "p.db"))
    other_db = await Database.open(str(tmp_path / "p.db"))  # another process's connections
    clock = Clock()
    try:
        here = Delivered(db, "slack:", 600.0, clock, shared=True)
        there = Delivered(other_db, "slack:", 600.0, clock, shared=True)
        assert await here.first("slack:a")
        assert await handled.recent(db, "slack:", 0.0) == []  # the ack did not wait for it
        await here.flush()  # at most FLUSH_AFTER_S later
        assert not await there.first("slack:a")  # a replay sent to the other process
        assert not await here.first("slack:a")
        assert await there.first("slack:b")
        clock.now += 601
        assert await there.first("slack:a")  # past the window: a new request
        await here.close()
        await there.close()
    finally:
        await db.close()
        await other_db.close()
