"""``/fact``'s engine: find the article's sentences that hold the question's terms (in a cached
per-article index, so the cost follows the article's size, not the store's), rank them, and
attach each claim's check status; then the fact-check knowledge base (FTS5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field

from parley.core.analysis.tokens import words
from parley.core.factcheck.verdicts import CheckStatus
from parley.core.search.query import Query, build_query
from parley.core.search.rank import (
    STRONG_COVERAGE,
    SentenceFeatures,
    bm25,
    concept_weights,
    contains,
    idf_table,
    missing_names,
    relevant,
    score,
    sentence_features,
)
from parley.store import analysis as analysis_store
from parley.store import articles as article_store
from parley.store import factchecks, search
from parley.store.analysis import StoredClaim, StoredView
from parley.store.db import Database
from parley.store.memo import Memo

HITS = 8
CANDIDATES = 200
_CACHE_SIZE = 256
INDEX_MEMO = "search.article_index"


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


@dataclass(frozen=True)
class ArticleIndex:
    """What lookups need about an article, computed once."""

    vocabulary: frozenset[str]
    idf: dict[str, float]
    published: date | None
    sentences: tuple[tuple[str, int, str], ...]  # (id, section, text) in reading order
    postings: dict[str, frozenset[int]]  # stem → positions in ``sentences`` that have it
    features: dict[str, SentenceFeatures]  # by sentence id
    avg_length: float
    claims: dict[str, tuple[str, float]]  # sentence id → (claim id, claim score)
    headings: tuple[str, ...]
    claim_list: tuple[StoredClaim, ...]  # best first
    stamp: str  # the article's analysis stamp when this was built
    views: tuple[StoredView, ...]  # the opposing views the article mentions, in reading order


def _indexes(db: Database) -> Memo[ArticleIndex]:
    """The database's memo of article indexes (the store empties an article's on writing it)."""
    return db.memos.memo(INDEX_MEMO, _CACHE_SIZE)


async def article_index(db: Database, article_id: str, stamp: str | None = None
                        ) -> ArticleIndex:
    """Built once per article and kept (least recently used first out); rebuilt when the
    caller's ``stamp`` (the article's ``analysis_stamp``) shows the analysis was rewritten,
    by another process, say: this one's own writes drop the index themselves."""
    cached = _indexes(db).get(article_id)
    if cached is not None and (stamp is None or stamp == cached.stamp):
        return cached
    sentences = await article_store.sentences(db, article_id)
    texts = [s.text for s in sentences]
    features = {s.id: sentence_features(s.text) for s in sentences}  # in reading order
    claims = await analysis_store.claims(db, article_id)
    article = await article_store.get(db, article_id)
    index = ArticleIndex(vocabulary=frozenset(w for t in texts for w in words(t)),
                         idf=idf_table(texts),
                         published=article.published if article else None,
                         sentences=tuple((s.id, s.section, s.text) for s in sentences),
                         postings=_postings(list(features.values())),
                         features=features,
                         avg_length=sum(len(f.stems) for f in features.values())
                         / max(1, len(features)),
                         claims={c.sentence_id: (c.id, c.score) for c in claims},
                         headings=tuple(s.heading for s in
                                        await article_store.sections(db, article_id)),
                         claim_list=tuple(claims),
                         stamp=article.analysis_stamp if article else "",
                         views=tuple(await analysis_store.views(db, article_id)))
    _indexes(db).put(article_id, index)
    return index


def _postings(features: list[SentenceFeatures]) -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for position, f in enumerate(features):
        for stem in f.counts:
            found.setdefault(stem, set()).add(position)
    return {stem: frozenset(positions) for stem, positions in found.items()}


def _candidates(index: ArticleIndex, query: Query) -> list[tuple[str, int, str]]:
    """The sentences holding any of the query's terms (phrases in order), in reading order."""
    positions: set[int] = set()
    for term in query.terms:
        lists = [index.postings.get(stem, frozenset()) for stem in term.stems]
        having = frozenset.intersection(*lists) if lists else frozenset()
        positions |= {p for p in having if len(term.stems) == 1 or
                      contains(index.features[index.sentences[p][0]], term.stems)}
    return [index.sentences[p] for p in sorted(positions)][:CANDIDATES]


async def lookup(db: Database, article_id: str, question: str, statuses: bool = True,
                 stamp: str | None = None) -> tuple[Query, list[Hit]]:
    """The hits for a question, best first; only those that really cover the question.

    A question naming something the article never mentions gets no hits. Without ``statuses``,
    only the article's own sentences are ranked (no check statuses, no knowledge base)."""
    index = await article_index(db, article_id, stamp)
    query = build_query(question, index.vocabulary, index.published)
    phrases = query.phrases()
    if not phrases or missing_names(query, index.idf):
        return query, []
    candidates = _candidates(index, query)
    relevance = {sid: bm25(query, index.features[sid], index.idf, index.avg_length)
                 for sid, _, _ in candidates}
    top_bm25 = max(relevance.values(), default=0.0) or 1.0
    weights = concept_weights(query, index.idf)  # once for every candidate
    hits = []
    for sid, section, text in candidates:
        claim_id, claim_score = index.claims.get(sid, (None, None))
        value, cov, typed = score(query, index.features[sid], index.idf,
                                  relevance[sid] / top_bm25, claim_score, weights)
        if relevant(cov, typed):
            hits.append(Hit(id=claim_id or sid, text=text, section=section,
                            kind="claim" if claim_id else "sentence", score=value,
                            coverage=cov))
    hits.sort(key=lambda h: (-h.score, h.id))
    hits = hits[:HITS]
    if not statuses:
        return query, hits
    # Both are index probes the store answers at once, without a hop to its thread.
    checks = await factchecks.latest(db, [h.id for h in hits if h.kind == "claim"])
    known = await search.knowledge_candidates(db, phrases)
    for hit in hits:
        check = checks.get(hit.id)
        if check is not None:
            hit.status, hit.explanation = check.review.status, check.review.explanation
            hit.sources, hit.matched = check.review.sources, check.matched
            hit.checked_by = check.review.author or check.review.publisher
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
