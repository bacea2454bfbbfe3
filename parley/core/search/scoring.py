"""Scoring all of a question's candidate sentences at once from the article's postings: each
term's sentences are found once (:func:`term_sets`), and each term then visits only the
candidates that hold it, with the very arithmetic of :mod:`rank`'s one-sentence
:func:`~rank.bm25` and :func:`~rank.coverage` (the same operations in the same order, so the
same floats), instead of every term being tried on every candidate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from parley.core.search.query import Query
from parley.core.search.rank import BM25_B, BM25_K1, NAME_PART, SentenceFeatures, contains

Postings = Mapping[str, frozenset[int]]
# For each of a query's terms, in order: the positions whose sentence has every one of its
# stems (what BM25 counts), and those having them as the phrase, consecutively (what covers).
TermSets = tuple[tuple[frozenset[int], frozenset[int]], ...]
_NONE: frozenset[int] = frozenset()


def length_norms(features: Sequence[SentenceFeatures], avg_length: float) -> tuple[float, ...]:
    """Each sentence's BM25 length normaliser, as :func:`rank.bm25` computes it."""
    return tuple(BM25_K1 * (1 - BM25_B + BM25_B * len(f.stems) / max(avg_length, 1.0))
                 for f in features)


def term_sets(query: Query, features: Sequence[SentenceFeatures], postings: Postings
              ) -> TermSets:
    """Each term's :data:`TermSets` entry, from the postings (only a phrase's few sentences
    having all its stems are read to check their order)."""
    found = []
    for term in query.terms:
        stems = term.stems
        having = postings.get(stems[0], _NONE)
        for s in stems[1:]:
            if not having:
                break
            having = having & postings.get(s, _NONE)
        phrase = having if len(stems) == 1 else frozenset(
            p for p in having if contains(features[p], stems))
        found.append((having, phrase))
    return tuple(found)


def lexical_positions(sets: TermSets) -> set[int]:
    """The positions of the sentences holding any of the query's terms (phrases in order)."""
    positions: set[int] = set()
    for _, phrase in sets:
        positions |= phrase
    return positions


def scores(query: Query, among: frozenset[int], sets: TermSets,
           features: Sequence[SentenceFeatures], norms: Sequence[float], idf: dict[str, float],
           importance: dict[int, float]) -> tuple[dict[int, float], dict[int, float]]:
    """(:func:`rank.bm25`, :func:`rank.coverage`) of the sentence at each position in
    ``among``, in one pass over the terms (``importance``: the query's
    :func:`rank.concept_weights`)."""
    totals = dict.fromkeys(among, 0.0)
    best: dict[int, dict[int, float]] = {p: {} for p in among}
    for term, (having, phrase) in zip(query.terms, sets, strict=True):
        held = having & among
        if not held:
            continue
        stems = term.stems
        weight = term.weight * max(idf.get(s, 0.0) for s in stems)
        for p in held:
            counts = features[p].counts
            tf = min(counts[s] for s in stems)
            totals[p] += weight * (tf * (BM25_K1 + 1) / (tf + norms[p]))
        single = stems[0] if len(stems) == 1 else None
        for p in held if single is not None else phrase & among:
            covered = term.weight * (NAME_PART if single is not None
                                     and single in features[p].in_names else 1.0)
            found = best[p]
            if covered > found.get(term.concept, 0.0):
                found[term.concept] = covered
    total = sum(importance.values())
    if not total:
        return totals, dict.fromkeys(among, 0.0)
    weights = list(importance.items())
    # (the same sum as rank.coverage's, in the same order: a sentence covering nothing is 0)
    return totals, {p: sum([w * found.get(c, 0.0) for c, w in weights]) / total if found
                    else 0.0 for p, found in best.items()}
