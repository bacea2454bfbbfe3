"""The knowledge base as /check searches it: full-text candidates and the nearest claims in
meaning, fused into one ranking; the claims' vectors are kept in memory per database."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from parley.core.factcheck.retrieval import (
    FUSION,
    WEIGHTS,
    Fusion,
    Weights,
    clean_message,
    fuse,
    reciprocal_rank,
    search_terms,
    sureness,
    wording,
)
from parley.core.meaning import ENCODER_ID, EncoderUnavailable, encode, encode_one
from parley.core.meaning.encoder import encoder
from parley.store import claim_vectors, search
from parley.store.db import Database, StoreError
from parley.store.factchecks import FactCheck

CANDIDATES = 50  # from each of full-text search and meaning
# At most this many new fact checks (a moderator's verdicts, the example pack) are embedded
# while a member waits; more than that (a big import) is embedded by `parley factcheck import`,
# and until it is, checks rank by words alone (the weights were chosen with every vector there).
FILL_ON_CHECK = 32
BATCH = 256  # claims embedded, then stored, at a time
MEMO = "knowledge-vectors"
REFRESH = "knowledge-vectors-refresh"
log = logging.getLogger(__name__)
Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Held:
    """The knowledge base's vectors as last read, and the stamp they were read at."""

    stamp: tuple[int, int]
    ids: npt.NDArray[np.int64]
    matrix: Matrix
    complete: bool = True  # False: too many missing to embed now, or no encoder installed


@dataclass(frozen=True)
class Ranked:
    """One fact check and its signals, best first in a ranking."""

    check: FactCheck
    score: float
    lexical: float
    meaning: float
    wording: float
    sure: float  # ``retrieval.sureness``: absolute, unlike the score


def claim_text(claim: str, title: str) -> str:
    """What is embedded of a fact check: its claim, or its headline when the claim is blank
    (the headline is searched by words; embedding it too would double the import's cost)."""
    return claim.strip() or title


def _pack(matrix: Matrix) -> list[bytes]:
    return [row.astype(np.float16).tobytes() for row in matrix]


async def fill(db: Database, limit: int | None = None) -> int:
    """Embed (off the event loop) and store the vectors of fact checks stored without them;
    returns how many. An import calls this once for all it added."""
    todo = await claim_vectors.missing(db, ENCODER_ID)
    if limit is not None:
        todo = todo[-limit:]
    for start in range(0, len(todo), BATCH):
        part = todo[start:start + BATCH]
        vectors = await asyncio.to_thread(encode, [claim_text(c, t) for _, c, t in part])
        await store(db, [i for i, _, _ in part], vectors)
    return len(todo)


async def store(db: Database, ids: Sequence[int], vectors: Matrix) -> None:
    """Store the encoder's vectors of these fact checks (as float16), in one transaction."""
    await claim_vectors.save(db, ENCODER_ID, zip(ids, _pack(vectors), strict=True))


async def ready(db: Database) -> Held | None:
    """Bring the held vectors up to date now: load the encoder, embed the few fact checks
    added without vectors, read the matrix (in threads: nothing of it runs on the loop)."""
    memo = db.memos.memo(MEMO, 1)
    try:
        await asyncio.to_thread(encoder)
        todo = len(await claim_vectors.missing(db, ENCODER_ID))
        complete = todo <= FILL_ON_CHECK
        if todo and complete:
            await fill(db)
    except EncoderUnavailable:
        complete = False
    stamp = await claim_vectors.stamp(db)  # after filling: what the store now holds
    if not complete:
        value = Held(stamp, np.zeros(0, dtype=np.int64), np.zeros((0, 1), dtype=np.float32),
                     complete=False)
    else:
        rows = await claim_vectors.load(db, ENCODER_ID)
        matrix = await asyncio.to_thread(_matrix, [v for _, v in rows])
        value = Held(stamp, np.fromiter((i for i, _ in rows), dtype=np.int64,
                                        count=len(rows)), matrix)
    memo.put(MEMO, value)
    return value if value.complete else None


