"""The activity digests report (commands used, questions asked), written in batches off the
reply path by one writer task, flushed at shutdown.

A reply never waits for this write. What a hard kill (SIGKILL, power loss) can cost: the
activity noted in the last ``FLUSH_AFTER_S`` seconds, at most ``BOUND`` rows, which only the
"Activity" part of later digests would have counted. Nothing else is queued here.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from datetime import datetime

from parley.core.models import Request
from parley.core.soon import SoonWriter
from parley.store import digests
from parley.store.db import Database

log = logging.getLogger("parley.core")
FLUSH_AFTER_S = 0.5  # the longest a noted command waits to be written
BATCH = 500  # rows a transaction; a full batch is written at once
BOUND = 10_000  # rows held at most; past it the oldest are dropped (and counted)


class ActivityLog:
    """Notes commands in memory; a writer task stores them in one transaction a batch."""

    def __init__(self, db: Database, flush_after_s: float = FLUSH_AFTER_S, batch: int = BATCH,
                 bound: int = BOUND) -> None:
        self.db, self.batch = db, batch
        self._pending: deque[digests.ActivityRow] = deque(maxlen=bound)
        self._writer = SoonWriter(self.flush, flush_after_s)
        self._lock = asyncio.Lock()
        self.dropped = 0

    def note(self, request: Request, command: str, question: str, at: datetime) -> None:
        """Remember one command; never waits, never fails the reply."""
        if len(self._pending) == self._pending.maxlen:
            self.dropped += 1
        self._pending.append((request.platform, request.workspace, request.channel, command,
                              question, at.isoformat()))
        self._writer.wanted(full=len(self._pending) >= self.batch)

    async def flush(self) -> None:
        """Store everything noted so far (a digest about to be composed calls this first)."""
        async with self._lock:
            if self.dropped:
                log.warning("activity dropped: the writer fell behind",
                            extra={"rows": self.dropped})
                self.dropped = 0
            while self._pending:
                rows = [self._pending.popleft() for _ in range(min(self.batch,
                                                                   len(self._pending)))]
                try:
                    await digests.record_activities(self.db, rows)
                except Exception:
                    log.warning("activity not recorded", extra={"rows": len(rows)},
                                exc_info=True)

    async def close(self) -> None:
        """At shutdown: write what is queued now rather than after the quiet moment."""
        await self._writer.close()
