"""The knowledge base as /check searches it: full-text candidates and the nearest claims in
meaning, fused into one ranking; the claims' vectors are kept in memory per database.

Claims and messages are both encoded by the encoder's integer graph (``encode_fast``,
``encode_question``): about 0.55 of the exact graph's CPU, for the same ranking (dev MAP@5 in
``docs/facts.md``). Stored vectors are tagged ``FAST_ENCODER_ID``; those by another encoder id
count as missing and are made again."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from parley.core.background import Background
from parley.core.factcheck import lexical as words
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
from parley.core.meaning import FAST_ENCODER_ID, EncoderUnavailable, encode_fast, encode_question
from parley.core.meaning.encoder import QuestionVector, clip, question_encoder
from parley.core.meaning.handoff import question_thread
from parley.core.meaning.model import Matrix, Vector
from parley.core.workers import machine_cores
from parley.store import claim_vectors
from parley.store.db import Database, StoreClosed, StoreError
from parley.store.factchecks import FactCheck

CANDIDATES = 50  # from each of full-text search and meaning
# A message is encoded up to this many tokens (its first sentences carry its claim): the
# encoder's CPU grows with them (≈ 0.5 ms each), and at the model's 128 a long message cost
# 60+ ms. Chosen on the CLEF 2020 train tweets as the shortest cap that loses nothing there
# (/check's ranker, MAP@5: 128 tokens 0.8991, 64: 0.8996, 48: 0.8980, 32: 0.8947; dev chose
# nothing), docs/benchmarks.md.
MESSAGE_TOKENS = 64
# At most this many new fact checks (a moderator's verdicts, the example pack) are embedded
# while a member waits; more than that (a big import) is embedded by `parley factcheck import`,
# and until it is, checks rank by words alone (the weights were chosen with every vector there).
FILL_ON_CHECK = 32
CHUNK = 64  # claims of like length embedded by one thread at a time
BATCH = 1024  # vectors stored in one transaction
MEMO = "knowledge-vectors"
REFRESH = "knowledge-vectors-refresh"
# Incomplete vectors are read again after this many seconds: another process (an import) may
# have made the rest by replacing rows in place, which the stamp does not see.
RETRY = 30.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Held:
    """The knowledge base's vectors as last read, and the stamp they were read at."""

    stamp: tuple[int, int]
    ids: npt.NDArray[np.int64]
    matrix: Matrix
    complete: bool = True  # False: too many missing to embed now, or no encoder installed
    made: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Ranked:
    """One fact check and its signals, best first in a ranking."""

    check: FactCheck
    score: float
    lexical: float
    meaning: float
    wording: float
    sure: float  # ``retrieval.sureness``: absolute, unlike the score


def message_text(text: str) -> str:
    """What is embedded of a member's message: cleaned (``retrieval.clean_message``), its runs
    of spaces (where a link was) made one; the vector is the same, and one text is one LRU key."""
    return " ".join(clean_message(text).split())


def encode_message(message: str) -> Vector | None:
    """``message`` (a ``message_text``) by the integer graph, its first ``MESSAGE_TOKENS``
    tokens (None when the encoder cannot load here); blocking CPU work, for a thread."""
    try:
        return encode_question(clip(message, MESSAGE_TOKENS))
    except EncoderUnavailable:
        return None


