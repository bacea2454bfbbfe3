"""``/fact``'s engine: find the article's sentences that hold the question's terms (in a cached
per-article index, so the cost follows the article's size, not the store's), rank them, and
attach each claim's check status; then the fact-check knowledge base (FTS5)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from parley.core.analysis.quotations import speakers_by_sentence
from parley.core.analysis.tokens import STOPWORDS, words
from parley.core.factcheck.verdicts import CheckStatus
from parley.core.lru import LRU
from parley.core.meaning import ENCODER_ID, MODEL_ID, EncoderUnavailable, embed
from parley.core.meaning.encoder import (
    QuestionVector,
    encode_fact_question,
    remembered_fact_question,
)
from parley.core.meaning.handoff import question_thread
from parley.core.meaning.model import Matrix, Vector
from parley.core.meaning.vectors import unpack, unpack_encodings
from parley.core.search.query import (
    Query,
    WordsByLength,
    build_query,
    by_length,
    with_neighbours,
)
from parley.core.search.rank import (
    ENCODER_FUSION,
    FACT_FUSION,
    FUSION,
    STRONG_COVERAGE,
    Fusion,
    SentenceFeatures,
    answers,
    answers_type,
    combined,
    concept_weights,
    fused,
    fusion_of,
    idf_table,
    missing_names,
    score,
    sentence_features,
)
from parley.core.search.scoring import TermSets, length_norms, lexical_positions, scores, term_sets
from parley.store import analysis as analysis_store
from parley.store import articles as article_store
from parley.store import factchecks, search
from parley.store import meaning as meaning_store
from parley.store.analysis import StoredClaim, StoredView
from parley.store.db import Database
from parley.store.factchecks import FactCheck
from parley.store.memo import Memo

HITS = 8
CANDIDATES = 200
_CACHE_SIZE = 256
NEIGHBOUR = 0.7  # the cosine at which an article's word stands in for an asked one
NEIGHBOURS = 3  # at most this many for each asked word
INDEX_MEMO = "search.article_index"
ANSWERS = 8  # each article remembers its last answers (ranked sentences) to this many questions
# (about 15 KB each: at most ~30 MB over the 256 indexes the memo keeps)
CORRECTIONS = 128  # each article remembers whether this many asked words not its own are typos
# of its words (about 160 bytes each: at most ~5 MB over the 256 indexes the memo keeps)

# A question's encoding as a caller may give it: made, under way, or not at all; it names its
# graph, which picks the fusion (``rank.fusion_of``).
Encoded: TypeAlias = "QuestionVector | asyncio.Future[QuestionVector | None] | None"
Meanwhile: TypeAlias = Callable[[Query], Awaitable[None]]


class Hit(BaseModel):
    """One answer candidate, in the shape ``data.hits`` promises."""

    id: str
    text: str
    kind: str  # "claim", "sentence" or "factcheck"
    section: int | None = None
    score: float
    coverage: float
    status: CheckStatus = "unverified"
    explanation: str = ""
    sources: list[str] = Field(default_factory=list)
    matched: bool = False
    checked_by: str = ""
    similarity: float = 0.0  # the meaning's cosine with the question
    encoded: float | None = None  # the encoder's cosine, when the article has been encoded
    quoted: bool = False  # inside someone's quotation of several sentences: their words
    speaker: str | None = None  # whose, where the article names them beside it


@dataclass(frozen=True)
class ArticleIndex:
    """What lookups need about an article, computed once."""

    vocabulary: frozenset[str]
    lengths: WordsByLength  # ``vocabulary`` by word length, for the typo search
    idf: dict[str, float]
    published: date | None
    sentences: tuple[tuple[str, int, str], ...]  # (id, section, text) in reading order
    postings: dict[str, frozenset[int]]  # stem → positions in ``sentences`` that have it
    features: tuple[SentenceFeatures, ...]  # each sentence's, by position (reading order)
    avg_length: float
    claims: dict[str, tuple[str, float]]  # sentence id → (claim id, claim score)
    headings: tuple[str, ...]
    claim_list: tuple[StoredClaim, ...]  # best first
    stamp: str  # the article's analysis stamp when this was built
    views: tuple[StoredView, ...]  # the opposing views the article mentions, in reading order
    vectors: Matrix  # each sentence's meaning (unit rows, reading order)
    lexicon: tuple[str, ...]  # the article's content words …
    lexicon_vectors: Matrix  # … and each one's meaning, for the query's neighbours
    norms: tuple[float, ...]  # each sentence's BM25 length normaliser
    rarest: float  # the highest of ``idf`` (what a name the article never uses weighs)
    encodings: Matrix | None = None  # each sentence by the encoder, once they have been made
    # sentence id → the speaker of the quotation of several sentences it is part of (None where
    # unnamed); a sentence not in one is not here
    quotations: dict[str, str | None] = field(default_factory=dict)
    # question → (its query, the article's own hits before check statuses), the newest last:
    # a question asked again of the same analysis (the index goes with its stamp) is not ranked
    # again.
    answers: LRU[str, tuple[Query, tuple[Hit, ...]]] = field(
        default_factory=lambda: LRU(ANSWERS), compare=False, repr=False)
    # an asked word → the article's word it is a typo of ("" when none): the same words recur
    # in question after question, and the fuzzy search runs over the whole vocabulary
    corrections: LRU[str, str] = field(default_factory=lambda: LRU(CORRECTIONS), compare=False,
                                       repr=False)

    def remembered(self, question: str) -> tuple[Query, list[Hit]] | None:
        """The answer to ``question`` this index already ranked (copies: callers add statuses
        to them)."""
        found = self.answers.get(question)
        if found is None:
            return None
        return found[0], [h.model_copy() for h in found[1]]

    def remember(self, question: str, query: Query, hits: Sequence[Hit]) -> None:
        self.answers.put(question, (query, tuple(h.model_copy() for h in hits)))

    def forget_answers(self) -> None:
        """Rank every question afresh (benchmarks measure the uncached cost this way)."""
        self.answers.clear()


def _indexes(db: Database) -> Memo[ArticleIndex]:
    """The database's memo of article indexes (the store empties an article's on writing it)."""
    return db.memos.memo(INDEX_MEMO, _CACHE_SIZE)


def build_index(sentences: Sequence[tuple[str, int, str]], claims: Sequence[StoredClaim] = (),
                *, published: date | None = None, headings: Sequence[str] = (),
                stamp: str = "", views: Sequence[StoredView] = (),
                vectors: Matrix | None = None, encodings: Matrix | None = None,
                quotations: dict[str, str | None] | None = None) -> ArticleIndex:
    """The index of an article's ``(id, section, text)`` sentences, in reading order; their
    meaning ``vectors`` are embedded here when not given (or not matching)."""
    texts = [text for _, _, text in sentences]
    features = tuple(sentence_features(text) for text in texts)
    avg_length = sum(len(f.stems) for f in features) / max(1, len(features))
    if vectors is None or vectors.shape[0] != len(texts):
        vectors = embed(texts)
    if encodings is not None and encodings.shape[0] != len(texts):
        encodings = None
    vocabulary = frozenset(w for t in texts for w in words(t))
    lexicon = tuple(sorted(w for w in vocabulary if w not in STOPWORDS and w.isalpha()
                           and len(w) > 2))
    idf = idf_table(texts)
    return ArticleIndex(vocabulary=vocabulary, lengths=by_length(vocabulary), lexicon=lexicon,
                        lexicon_vectors=embed(lexicon),
                        idf=idf, rarest=max(idf.values(), default=1.0), published=published,
                        sentences=tuple(sentences),
                        postings=_postings(features),
                        features=features, avg_length=avg_length,
                        norms=length_norms(features, avg_length),
                        claims={c.sentence_id: (c.id, c.score) for c in claims},
                        headings=tuple(headings), claim_list=tuple(claims), stamp=stamp,
                        views=tuple(views), vectors=vectors, encodings=encodings,
                        quotations=quotations or {})


async def article_index(db: Database, article_id: str, stamp: str | None = None
                        ) -> ArticleIndex:
    """Built once per article and kept (least recently used first out); rebuilt when the
    caller's ``stamp`` (the article's ``analysis_stamp``) shows the analysis was rewritten,
    by another process, say: this one's own writes drop the index themselves."""
    cached = _indexes(db).get(article_id)
    if cached is not None and (stamp is None or stamp == cached.stamp):
        return cached
    sentences = await article_store.sentences(db, article_id)
    article = await article_store.get(db, article_id)
    stored = await meaning_store.vectors(db, article_id, MODEL_ID)
    vectors = unpack(stored[1], stored[0]) if stored else None
    encoded = await meaning_store.encodings(db, article_id, ENCODER_ID)
    encodings = unpack_encodings(encoded[1], encoded[0]) if encoded else None
    rows = [(s.id, s.section, s.text) for s in sentences]
    # An article stored before its vectors were (or by another model) is embedded off the loop.
    index = await asyncio.to_thread(
        build_index, rows, await analysis_store.claims(db, article_id),
        published=article.published if article else None,
        headings=[s.heading for s in await article_store.sections(db, article_id)],
        stamp=article.analysis_stamp if article else "",
        views=await analysis_store.views(db, article_id), vectors=vectors, encodings=encodings,
        quotations=speakers_by_sentence(sentences))
    _indexes(db).put(article_id, index)
    return index


