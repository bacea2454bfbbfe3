"""Background work done in batches until none is left: ids fetched, each done once, a stop
honoured between them; and the wait between rounds that a stop cuts short."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def drain(fetch: Callable[[], Awaitable[list[str]]],
                work: Callable[[str], Awaitable[object]],
                stop: asyncio.Event | None = None) -> list[str]:
    """``work`` on every id ``fetch`` returns, batch after batch, until a batch brings nothing
    new (or ``stop`` is set); the ids done, in order."""
    done: list[str] = []
    seen: set[str] = set()
    while stop is None or not stop.is_set():
        ids = [i for i in await fetch() if i not in seen]
        if not ids:
            break
        for item in ids:
            if stop is not None and stop.is_set():
                break
            await work(item)
            done.append(item)
            seen.add(item)
    return done


async def stopped(stop: asyncio.Event, within_s: float) -> bool:
    """Wait up to ``within_s`` seconds; True if ``stop`` was set meanwhile (any event: the
    in-flight counts wait on theirs with it too)."""
    try:
        await asyncio.wait_for(stop.wait(), within_s)
    except TimeoutError:
        return False
    return True
