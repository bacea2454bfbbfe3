"""A count of things under way (commands, pending acks) and a way to wait until there are none."""

from __future__ import annotations

import asyncio

from parley.core.drain import stopped as _set_within


class InFlight:
    """Entered and left around each piece of work; :meth:`settled` waits for the count to be 0."""

    def __init__(self) -> None:
        self.count = 0
        self._at_most: dict[int, asyncio.Event] = {}  # set while count <= key (at_most)

    def enter(self) -> None:
        self.count += 1
        for limit, low in self._at_most.items():
            if self.count > limit:
                low.clear()

    def leave(self) -> None:
        self.count -= 1
        for limit, low in self._at_most.items():
            if self.count <= limit:
                low.set()

    async def settled(self, within_s: float) -> bool:
        """True once nothing is under way; False if something still is after ``within_s``."""
        return await self.at_most(0, within_s)

    async def at_most(self, count: int, within_s: float) -> bool:
        """True once at most ``count`` are under way; False if more still are after
        ``within_s``."""
        low = self._at_most.get(count)
        if low is None:
            low = self._at_most[count] = asyncio.Event()
        if self.count <= count:
            low.set()
        return await _set_within(low, within_s)