def _postings(features: Sequence[SentenceFeatures]) -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for position, f in enumerate(features):
        for stem in f.counts:
            found.setdefault(stem, set()).add(position)
    return {stem: frozenset(positions) for stem, positions in found.items()}


class Candidate(NamedTuple):
    """One sentence's evidence for a question: the lexical score and the meaning's cosine."""

    position: int
    lexical: float
    coverage: float
    typed: bool
    similarity: float
    encoded: float | None = None  # the encoder's cosine, where the article has been encoded


@dataclass(frozen=True)
class Evidence:
    """A question's candidates as far as they go without the encoder: the sentences sharing its
    terms and the nearest by the static model, each one's raw BM25 and coverage, and each one's
    :class:`Candidate` but for the encoder's cosine. All of it can be made while the question's
    encoding runs; :meth:`candidates` adds the encoder's word, scoring only the sentences the
    encoder brings that were not candidates already."""

    index: ArticleIndex
    query: Query
    fusion: Fusion
    cosines: npt.NDArray[np.float32]  # the static model's, every sentence
    pool: npt.NDArray[np.int64]  # the positions the meaning's nearest are drawn from
    positions: frozenset[int]
    raw: dict[int, float]  # raw BM25 by position
    covs: dict[int, float]  # coverage by position
    weights: dict[int, float]  # the query's concept weights in this article
    sets: TermSets  # each term's sentences (``scoring.term_sets``)
    # Each of ``positions``' candidates (reading order, at most ``CANDIDATES``) with its lexical
    # score against the best raw BM25 among them (``top``): still right after the encoder adds
    # its nearest, unless one of those outscores the rest in BM25 or pushes some out.
    made: dict[int, Candidate] = field(default_factory=dict)
    top: float = 1.0

    def _scored(self, among: frozenset[int]) -> tuple[dict[int, float], dict[int, float]]:
        index = self.index
        return scores(self.query, among, self.sets, index.features, index.norms, index.idf,
                      self.weights)

    def _made(self, kept: Sequence[int], raw: dict[int, float], covs: dict[int, float],
              top: float) -> dict[int, Candidate]:
        return _made(self.index, self.query, self.cosines, kept, raw, covs, top)

    def candidates(self, encoded_question: Vector | None = None) -> list[Candidate]:
        """Every candidate, in reading order, the encoder's nearest and cosine included when
        both the article's sentences and the question have been encoded."""
        index, fusion, pool = self.index, self.fusion, self.pool
        encoded = (index.encodings @ encoded_question
                   if index.encodings is not None and encoded_question is not None else None)
        positions = set(self.positions)
        if encoded is not None and fusion.vector_candidates and len(pool):
            nearest = pool[np.argsort(-encoded[pool])[:fusion.vector_candidates]]
            positions |= {int(p) for p in nearest if encoded[p] >= fusion.floor}
        kept = sorted(positions)[:CANDIDATES]
        if not kept:
            return []
        raw, covs = self.raw, self.covs
        extra = frozenset(p for p in kept if p not in raw)
        if extra:  # a sentence's scores do not depend on the others': scored apart, the same
            more_raw, more_covs = self._scored(extra)
            raw, covs = {**raw, **more_raw}, {**covs, **more_covs}
        top = max(raw[p] for p in kept) or 1.0
        if top == self.top and all(p in self.made for p in kept if p not in extra):
            made = {**self.made, **(self._made(sorted(extra), raw, covs, top) if extra else {})}
        else:  # (rare: the encoder's sentence has the best BM25, or candidates were cut)
            made = self._made(kept, raw, covs, top)
        if encoded is None:
            return [made[p] for p in kept]
        by_encoder = encoded[np.array(kept, dtype=np.int64)].tolist()
        return [Candidate(p, made[p].lexical, made[p].coverage, made[p].typed,
                          made[p].similarity, enc)
                for p, enc in zip(kept, by_encoder, strict=True)]


