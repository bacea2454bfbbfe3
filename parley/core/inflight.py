"""A count of things under way (commands, pending acks) and a way to wait until there are none."""

from __future__ import annotations

import asyncio


class InFlight:
    """Entered and left around each piece of work; :meth:`settled` waits for the count to be 0."""

    def __init__(self) -> None:
        self.count = 0
        self._none = asyncio.Event()
        self._none.set()

    def enter(self) -> None:
        self.count += 1
        self._none.clear()

    def leave(self) -> None:
        self.count -= 1
        if self.count == 0:
            self._none.set()

    async def settled(self, within_s: float) -> bool:
        """True once nothing is under way; False if something still is after ``within_s``."""
        try:
            await asyncio.wait_for(self._none.wait(), within_s)
        except TimeoutError:
            return False
        return True
