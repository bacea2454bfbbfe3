"""A write that waits for a quiet moment or a full batch: one writer task at a time, run at
once at shutdown (the activity log's and the Discord deliveries' batched stores)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable


class SoonWriter:
    """Calls ``flush`` at most ``after_s`` seconds after it is first wanted, or at once when a
    batch is full; never more than one writer task."""

    def __init__(self, flush: Callable[[], Awaitable[None]], after_s: float) -> None:
        self._flush, self.after_s = flush, after_s
        self._task: asyncio.Task[None] | None = None
        self._full = asyncio.Event()

    def wanted(self, full: bool) -> None:
        """Something waits to be written (``full``: a whole batch, so write it now)."""
        if full:
            self._full.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._write_soon())

    async def _write_soon(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._full.wait(), self.after_s)
        self._full.clear()
        await self._flush()

    async def close(self) -> None:
        """At shutdown: write what waits now rather than after the quiet moment."""
        self._full.set()
        if self._task is not None:
            await self._task
        await self._flush()