class MessageVector:
    """One message's encoding, made once a check in a thread and shared by every part of the
    check that ranks by it. Started at once when the message has words to search for (it
    overlaps the loop's reading of the message); otherwise the message has no checkable
    claim either (``retrieval.message_claims``), and it starts only if asked for. With the
    knowledge base's vectors as held when the check starts (``vectors``), the same thread
    scores them against the message right after encoding it: the ranking then needs no hop
    to another thread, and the loop never waits for the matrix product."""

    def __init__(self, text: str, vectors: Held | None = None) -> None:
        self.text = message_text(text)
        self._vectors = vectors
        self._cosines: npt.NDArray[np.float32] | None = None
        self._task: asyncio.Future[QuestionVector | None] | None = None
        if search_terms(self.text):
            self._start()

    def _start(self) -> asyncio.Future[QuestionVector | None]:
        if self._task is None:
            # the warm hand-off thread, not to_thread: that one is only asked once the loop
            # next runs the task, after the reading of the message it was meant to overlap
            self._task = asyncio.wrap_future(question_thread().submit(MessageVector._work, self))
        return self._task

    async def get(self) -> Vector | None:
        """The vector (None: no encoder here); a waiter cancelled leaves it to the others."""
        made = await self.pending()
        return None if made is None else made.vector

    def pending(self) -> asyncio.Future[QuestionVector | None]:
        """The vector to come, tagged with its graph (the whole integer graph's: the article
        search behind "The other side" ranks it with ``ENCODER_FUSION``), for a caller with work
        to do before it needs it (cancelling this leaves it to the others)."""
        return asyncio.shield(self._start())

    async def cosines(self, vectors: Held) -> npt.NDArray[np.float32] | None:
        """The message's cosine with every row of ``vectors``, made in the encoder's thread
        when these are the vectors it was given (None: it was given others, or none)."""
        await self.pending()
        return self._cosines if vectors is self._vectors else None

    def close(self) -> None:
        """Nobody will wait for it any more (the thread's result is dropped)."""
        if self._task is not None:
            self._task.cancel()

    def _work(self) -> QuestionVector | None:
        """The encoder thread's job: the vector, and its cosines with the vectors given (set
        before the vector is returned, so every waiter sees them)."""
        query = encode_message(self.text)
        if query is None:
            return None
        vectors = self._vectors
        if (vectors is not None and len(vectors.ids)
                and vectors.matrix.shape[1] == query.shape[0]):
            self._cosines = vectors.matrix @ query
        return QuestionVector(query, FAST_ENCODER_ID)


def claim_text(claim: str, title: str) -> str:
    """What is embedded of a fact check: its claim, or its headline when the claim is blank
    (the headline is searched by words; embedding it too would double the import's cost)."""
    return claim.strip() or title


def _pack(matrix: Matrix) -> list[bytes]:
    return [row.astype(np.float16).tobytes() for row in matrix]


async def fill(db: Database, limit: int | None = None, threads: int | None = None) -> int:
    """Embed (off the event loop) and store the vectors of fact checks stored without them;
    returns how many. An import calls this once for all it added: the claims, shortest first,
    go in chunks to ``threads`` threads at once (default: one a core; onnxruntime releases the
    GIL, so they run in parallel on the one shared session), and are stored a batch at a time
    as they come."""
    todo = await claim_vectors.missing(db, FAST_ENCODER_ID)
    if limit is not None:
        todo = todo[-limit:]
    texts = {i: claim_text(c, t) for i, c, t in todo}
    order = sorted(texts, key=lambda i: (len(texts[i]), i))  # like lengths share a batch
    chunks = [order[start:start + CHUNK] for start in range(0, len(order), CHUNK)]
    running = asyncio.Semaphore(threads or machine_cores())

    async def embed(chunk: list[int]) -> tuple[list[int], Matrix]:
        async with running:
            return chunk, await asyncio.to_thread(encode_fast, [texts[i] for i in chunk])

    ids: list[int] = []
    parts: list[Matrix] = []
    for made in asyncio.as_completed([embed(c) for c in chunks]):
        chunk, vectors = await made
        ids += chunk
        parts.append(vectors)
        if len(ids) >= BATCH:
            await store(db, ids, np.vstack(parts))
            ids, parts = [], []
    if ids:
        await store(db, ids, np.vstack(parts))
    return len(todo)


async def store(db: Database, ids: Sequence[int], vectors: Matrix) -> None:
    """Store these fact checks' vectors by ``encode_fast`` (as float16), in one transaction."""
    await claim_vectors.save(db, FAST_ENCODER_ID, zip(ids, _pack(vectors), strict=True))


