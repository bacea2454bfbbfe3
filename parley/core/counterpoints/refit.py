"""Refitting the bridging scores after ratings: debounced, in a worker process, never in a
reply, and single-flight across processes (one refit at a time holds the ``bridging-refit``
lease)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from parley.core.cluster import alone
from parley.core.counterpoints.bridging import Rating, fit_with_raters
from parley.core.workers import Workers
from parley.store import counterpoints
from parley.store.db import Database

log = logging.getLogger("parley.bridging")
DEBOUNCE_S = 2.0
LEASE = "bridging-refit"
LEASE_FOR = timedelta(minutes=2)  # longer than any fit; a killed refitter blocks no longer


async def refit_now(db: Database, workers: Workers, at: datetime, helpful_intercept: float
                    ) -> int:
    """Fit every rating in the store and save the scores; returns how many notes were scored."""
    ratings = [Rating(rater, note, value) for rater, note, value in
               await counterpoints.all_ratings(db)]
    scores, factors = await workers.run(fit_with_raters, ratings, helpful_intercept)
    await counterpoints.save_scores(
        db, [(s.note, s.intercept, s.factor, s.ratings, s.status) for s in scores.values()], at)
    await counterpoints.save_rater_factors(db, factors, at)
    log.info("bridging refit", extra={"notes": len(scores), "ratings": len(ratings)})
    return len(scores)


class Refitter:
    """Coalesces many ``request()`` calls into one refit after a quiet moment."""

    def __init__(self, db: Database, workers: Workers, clock: Callable[[], datetime],
                 helpful_intercept: float, delay: float = DEBOUNCE_S) -> None:
        self.db, self.workers, self.clock, self.delay = db, workers, clock, delay
        self.helpful_intercept = helpful_intercept
        self._task: asyncio.Task[None] | None = None
        self._pending = False
        self._hurry = asyncio.Event()

    def request(self) -> None:
        """Ask for a refit soon; repeated requests within the delay run one refit."""
        self._pending = True
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while self._pending:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._hurry.wait(), self.delay)
            self._pending = False
            try:
                if not await self._refit_alone():
                    # another process is refitting: refit again after it, so this process's
                    # latest ratings are in (unless shutting down: the next rating will be)
                    self._pending = not self._hurry.is_set()
            except Exception:
                log.exception("bridging refit failed")

    async def _refit_alone(self) -> bool:
        """Refit while holding the lease; False if another process holds it."""
        async with alone(self.db, LEASE, self.clock, LEASE_FOR) as mine:
            if mine:
                await refit_now(self.db, self.workers, self.clock(), self.helpful_intercept)
            return mine

    async def flush(self) -> None:
        """At shutdown: skip the quiet moment, and let a refit already running finish (a
        cancelled one would leave the latest ratings unscored until the next rating)."""
        self._hurry.set()
        if self._task is not None and not self._task.done():
            await self._task