def evidence(index: ArticleIndex, query: Query, question_vector: Vector,
             fusion: Fusion = FUSION, within: Collection[int] | None = None) -> Evidence:
    """The question's :class:`Evidence` in the article (``question_vector``: the static
    model's); ``within`` limits it to some positions (a benchmark's paragraph)."""
    cosines = index.vectors @ question_vector
    sets = term_sets(query, index.features, index.postings)
    positions = lexical_positions(sets)
    if within is not None:  # (the meaning's nearest are drawn from ``within`` already)
        positions &= set(within)
    pool = np.arange(len(cosines)) if within is None else np.fromiter(within, dtype=np.int64)
    if fusion.vector_candidates and len(pool):
        nearest = pool[np.argsort(-cosines[pool])[:fusion.vector_candidates]]
        positions |= {int(p) for p in nearest if cosines[p] >= fusion.floor}
    among = frozenset(positions)
    weights = concept_weights(query, index.idf, index.rarest)
    raw, covs = scores(query, among, sets, index.features, index.norms, index.idf, weights)
    kept = sorted(among)[:CANDIDATES]
    top = (max(raw[p] for p in kept) or 1.0) if kept else 1.0
    return Evidence(index, query, fusion, cosines, pool, among, raw, covs, weights, sets,
                    _made(index, query, cosines, kept, raw, covs, top) if kept else {}, top)


