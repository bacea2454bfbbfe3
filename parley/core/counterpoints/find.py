"""Finding the counterpoints for a topic or claim, ranked by standing across viewpoints."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, Field

from parley.core.counterpoints.bridging import status_for
from parley.core.counterpoints.packs import apply_packs
from parley.core.search.lookup import Encoded, article_index, lookup
from parley.core.search.query import build_query
from parley.core.search.rank import MIN_COVERAGE, concept_weights, coverage, sentence_features
from parley.store import counterpoints
from parley.store.analysis import StoredView
from parley.store.counterpoints import Counterpoint
from parley.store.db import Database

VIEW_MATCH = 0.4
# Standing tiers, best first: rated helpful across viewpoints, curated, awaiting ratings,
# rated not helpful.
TIERS = {"rated helpful": 0, "curated": 1, "needs more ratings": 2, "not helpful": 3}


class Answered(BaseModel):
    """The article's claim a counterpoint answers, and whose words it is where it sits inside
    someone's quotation of several sentences."""

    id: str
    text: str
    quoted: bool = False
    speaker: str | None = None


class CounterpointHit(BaseModel):
    """One counterpoint as ``data.hits`` promises: what it answers, its standing, its sources."""

    id: str
    text: str
    evidence: str = ""
    answers: Answered | None = None
    status: str
    origin: str
    sources: list[str] = Field(default_factory=list)
    relevance: float = 0.0
    article_view: str = ""  # the article's own (often dismissive) mention of this view
    topic: str = ""
    needs_your_help: bool = False  # rated so far only by members leaning the other way


def standing(cp: Counterpoint) -> str:
    return standing_of(cp.status, cp.origin)


def standing_of(status: str | None, origin: str) -> str:
    """What members are shown: a fitted verdict, else curated or waiting for ratings."""
    if status == "helpful":
        return "rated helpful"
    if status == "not helpful":
        return "not helpful"
    return "curated" if origin in ("curated", "topic") else "needs more ratings"


def _restood(cp: Counterpoint, helpful_intercept: float) -> Counterpoint:
    if cp.intercept is None or cp.factor is None:
        return cp
    status = status_for(cp.intercept, cp.factor, cp.ratings, helpful_intercept)
    return cp.model_copy(update={"status": status})


def _sort_key(hit: CounterpointHit) -> tuple[int, float, str]:
    return (TIERS.get(hit.status, 4), -hit.relevance, hit.id)


async def find(db: Database, article_id: str, topic: str | None, now: datetime,
               claim_id: str | None = None, stamp: str | None = None,
               helpful_intercept: float | None = None, encoded: Encoded = None,
               views: bool = True) -> list[CounterpointHit]:
    """Counterpoints on a topic (or a claim, or the whole article), best first.

    Community counterpoints rated not helpful are left out; curated ones so rated sink.
    ``helpful_intercept`` is the server's own bar for "helpful" where it set one: standings are
    then read from the stored scores with it. ``encoded``: the topic's meaning by the encoder
    when the caller made it already, or is making it (``search.lookup``'s). ``views``: pair
    the article's own mentions of each view with its counterpoint (``article_view``; the
    order is the same without, and ``/check``, which shows none, skips it)."""
    await apply_packs(db, article_id, now)  # once per article and pack, on first use
    index = await article_index(db, article_id, stamp)
    claims = {c.id: c for c in index.claim_list}
    stored = await counterpoints.for_article(db, article_id)
    if helpful_intercept is not None:
        stored = [_restood(cp, helpful_intercept) for cp in stored]
    items = [cp for cp in stored
             if not (cp.origin == "community" and cp.status == "not helpful")]
    query = build_query(topic, index.vocabulary, index.published,
                        lengths=index.lengths) if topic else None
    answered_claims: set[str] = set()
    if query is not None and query.terms:
        _, hits = await lookup(db, article_id, topic or "", statuses=False, encoded=encoded)
        answered_claims = {h.id for h in hits[:3] if h.kind == "claim"}
    weights = concept_weights(query, index.idf) if query is not None else None
    found = []
    for cp in items:
        claim = claims.get(cp.claim_id or "")
        if claim_id is not None:
            relevance = 1.0 if cp.claim_id == claim_id else 0.0
        elif query is None:
            relevance = claim.score if claim else 0.0
        else:
            text = " ".join((cp.text, cp.topic, claim.text if claim else ""))
            relevance = coverage(query, sentence_features(text), index.idf, weights)
            if cp.claim_id in answered_claims:
                relevance = max(relevance, MIN_COVERAGE + 0.01)
        if (claim_id is not None or query is not None) and relevance < MIN_COVERAGE:
            continue
        found.append(CounterpointHit(
            id=cp.ref, text=cp.text, evidence=cp.evidence, status=standing(cp), topic=cp.topic,
            origin=cp.origin, sources=cp.sources, relevance=round(relevance, 4),
            answers=Answered(id=claim.id, text=claim.text,
                             quoted=claim.sentence_id in index.quotations,
                             speaker=index.quotations.get(claim.sentence_id))
            if claim else None))
    if views:
        _attach_article_views(index.views, found, index.idf)
    found.sort(key=_sort_key)
    return found


def _attach_article_views(views: Sequence[StoredView], hits: list[CounterpointHit],
                          idf: dict[str, float]) -> None:
    """Pair each view the article itself mentions with the counterpoint that states it best."""
    features = {h.id: sentence_features(f"{h.text} {h.topic}") for h in hits}
    for view in views:
        query = build_query(view.view)
        weights = concept_weights(query, idf)
        scored = [(coverage(query, features[h.id], idf, weights), h) for h in hits]
        value, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        if best is not None and value >= VIEW_MATCH and not best.article_view:
            best.article_view = view.sentence
