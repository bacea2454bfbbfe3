"""Outgoing responses in two lanes of bounded concurrency: first responses before answers.

A platform gives each interaction a few seconds for its first response (an answer, or a
"thinking…" deferral); a deferred answer may come minutes later. Under a burst the first
responses must not queue behind the answers, and thousands of simultaneous requests must not
open thousands of connections: at most ``slots`` requests are under way at once (kept-alive
connections are reused), and a free slot always goes to the longest-waiting first response
before any answer.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager


class Lanes:
    """``async with lanes.first():`` for a first response, ``lanes.answer()`` for the rest."""

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("at least one slot")
        self.slots = slots
        self.busy = 0
        self._first: deque[asyncio.Future[None]] = deque()
        self._answers: deque[asyncio.Future[None]] = deque()

    @property
    def waiting_first(self) -> int:
        """First responses waiting for a slot."""
        return len(self._first)

    def _hand_over(self) -> None:
        """Give free slots to waiters: first responses, then answers, each in arrival order."""
        for queue in (self._first, self._answers):
            while queue and self.busy < self.slots:
                waiter = queue.popleft()
                if not waiter.done():  # a cancelled waiter gave its turn up
                    self.busy += 1
                    waiter.set_result(None)

    async def _take(self, queue: deque[asyncio.Future[None]]) -> None:
        if self.busy < self.slots and not self._first and (queue is self._first or
                                                            not self._answers):
            self.busy += 1
            return
        waiter = asyncio.get_running_loop().create_future()
        queue.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # granted, then cancelled
                self._release()
            raise

    def _release(self) -> None:
        self.busy -= 1
        self._hand_over()

    @asynccontextmanager
    async def _slot(self, queue: deque[asyncio.Future[None]]) -> AsyncIterator[None]:
        await self._take(queue)
        try:
            yield
        finally:
            self._release()

    def first(self) -> AbstractAsyncContextManager[None]:
        """A slot for an interaction's first response (ahead of every answer)."""
        return self._slot(self._first)

    def answer(self) -> AbstractAsyncContextManager[None]:
        """A slot for an answer that may wait (a deferred one's edit, a follow-up)."""
        return self._slot(self._answers)