def _made(index: ArticleIndex, query: Query, cosines: npt.NDArray[np.float32],
          kept: Sequence[int], raw: dict[int, float], covs: dict[int, float], top: float
          ) -> dict[int, Candidate]:
    """Each position's candidate without the encoder's cosine."""
    near = cosines[np.array(kept, dtype=np.int64)].tolist()
    features, sentences, claims = index.features, index.sentences, index.claims
    out = {}
    for p, similarity in zip(kept, near, strict=True):
        typed = answers_type(query, features[p])
        cov = covs[p]
        value = combined(query, cov, raw[p] / top, typed,
                         claims.get(sentences[p][0], (None, None))[1])
        out[p] = Candidate(p, value, round(cov, 4), typed, similarity)
    return out


def candidates(index: ArticleIndex, query: Query, question_vector: Vector,
               fusion: Fusion = FUSION, within: Collection[int] | None = None,
               encoded_question: Vector | None = None) -> list[Candidate]:
    """The sentences sharing the question's terms and the nearest in meaning, in reading order;
    ``within`` limits them to some positions (a benchmark's paragraph). The encoder's cosine
    joins in when both the article's sentences and the question have been encoded."""
    return evidence(index, query, question_vector, fusion, within).candidates(encoded_question)


def _unknown(index: ArticleIndex, query: Query) -> list[str]:
    """The single asked words the article does not use (when it has words to offer)."""
    if not index.lexicon:
        return []
    return [t.words[0] for t in query.terms if t.origin == "asked" and not t.name
            and len(t.words) == 1 and t.words[0] not in index.vocabulary]


def _nearest(index: ArticleIndex, asked: Sequence[str], vectors: Matrix
             ) -> dict[str, list[tuple[str, float]]]:
    if not asked:
        return {}
    table = vectors @ index.lexicon_vectors.T
    out: dict[str, list[tuple[str, float]]] = {word: [] for word in asked}
    rows, columns = np.nonzero(table >= NEIGHBOUR)  # (few or none: only these are sorted)
    for r in np.unique(rows).tolist():
        near = columns[rows == r]
        row = table[r]
        best = near[np.argsort(-row[near], kind="stable")[:NEIGHBOURS]]
        out[asked[r]] = [(index.lexicon[i], float(row[i])) for i in best.tolist()]
    return out


