"""Refitting the bridging scores after ratings: debounced, in a worker process, never in a reply."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from parley.core.counterpoints.bridging import Rating, fit
from parley.core.workers import Workers
from parley.store import counterpoints
from parley.store.db import Database

log = logging.getLogger("parley.bridging")
DEBOUNCE_S = 2.0


async def refit_now(db: Database, workers: Workers, at: datetime, helpful_intercept: float
                    ) -> int:
    """Fit every rating in the store and save the scores; returns how many notes were scored."""
    ratings = [Rating(rater, note, value) for rater, note, value in
               await counterpoints.all_ratings(db)]
    scores = await workers.run(fit, ratings, helpful_intercept)
    await counterpoints.save_scores(
        db, [(s.note, s.intercept, s.factor, s.ratings, s.status) for s in scores.values()], at)
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
                await refit_now(self.db, self.workers, self.clock(), self.helpful_intercept)
            except Exception:
                log.exception("bridging refit failed")

    async def flush(self) -> None:
        """At shutdown: skip the quiet moment, and let a refit already running finish (a
        cancelled one would leave the latest ratings unscored until the next rating)."""
        self._hurry.set()
        if self._task is not None and not self._task.done():
            await self._task