async def ready(db: Database) -> Held | None:
    """Bring the held vectors up to date now: load the encoder, embed the few fact checks
    added without vectors (or all of them, when the stored ones are by an older encoder), read
    the matrix (in threads: nothing of it runs on the loop)."""
    memo = db.memos.memo(MEMO, 1)
    try:
        await asyncio.to_thread(question_encoder)
        todo = len(await claim_vectors.missing(db, FAST_ENCODER_ID))
        complete = todo <= FILL_ON_CHECK
        if todo and complete:
            await fill(db)
        elif todo and await claim_vectors.stale(db, FAST_ENCODER_ID):
            # Vectors by an older encoder (an upgrade): nobody else will remake them, so this
            # background refresh does, on one thread (the other cores keep serving), about a
            # minute of CPU for 10,000 claims; meanwhile checks rank by words.
            await fill(db, threads=1)
            complete = True
    except EncoderUnavailable:
        complete = False
    await words.ready(db)
    stamp = await claim_vectors.stamp(db)  # after filling: what the store now holds
    if not complete:
        value = Held(stamp, np.zeros(0, dtype=np.int64), np.zeros((0, 1), dtype=np.float32),
                     complete=False)
    else:
        rows = await claim_vectors.load(db, FAST_ENCODER_ID)
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


async def held(db: Database, background: Background | None = None) -> Held | None:
    """The knowledge base's vectors as held; when fact checks were added since, or on the
    first check, they are brought up to date in the background (loading the encoder and
    embedding new checks takes seconds on a busy machine) and this check ranks with what is
    held, or by words alone. None: no vectors to use yet. The refresh runs as a task of
    ``background`` (the services', cancelled before the store closes) when given."""
    memo = db.memos.memo(MEMO, 1)
    kept: Held | None = memo.get(MEMO)
    if (kept is None or kept.stamp != await claim_vectors.stamp(db)
            or (not kept.complete and time.monotonic() - kept.made > RETRY)):
        running: asyncio.Task[Held | None] | None = db.memos.memo(REFRESH, 1).get(REFRESH)
        if running is None or running.done():
            task = (background.spawn(_refresh(db)) if background is not None
                    else asyncio.get_running_loop().create_task(_refresh(db)))
            db.memos.memo(REFRESH, 1).put(REFRESH, task)
    return kept if kept is not None and kept.complete else None


async def _refresh(db: Database) -> Held | None:
    try:
        return await ready(db)
    except StoreClosed:  # Parley is stopping: the next start refreshes them
        return None
    except StoreError:  # busy meanwhile: the next check tries again
        log.warning("knowledge vectors not refreshed", exc_info=True)
        return None


def nearest(vectors: Held, query: npt.NDArray[np.float32] | None, k: int,
            also: Sequence[int] = (), cosines: npt.NDArray[np.float32] | None = None
            ) -> dict[int, float]:
    """The ``k`` fact checks nearest ``query`` in meaning, with their cosines, and the cosines
    of the fact checks ``also`` (held ones), from the one matrix product (``cosines``: that
    product, when made already)."""
    if cosines is None:
        if query is None or not len(vectors.ids) or vectors.matrix.shape[1] != query.shape[0]:
            return {}
        cosines = vectors.matrix @ query
    if not len(cosines):
        return {}
    k = min(k, len(cosines))
    top = np.argpartition(-cosines, k - 1)[:k]
    out = {int(vectors.ids[i]): float(cosines[i]) for i in top}
    wanted = np.asarray(also, dtype=np.int64)
    rows = np.minimum(np.searchsorted(vectors.ids, wanted), len(vectors.ids) - 1)
    for check_id, row in zip(wanted.tolist(), rows.tolist(), strict=True):
        if check_id not in out and vectors.ids[row] == check_id:
            out[check_id] = float(cosines[row])
    return out


