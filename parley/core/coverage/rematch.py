"""Matching an article's coverage again once the sentence encoder's vectors have arrived.

At ingestion coverage is matched with the static model's vectors (milliseconds); the encoder's
are made later, in the worker pool (``core/ingest/encodings.py``). When an article's arrive,
its pairs with its candidates are matched again, each pair with the encoder where both articles
have been encoded (else the static vectors, until the other's arrive and it is matched again).
The static matches answer until then; /counterpoint only ever reads the stored matches."""

from __future__ import annotations

import asyncio
import logging

from parley.core.coverage.index import candidates_for, compared, links_between
from parley.core.coverage.profile import ENCODED_VERSION, PROFILE_VERSION, with_encodings
from parley.core.drain import drain, stopped
from parley.core.meaning import ENCODER_ID
from parley.core.meaning.vectors import unpack_encodings
from parley.core.workers import Workers
from parley.store import coverage as coverage_store
from parley.store.db import Database

log = logging.getLogger("parley.coverage")
IDLE_S = 5.0  # how often to look for articles whose encodings have arrived
BATCH = 20


async def rematch(db: Database, article_id: str, workers: Workers | None = None,
                  encoded: bool = True) -> int | None:
    """Match one article's coverage again with the encoder's vectors (CPU work in the worker
    pool, or a thread without one); how many passages were matched, None when the article has
    no profile or no encodings (yet). ``encoded=False`` matches again with the static vectors
    alone (benchmarks compare the two)."""
    profile = (await coverage_store.profiles(db, [article_id])).get(article_id)
    if profile is None:
        return None
    others = await candidates_for(db, article_id, profile)
    if encoded:
        packed = await coverage_store.encodings_for(db, [article_id, *others], ENCODER_ID)
        matrices = {k: unpack_encodings(data, rows) for k, (rows, data) in packed.items()}
        profile = with_encodings(profile, matrices.get(article_id))
        if profile.encodings is None:  # none that fit its sentences: nothing better will come
            async with db.transaction() as conn:
                await coverage_store.set_version_in(conn, article_id, ENCODED_VERSION)
            return None
        others = {k: with_encodings(v, matrices.get(k)) for k, v in others.items()}
    if workers is not None:
        links, matches = await workers.run(links_between, article_id, profile, others)
    else:
        links, matches = await asyncio.to_thread(links_between, article_id, profile, others)
    async with db.transaction() as conn:
        await coverage_store.clear_pairs_in(conn, article_id,
                                            [o for _, o, _ in compared(profile, others)])
        await coverage_store.save_links_in(conn, links, matches)
        await coverage_store.set_version_in(conn, article_id,
                                            ENCODED_VERSION if encoded else PROFILE_VERSION)
    return len(matches)


async def rematch_pending(db: Database, workers: Workers | None = None,
                          stop: asyncio.Event | None = None) -> list[str]:
    """Match again every article whose encodings arrived since it was matched; the ids done."""
    done = await drain(lambda: coverage_store.to_rematch(db, PROFILE_VERSION, ENCODER_ID, BATCH),
                       lambda article_id: rematch(db, article_id, workers), stop)
    if done:
        log.info("coverage matched with the encoder", extra={"articles": len(done)})
    return done


async def rematch_forever(db: Database, workers: Workers, stop: asyncio.Event,
                          idle_s: float = IDLE_S) -> None:
    """``parley run``'s background task beside the encoder's: match again what it encoded."""
    while not stop.is_set():
        try:
            await rematch_pending(db, workers, stop)
        except Exception:  # a busy store, a worker cut off at shutdown: try again later
            log.exception("coverage re-matching failed; will retry")
        if await stopped(stop, idle_s):
            return