def question_vector(question: str) -> QuestionVector | None:
    """The question by ``/fact``'s own graph (``encode_fact_question``; None when the encoder
    cannot load here: the static model answers)."""
    try:
        return encode_fact_question(question)
    except EncoderUnavailable:
        return None


def question_query(index: ArticleIndex, question: str) -> Query:
    """The question's terms in this article: asked words, synonyms, typo fixes, and the
    article's words nearest in meaning to asked words it never uses."""
    return _query_and_vector(index, question)[0]


def _query_and_vector(index: ArticleIndex, question: str) -> tuple[Query, Vector]:
    """:func:`question_query` and the question's static vector, by one pass of the static model
    (the typo-fixed question and the asked words the article never uses, together)."""
    query = build_query(question, index.vocabulary, index.published,
                        index.corrections, index.lengths)
    asked = _unknown(index, query)
    vectors = embed([query.meaning_text(), *asked])
    return with_neighbours(query, _nearest(index, asked, vectors[1:])), vectors[0]


def _hits(index: ArticleIndex, query: Query, found: Sequence[Candidate], fusion: Fusion
          ) -> list[Hit]:
    """The best ``HITS`` of the candidates that answer, best first (ties by id); only those
    become :class:`Hit` models."""
    ranked = []
    for c in found:
        if index.features[c.position].question:
            continue  # the article's own question answers nothing
        if answers(fusion, c.coverage, c.typed, c.similarity, c.encoded):
            sid = index.sentences[c.position][0]
            claim_id = index.claims.get(sid, (None, None))[0]
            ranked.append((-fused(fusion, query, c.lexical, c.similarity, c.typed, c.encoded),
                           claim_id or sid, bool(claim_id), c))
    ranked.sort(key=lambda r: (r[0], r[1]))
    hits = []
    for value, hit_id, claimed, c in ranked[:HITS]:
        sid, section, text = index.sentences[c.position]
        hits.append(Hit(id=hit_id, text=text, section=section, quoted=sid in index.quotations,
                        speaker=index.quotations.get(sid),
                        kind="claim" if claimed else "sentence", score=-value,
                        coverage=c.coverage, similarity=round(c.similarity, 4),
                        encoded=None if c.encoded is None else round(c.encoded, 4)))
    return hits


def _unanswerable(index: ArticleIndex, query: Query) -> bool:
    """A question with no term, or naming something the article never mentions."""
    return not query.phrases() or bool(missing_names(query, index.idf))


def rank(index: ArticleIndex, question: str, fusion: Fusion = FUSION,
         within: Collection[int] | None = None, encoded_question: Vector | None = None,
         query: Query | None = None) -> tuple[Query, list[Hit]]:
    """The article's own sentences answering a question, best first (at most ``HITS``): the
    lexical ranker and the meaning's cosines fused (the encoder's too, given the question's
    vector, with the ``fusion`` chosen for its graph, and an encoded article). A question
    naming something the article never mentions, or one nothing covers in words or comes close
    to in meaning, gets none.
    ``query`` is the question's :func:`question_query` in this article, if already made."""
    if query is None:
        query, vector = _query_and_vector(index, question)
    else:
        vector = embed([query.meaning_text()])[0]
    if _unanswerable(index, query):
        return query, []
    found = evidence(index, query, vector, fusion, within).candidates(encoded_question)
    return query, _hits(index, query, found, fusion)


def _encoding(question: str) -> asyncio.Future[QuestionVector | None]:
    """The question's encoding started on its thread (the warm hand-off's)."""
    return asyncio.wrap_future(question_thread().submit(question_vector, question))