def held_now(db: Database) -> Held | None:
    """The knowledge base's vectors as held right now, without asking the store whether they
    are current (:func:`held` does): what a check hands its encoding to score."""
    kept: Held | None = db.memos.memo(MEMO, 1).get(MEMO)
    return kept if kept is not None and kept.complete else None


async def rank(db: Database, text: str, weights: Weights = WEIGHTS,
               depth: int = CANDIDATES, fusion: Fusion | None = FUSION,
               limit: int | None = None, background: Background | None = None,
               encoded: MessageVector | None = None) -> list[Ranked]:
    """The fact checks closest to ``text`` (a member's message), best first, the ``limit``
    best (default: every candidate). With the vectors held, by ``fusion`` of the full-text
    and the meaning orders (ids only: the fact checks are read for the best alone);
    otherwise, or with ``fusion`` None, by the weighted mean of the signals. A refresh of the
    held vectors it starts is a task of ``background`` when given. ``encoded``: the message's
    encoding as the caller shares it (else it is encoded here)."""
    message = clean_message(text)
    found = await words.ranked(db, search_terms(message), depth, background)
    top = found[0][1] if found else 0.0
    lexical = {i: (r / top if top > 0 else 0.0) for i, r in found}
    vectors = (await held(db, background) if weights.meaning > 0 or fusion is not None
               else None)
    near: dict[int, float] = {}
    if vectors is not None:
        cosines = None if encoded is None else await encoded.cosines(vectors)
        if cosines is not None:  # the product is made: what is left is microseconds
            near = nearest(vectors, None, depth, list(lexical), cosines)
        else:
            query = None if encoded is None else await encoded.get()
            near = await asyncio.to_thread(_near, vectors, message, depth, list(lexical), query)
    if vectors is None or fusion is None:
        return await _weighted(db, message, lexical, near, weights, vectors is not None, limit)
    fused = reciprocal_rank(sorted(lexical, key=lambda i: (-lexical[i], i)),
                            sorted(near, key=lambda i: (-near[i], i)), fusion)
    best = sorted(fused, key=lambda i: (-fused[i], i))
    checks: dict[int, FactCheck] = {}
    step = limit or max(len(best), 1)
    for start in range(0, len(best), step):  # on past deleted ones, if any
        checks.update(await claim_vectors.checks(db, best[start:start + step]))
        if limit is None or len(checks) >= limit:
            break
    out = []
    for check_id in best:
        check = checks.get(check_id)
        if check is None:
            continue
        said = wording(message, check.review.claim_reviewed, check.review.title)
        out.append(Ranked(check, fused[check_id], lexical.get(check_id, 0.0),
                          near.get(check_id, 0.0), said, sureness(near.get(check_id), said)))
    return out[:limit]


def _near(vectors: Held, message: str, depth: int, lexical: list[int],
          query: Vector | None = None) -> dict[int, float]:
    """The message's cosines: the ``depth`` nearest claims, and every full-text candidate
    (in a thread: the matrix product is milliseconds); the message is encoded here unless
    its vector ``query`` is given (``message`` is cleaned: the same text as ``message_text``)."""
    if query is None:
        query = encode_message(" ".join(message.split()))
    if query is None:
        return {}
    return nearest(vectors, query, depth, lexical)


async def _weighted(db: Database, message: str, lexical: dict[int, float],
                    near: dict[int, float], weights: Weights, with_vectors: bool,
                    limit: int | None) -> list[Ranked]:
    checks = await claim_vectors.checks(db, list(dict.fromkeys([*lexical, *near])))
    used = weights if with_vectors else weights._replace(meaning=0.0)
    out = []
    for check_id, check in checks.items():
        said = wording(message, check.review.claim_reviewed, check.review.title)
        cosine = near.get(check_id)  # None: no vector held for it (yet)
        lex = lexical.get(check_id, 0.0)
        out.append(Ranked(check, fuse(lex, cosine or 0.0, said, used), lex, cosine or 0.0,
                          said, sureness(cosine, said)))
    out.sort(key=lambda r: (-r.score, r.check.id))
    return out[:limit]