def _matrix(packed: list[bytes]) -> Matrix:
    if not packed:
        return np.zeros((0, 1), dtype=np.float32)
    flat = np.frombuffer(b"".join(packed), dtype=np.float16)
    return flat.reshape(len(packed), -1).astype(np.float32)


async def held(db: Database) -> Held | None:
    """The knowledge base's vectors as held; when fact checks were added since, or on the
    first check, they are brought up to date in the background (loading the encoder and
    embedding new checks takes seconds on a busy machine) and this check ranks with what is
    held, or by words alone. None: no vectors to use yet."""
    memo = db.memos.memo(MEMO, 1)
    kept: Held | None = memo.get(MEMO)
    if kept is None or kept.stamp != await claim_vectors.stamp(db):
        running: asyncio.Task[Held | None] | None = db.memos.memo(REFRESH, 1).get(REFRESH)
        if running is None or running.done():
            task = asyncio.get_running_loop().create_task(_refresh(db))
            db.memos.memo(REFRESH, 1).put(REFRESH, task)
    return kept if kept is not None and kept.complete else None


async def _refresh(db: Database) -> Held | None:
    try:
        return await ready(db)
    except StoreError:  # closed or busy meanwhile: the next check tries again
        log.warning("knowledge vectors not refreshed", exc_info=True)
        return None


def nearest(vectors: Held, query: npt.NDArray[np.float32], k: int) -> dict[int, float]:
    """The ``k`` fact checks nearest ``query`` in meaning, with their cosines."""
    if not len(vectors.ids) or vectors.matrix.shape[1] != query.shape[0]:
        return {}
    cosines = vectors.matrix @ query
    k = min(k, len(cosines))
    top = np.argpartition(-cosines, k - 1)[:k]
    return {int(vectors.ids[i]): float(cosines[i]) for i in top}


async def rank(db: Database, text: str, weights: Weights = WEIGHTS,
               depth: int = CANDIDATES, fusion: Fusion | None = FUSION) -> list[Ranked]:
    """The fact checks closest to ``text`` (a member's message), best first: with the vectors
    held, by ``fusion`` of the full-text and the meaning orders; otherwise (or with ``fusion``
    None) by the weighted mean of the signals."""
    message = clean_message(text)
    found = await search.knowledge_matches(db, search_terms(message), depth)
    top = found[0][1] if found else 0.0
    lexical = {c.id: (r / top if top > 0 else 0.0) for c, r in found}
    checks = {c.id: c for c, _ in found}
    near: dict[int, float] = {}
    vectors = await held(db) if weights.meaning > 0 or fusion is not None else None
    if vectors is not None:
        query = await asyncio.to_thread(encode_one, message)
        near = nearest(vectors, query, depth)
        if lexical:  # a full-text candidate's cosine, when it was not among the nearest
            extra = [i for i in lexical if i not in near]
            near.update(_cosines(vectors, query, extra))
        checks.update(await claim_vectors.checks(db, [i for i in near if i not in checks]))
    fused = None if vectors is None or fusion is None else reciprocal_rank(
        sorted(lexical, key=lambda i: (-lexical[i], i)),
        sorted((i for i in near if i in checks), key=lambda i: (-near[i], i)), fusion)
    out = []
    for check_id, check in checks.items():
        said = wording(message, check.review.claim_reviewed, check.review.title)
        cosine = near.get(check_id)  # None: no vector held for it (yet)
        meaning = cosine or 0.0
        lex = lexical.get(check_id, 0.0)
        used = weights if vectors is not None else weights._replace(meaning=0.0)
        score = fused.get(check_id, 0.0) if fused is not None else fuse(lex, meaning, said, used)
        out.append(Ranked(check, score, lex, meaning, said, sureness(cosine, said)))
    out.sort(key=lambda r: (-r.score, r.check.id))
    return out


def _cosines(vectors: Held, query: npt.NDArray[np.float32], ids: Sequence[int]
             ) -> dict[int, float]:
    rows = np.searchsorted(vectors.ids, np.asarray(ids, dtype=np.int64))
    out = {}
    for check_id, row in zip(ids, rows, strict=True):
        if row < len(vectors.ids) and vectors.ids[row] == check_id:
            out[check_id] = float(vectors.matrix[row] @ query)
    return out