async def _ranked(index: ArticleIndex, question: str, encoded: Encoded = None,
                  meanwhile: Meanwhile | None = None) -> tuple[Query, list[Hit]]:
    """:func:`rank` with the encoder where the article has been encoded: the question's
    encoding (milliseconds of CPU, so in a thread, never on the loop) runs while the loop
    builds the question's terms and scores the candidates by words and by the static model;
    ``encoded``: the caller's encoding of it, made already or under way (a future).
    ``meanwhile(query)`` is awaited while the encoding runs, for an answerable question (the
    caller's own reads that need only the question's terms)."""
    if index.encodings is None:
        return rank(index, question, FUSION)
    if isinstance(encoded, asyncio.Future):
        encoding = encoded
        expected = ENCODER_FUSION  # (a caller's under way: /check's message, the whole graph's)
    else:
        if encoded is None:
            encoded = remembered_fact_question(question)  # (asked before, of another article)
        if encoded is not None:
            return rank(index, question, fusion_of(encoded), encoded_question=encoded.vector)
        encoding = _encoding(question)
        expected = FACT_FUSION
    try:
        query, vector = _query_and_vector(index, question)
        early = (None if _unanswerable(index, query)
                 else evidence(index, query, vector, expected))
        if early is not None and meanwhile is not None:
            await meanwhile(query)
    except BaseException:
        encoding.cancel()  # nobody will wait for it (the thread's result is dropped)
        raise
    encoded = await encoding
    if early is None:
        return query, []
    if encoded is None:  # the encoder cannot load here: the static model answers
        return query, _hits(index, query, evidence(index, query, vector, FUSION).candidates(),
                            FUSION)
    fusion = fusion_of(encoded)
    if fusion != early.fusion:  # (another graph than expected: its own candidates)
        early = evidence(index, query, vector, fusion)
    return query, _hits(index, query, early.candidates(encoded.vector), fusion)


async def lookup(db: Database, article_id: str, question: str, statuses: bool = True,
                 stamp: str | None = None, encoded: Encoded = None
                 ) -> tuple[Query, list[Hit]]:
    """The hits for a question, best first; only those that really cover the question.

    A question naming something the article never mentions gets no hits. Without ``statuses``,
    only the article's own sentences are ranked (no check statuses, no knowledge base). For an
    encoded article the question is encoded too, unless the caller gives its ``encoded``
    meaning, made or under way (``/check``: the whole message's, made once for every use;
    such a ranking is not remembered, since the same words asked alone mean the words' own
    encoding). The fusion is the one chosen for the graph the vector comes from
    (``rank.fusion_of``: ``/fact``'s own, or ``/check``'s whole graph). The article's ranked
    sentences for a question asked again are remembered by its index; check statuses and the
    knowledge base are remembered by the store until a fact check changes
    (``parley/store/fresh.py``: a moderator's verdict shows in the next answer)."""
    index = await article_index(db, article_id, stamp)
    asked = " ".join(question.split())
    found = index.remembered(asked) if encoded is None else None
    known: list[FactCheck] | None = None

    async def knowledge(query: Query) -> None:  # (read while the question's encoding runs)
        nonlocal known
        known = await search.knowledge_candidates(db, query.phrases())

    if found is None:
        query, hits = await _ranked(index, question, encoded, knowledge if statuses else None)
        if encoded is None:
            index.remember(asked, query, hits)
    else:
        query, hits = found
    phrases = query.phrases()
    if not hits and _unanswerable(index, query):
        return query, hits
    if not statuses:
        return query, hits
    # Both are index probes the store answers at once, without a hop to its thread.
    checks = await factchecks.latest(db, [h.id for h in hits if h.kind == "claim"])
    if known is None:
        known = await search.knowledge_candidates(db, phrases)
    for hit in hits:
        check = checks.get(hit.id)
        if check is not None:
            hit.status, hit.explanation = check.review.status, check.review.explanation
            hit.sources, hit.matched = check.review.sources, check.matched
            hit.checked_by = check.review.author or check.review.publisher
    weights = concept_weights(query, index.idf, index.rarest) if known else {}
    for k in known:
        text = k.review.claim_reviewed
        value, cov, _ = score(query, sentence_features(text), index.idf, 1.0, None, weights)
        if cov >= STRONG_COVERAGE and len(hits) < HITS + 3:
            hits.append(Hit(id=f"factcheck-{k.id}", text=text, kind="factcheck",
                            score=min(value, hits[-1].score if hits else value),
                            coverage=cov, status=k.review.status,
                            explanation=k.review.explanation, sources=k.review.sources,
                            checked_by=k.review.author or k.review.publisher))
    return query, hits
