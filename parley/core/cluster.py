"""Work that one Parley process at a time does, when several share a database: a named lease
held for the work (single-flight), and Discord's IDENTIFY pacing shared by every shard process.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from parley.store import leases
from parley.store.db import Database

# Discord allows one IDENTIFY per 5 seconds per bucket (shard id modulo max_concurrency).
IDENTIFY_EVERY = timedelta(seconds=5.5)
POLL_S = 0.25


_INCARNATION = secrets.token_hex(4)  # tells this process from an earlier one with its pid


def holder_name() -> str:
    """``host:pid:incarnation``: this process, as leases and claims name it, so a restart can
    tell a dead holder."""
    return f"{socket.gethostname()}:{os.getpid()}:{_INCARNATION}"


def ended(other: str, me: str) -> bool:
    """Whether the process that wrote claim holder ``other`` has certainly ended: it ran on this
    host and its pid is gone (or is now this process, a later incarnation). A holder on another
    host, or one whose process may still run, keeps its lease."""
    host, _, rest = other.partition(":")
    pid = rest.partition(":")[0]
    my_host, _, my_rest = me.partition(":")
    if other == me or host != my_host or not pid.isdigit():
        return False
    if int(pid) == int(my_rest.partition(":")[0]):
        return True  # our pid, another incarnation: that process is gone
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by someone else
        return False
    return False


@asynccontextmanager
async def alone(db: Database, name: str, clock: Callable[[], datetime],
                longest: timedelta) -> AsyncIterator[bool]:
    """Hold the lease ``name`` for the work in the block; yields False (and holds nothing) if
    another process holds it. ``longest`` bounds how long a killed holder blocks the others."""
    holder, now = holder_name(), clock()
    got = await leases.acquire(db, name, holder, now, now + longest)
    try:
        yield got
    finally:
        if got:
            await leases.release(db, name, holder)


async def identify_turn(db: Database, bucket: int, clock: Callable[[], datetime],
                        every: timedelta = IDENTIFY_EVERY, poll_s: float = POLL_S) -> None:
    """Wait until this process may IDENTIFY a shard of ``bucket``: the lease taken here is kept
    for the whole pacing window, so no other process identifies in the same bucket within it."""
    name = f"discord-identify:{bucket}"
    while True:
        now = clock()
        if await leases.acquire(db, name, f"{holder_name()}:{now.timestamp()}", now,
                                now + every):
            return
        await asyncio.sleep(poll_s)
