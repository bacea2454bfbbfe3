"""The encoder's sentence vectors, made after an article is stored and answerable.

Ingestion stores the static model's vectors with the article (milliseconds); the encoder costs
about 20 ms a sentence, so its vectors are made afterwards, one article at a time in the worker
pool, newest article first. Until they arrive, /fact answers with the lexical ranker and the
static model."""

from __future__ import annotations

import asyncio
import logging

import numpy as np

from parley.core.drain import drain, stopped
from parley.core.meaning import ENCODER_DIMS, ENCODER_ID, EncoderUnavailable, encode
from parley.core.meaning.vectors import pack_encodings
from parley.core.workers import Workers
from parley.store import articles as article_store
from parley.store import meaning as meaning_store
from parley.store.db import Database

log = logging.getLogger("parley.ingest")

START_DELAY_S = 10.0  # start-up first: the encoder loads only once Parley is serving
IDLE_S = 5.0  # how often to look for articles stored since
PIECE = 48


async def encode_article(db: Database, workers: Workers, article_id: str) -> bool:
    """Encode one stored article's sentences (in a worker) and store them; False if it is gone.

    Sent in pieces of ``PIECE`` sentences (about a second each), so an article being ingested
    meanwhile waits for a worker at most that long, not for a whole long article's encoding."""
    texts = [s.text for s in await article_store.sentences(db, article_id)]
    pieces = [await workers.run(encode, texts[i:i + PIECE]) for i in range(0, len(texts), PIECE)]
    matrix = np.concatenate(pieces) if pieces else np.zeros((0, ENCODER_DIMS), np.float32)
    return await meaning_store.save_encodings(db, article_id, ENCODER_ID, len(texts),
                                              pack_encodings(matrix))


async def encode_stored(db: Database, workers: Workers, stop: asyncio.Event | None = None,
                        batch: int = 20) -> list[str]:
    """Encode every article not yet encoded by this encoder, newest first, until none is left
    (or ``stop`` is set); the ids done."""
    done = await drain(lambda: meaning_store.articles_unencoded(db, ENCODER_ID, batch),
                       lambda article_id: encode_article(db, workers, article_id), stop)
    if done:
        log.info("encoded", extra={"articles": len(done), "model": ENCODER_ID})
    return done


async def encode_forever(db: Database, workers: Workers, stop: asyncio.Event,
                         start_delay_s: float = START_DELAY_S, idle_s: float = IDLE_S) -> None:
    """``parley run``'s background task: encode what is stored, then what arrives, until stop."""
    if await stopped(stop, start_delay_s):
        return
    while not stop.is_set():
        try:
            await encode_stored(db, workers, stop)
        except EncoderUnavailable as error:
            log.warning("sentence encoder unavailable; /fact uses the static model",
                        extra={"error": str(error)})
            return
        except Exception:  # a busy store, a worker cut off at shutdown: try again later
            log.exception("encoding failed; will retry")
        if await stopped(stop, idle_s):
            return

