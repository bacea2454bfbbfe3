"""Platform requests already handled, checked in memory and stored in batches, so that no
answer (and no Slack ack) waits for a store write.

Requests only this process can be sent again (Discord interactions, which a gateway replays only
to the session that missed them): the keys recorded by earlier processes are read once, at the
first check, so a restart still runs a redelivery once. Requests another process may be sent
(``shared``: a Slack request behind a load balancer) are also looked up in the store on a miss
in memory (one primary-key probe on the read connection), so a replay that reaches another
process is dropped there too, unless it arrives within ``FLUSH_AFTER_S`` of the first delivery
(before the batch holding its key is stored): only then can it run twice.

What a hard kill (SIGKILL, power loss) can cost: the keys of the last ``FLUSH_AFTER_S`` seconds
are not stored, so a process started after it would run such a request again if it were sent
one (Discord sends an interaction to one gateway session, which a new process never resumes;
Slack does not retry slash commands or button presses, so only a deliberate replay could).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from parley.core.soon import SoonWriter
from parley.store import handled
from parley.store.db import Database, StoreError

log = logging.getLogger("parley.core")
FLUSH_AFTER_S = 0.5  # the longest a new key waits to be stored
BATCH = 500  # keys a transaction; a full batch is written at once
BOUND = 200_000  # keys held in memory at most (the oldest go first)
PRUNE_EVERY_S = 60.0  # how often keys older than the window are removed from the store


class Delivered:
    """The keys (sharing one prefix, such as ``discord:``) seen within ``keep_s`` seconds."""

    def __init__(self, db: Database, prefix: str, keep_s: float,
                 clock: Callable[[], float] = time.time, flush_after_s: float = FLUSH_AFTER_S,
                 bound: int = BOUND, shared: bool = False) -> None:
        self.db, self.prefix, self.keep_s, self.shared = db, prefix, keep_s, shared
        self.clock, self.bound = clock, bound
        self._seen: OrderedDict[str, float] = OrderedDict()  # key → when, oldest first
        self._pending: list[tuple[str, float]] = []
        self._loaded = False
        self._load_lock = asyncio.Lock()
        self._writer = SoonWriter(self.flush, flush_after_s)
        self._pruned_at = 0.0

    async def first(self, key: str) -> bool:
        """False when ``key`` was seen within the window (here, or by an earlier process)."""
        if not self._loaded and not self.shared:
            await self._load()
        now = self.clock()
        self._forget_before(now - self.keep_s)
        if key in self._seen:
            return False
        self._seen[key] = now  # before the store is asked: a copy arriving meanwhile is dropped
        if len(self._seen) > self.bound:
            self._seen.popitem(last=False)
        if self.shared and await self._stored(key, now - self.keep_s):
            return False  # another process handled it (and stored it already)
        self._pending.append((key, now))
        self._writer.wanted(full=len(self._pending) >= BATCH)
        return True

    async def _stored(self, key: str, since: float) -> bool:
        try:
            return await handled.seen_since(self.db, key, since)
        except StoreError as exc:  # better to answer a replay twice than not at all
            log.warning("request not deduplicated", extra={"error": type(exc).__name__})
            return False

    def _forget_before(self, oldest: float) -> None:
        while self._seen:
            key, when = next(iter(self._seen.items()))
            if when >= oldest:
                return
            del self._seen[key]

    async def _load(self) -> None:
        async with self._load_lock:
            if self._loaded:
                return
            try:
                for key, when in await handled.recent(self.db, self.prefix,
                                                      self.clock() - self.keep_s):
                    self._seen[key] = when
            except StoreError as exc:  # better to answer a redelivery twice than not at all
                log.warning("requests handled before the start not read",
                            extra={"error": type(exc).__name__})
            self._loaded = True

    async def flush(self) -> None:
        """Store the keys seen since the last flush (and forget the store's old ones)."""
        rows, self._pending = self._pending, []
        try:
            for start in range(0, len(rows), BATCH):
                await handled.record_many(self.db, rows[start:start + BATCH])
            now = self.clock()
            if now - self._pruned_at > PRUNE_EVERY_S:
                self._pruned_at = now
                await handled.prune(self.db, now - self.keep_s, self.prefix)
        except StoreError as exc:  # the keys stay known in memory: only a restart forgets them
            log.warning("handled requests not stored", extra={"error": type(exc).__name__,
                                                              "rows": len(rows)})

    async def close(self) -> None:
        """At shutdown: store what is waiting now."""
        await self._writer.close()
