"""Stopping while background work still uses the store: a closed store raises StoreClosed (a
StoreError) on both backends, /check's knowledge-base refresh cut off by it ends quietly, and
the services cancel and await that refresh before they close the store."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest

from parley.cli.app import open_services
from parley.core.factcheck import knowledge
from parley.core.meaning import encoder as encoder_module
from parley.core.meaning.encoder import EncoderUnavailable, encoder
from parley.core.models import Request, Role
from parley.core.registry import run_line
from parley.core.settings import Settings
from parley.store.db import Database, StoreClosed, StoreError
from tests.conftest import copy_first_start


async def test_a_closed_store_raises_store_closed(backend: str) -> None:
    db = await Database.open(backend)
    await db.close()
    with pytest.raises(StoreClosed):
        await db.fetchall("SELECT 1")
    with pytest.raises(StoreClosed):
        await db.read("SELECT COUNT(*) FROM articles")  # no new reader opened after close
    with pytest.raises(StoreClosed):
        await db.write("DELETE FROM articles WHERE id = ?", ("nope",))
    assert issubclass(StoreClosed, StoreError)  # what every caller already handles


async def test_a_refresh_cut_off_by_the_store_closing_ends_quietly(backend: str) -> None:
    db = await Database.open(backend)
    with contextlib.suppress(EncoderUnavailable):  # loaded first: the refresh reaches the
        await asyncio.to_thread(encoder)            # store at once
    await db.close()
    assert await knowledge._refresh(db) is None


async def test_stopping_cancels_and_awaits_the_checks_refresh(settings: Settings,
                                                               first_started_db: Path) -> None:
    copy_first_start(first_started_db, Path(settings.parley_db))
    # Another thread is loading the encoder (a busy machine): the refresh waits for it.
    encoder_module._lock.acquire()
    try:
        async with open_services(settings) as services:
            request = Request(platform="console", workspace="w1", channel="general",
                              user="u1", role=Role.MEMBER, command="help")
            reply = await asyncio.wait_for(run_line(
                services.registry, "/check the wall cost $25 billion", request, services), 30)
            assert reply.kind != "error", reply.text
            task = services.db.memos.memo(knowledge.REFRESH, 1).get(knowledge.REFRESH)
            assert task is not None and not task.done()  # started, waiting for the encoder
        assert task.done() and services.background.running == 0  # cancelled and awaited
        assert task.cancelled() or task.exception() is None
    finally:
        encoder_module._lock.release()


async def test_a_transaction_cancelled_while_it_begins_leaves_none_open(backend: str) -> None:
    """A task cancelled at its BEGIN (the services stopping a background write) must not leave
    a transaction open for the next writer (the rate limits saved at shutdown)."""
    db = await Database.open(backend)
    try:
        async def write() -> None:
            async with db.transaction() as conn:
                await conn.execute("DELETE FROM articles WHERE id = ?", ("nope",))

        task = asyncio.create_task(write())
        await asyncio.sleep(0)  # the task is now waiting for its BEGIN
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        async with db.transaction() as conn:  # raised "within a transaction" before
            await conn.execute("DELETE FROM articles WHERE id = ?", ("nope",))
    finally:
        await db.close()
