"""Scoring all of a question's candidate sentences at once from the article's postings: each
term visits only the candidates that hold it, with the very arithmetic of :mod:`rank`'s
one-sentence :func:`~rank.bm25` and :func:`~rank.coverage` (the same operations in the same
order, so the same floats), instead of every term being tried on every candidate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from parley.core.search.query import Query
from parley.core.search.rank import BM25_B, BM25_K1, NAME_PART, SentenceFeatures, contains

Postings = Mapping[str, frozenset[int]]


def length_norms(features: Sequence[SentenceFeatures], avg_length: float) -> tuple[float, ...]:
    """Each sentence's BM25 length normaliser, as :func:`rank.bm25` computes it."""
    return tuple(BM25_K1 * (1 - BM25_B + BM25_B * len(f.stems) / max(avg_length, 1.0))
                 for f in features)


def _holding(postings: Postings, stems: tuple[str, ...], among: frozenset[int]
             ) -> frozenset[int]:
    """The positions among ``among`` whose sentence has every one of ``stems``."""
    found = among
    for s in stems:
        found = found & postings.get(s, frozenset())
        if not found:
            break
    return found


def bm25_all(query: Query, among: frozenset[int], features: Sequence[SentenceFeatures],
             postings: Postings, norms: Sequence[float], idf: dict[str, float]
             ) -> dict[int, float]:
    """:func:`rank.bm25` of the sentence at each position in ``among``."""
    totals = dict.fromkeys(among, 0.0)
    for term in query.terms:
        having = _holding(postings, term.stems, among)
        if not having:
            continue
        weight = term.weight * max(idf.get(s, 0.0) for s in term.stems)
        for p in having:
            counts = features[p].counts
            tf = min(counts[s] for s in term.stems)
            totals[p] += weight * (tf * (BM25_K1 + 1) / (tf + norms[p]))
    return totals


def coverage_all(query: Query, among: frozenset[int], features: Sequence[SentenceFeatures],
                 postings: Postings, importance: dict[int, float]) -> dict[int, float]:
    """:func:`rank.coverage` of the sentence at each position in ``among`` (``importance``:
    the query's :func:`rank.concept_weights`)."""
    best: dict[int, dict[int, float]] = {p: {} for p in among}
    for term in query.terms:
        for p in _holding(postings, term.stems, among):
            f = features[p]
            if len(term.stems) > 1 and not contains(f, term.stems):
                continue
            weight = term.weight * (NAME_PART if len(term.stems) == 1
                                    and term.stems[0] in f.in_names else 1.0)
            if weight > best[p].get(term.concept, 0.0):
                best[p][term.concept] = weight
    total = sum(importance.values())
    if not total:
        return dict.fromkeys(among, 0.0)
    return {p: sum(importance[c] * found.get(c, 0.0) for c in importance) / total
            for p, found in best.items()}
