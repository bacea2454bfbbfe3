"""Verified-claim retrieval, CLEF 2020 CheckThat! Task 2 (read from ``../shared/eval``): for each
tweet, rank the 10,373 Snopes-verified claims; MAP@5 over the tweets, the task's measure.

Rankers, in the same run and over the same text (each claim with its title): Parley's lexical
half (the /fact scorer: concept coverage, BM25, answer type), the meaning model alone (cosine),
Parley (the two fused, with the weight chosen on the train tweets only) and rank-bm25.

    python -m bench.claim_retrieval            # choose the weight on train, report dev
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.clef import EVAL
from parley.core.analysis.tokens import content_stems
from parley.core.meaning import embed
from parley.core.meaning.model import Matrix
from parley.core.search.lookup import ArticleIndex, build_index
from parley.core.search.query import build_query
from parley.core.search.rank import bm25, score
from parley.core.search.scoring import lexical_positions, term_sets

CLAIMS = EVAL / "claim-matching" / "clef2020-task2"
DEPTH = 5
WEIGHTS = [round(0.1 * i, 1) for i in range(21)]
csv.field_size_limit(10**7)


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle, delimiter="\t")][1:]


@dataclass(frozen=True)
class Split:
    tweets: list[str]
    relevant: list[frozenset[int]]  # claim rows (in ``claims()`` order) matching each tweet


def claims() -> list[str]:
    return [f"{row[1]} {row[2]}" for row in _tsv(CLAIMS / "verified_claims.docs.tsv")]


def split(name: str) -> Split:
    tweets = {row[0]: row[1] for row in _tsv(CLAIMS / name / "tweets.queries.tsv")}
    pairs: dict[str, set[int]] = {}
    for line in (CLAIMS / name / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        tweet, _, claim, rel = line.split("\t")
        if rel.strip() == "1":
            pairs.setdefault(tweet, set()).add(int(claim))
    ids = sorted(t for t in tweets if t in pairs)
    return Split([tweets[t] for t in ids], [frozenset(pairs[t]) for t in ids])


def average_precision(ranked: list[int], relevant: frozenset[int]) -> float:
    hits, total = 0, 0.0
    for k, doc in enumerate(ranked[:DEPTH], start=1):
        if doc in relevant:
            hits += 1
            total += hits / k
    return total / min(len(relevant), DEPTH)


def lexical_scores(index: ArticleIndex, tweet: str) -> np.ndarray:
    """The /fact scorer's value for every claim holding any of the tweet's terms (0 elsewhere)."""
    out = np.zeros(len(index.sentences), dtype=np.float32)
    query = build_query(tweet, index.vocabulary, lengths=index.lengths)
    positions = lexical_positions(term_sets(query, index.features, index.postings))
    feats = {p: index.features[p] for p in positions}
    relevance = {p: bm25(query, f, index.idf, index.avg_length) for p, f in feats.items()}
    top = max(relevance.values(), default=0.0) or 1.0
    for p, f in feats.items():
        out[p] = score(query, f, index.idf, relevance[p] / top, None)[0]
    return out


Scores = Callable[[int, str], np.ndarray]


def mean_ap(data: Split, scores: Scores) -> float:
    aps = []
    for k, tweet in enumerate(data.tweets):
        values = scores(k, tweet)
        ranked = [int(i) for i in np.argsort(-values, kind="stable")[:DEPTH]]
        aps.append(average_precision(ranked, data.relevant[k]))
    return round(sum(aps) / len(aps), 4)


def run() -> dict[str, object] | None:
    """MAP@5 on dev for each ranker, the fusion weight chosen on train; None without the data."""
    if not CLAIMS.exists():
        return None
    from rank_bm25 import BM25Okapi

    docs = claims()
    index = build_index([(f"v{i}", 0, text) for i, text in enumerate(docs)])
    bm25_index = BM25Okapi([content_stems(d) or ["∅"] for d in docs])
    features: dict[str, tuple[list[np.ndarray], Matrix]] = {}
    for name in ("train", "dev"):
        data = split(name)
        features[name] = ([lexical_scores(index, t) for t in data.tweets],
                          embed(data.tweets) @ index.vectors.T)
    train, dev = split("train"), split("dev")

    def fused(name: str, weight: float) -> Scores:
        lexical, cosines = features[name]
        return lambda k, _: lexical[k] + weight * cosines[k]

    weight = max(WEIGHTS, key=lambda w: mean_ap(train, fused("train", w)))
    lexical, cosines = features["dev"]
    return {"Parley": mean_ap(dev, fused("dev", weight)),
            "lexical half": mean_ap(dev, lambda k, _: lexical[k]),
            "meaning model alone": mean_ap(dev, lambda k, _: cosines[k]),
            "rank-bm25": mean_ap(dev, lambda k, t: np.asarray(
                bm25_index.get_scores(content_stems(t)))),
            "weight": weight, "train_map": mean_ap(train, fused("train", weight)),
            "tweets": len(dev.tweets), "claims": len(docs)}


if __name__ == "__main__":
    result = run()
    if result is None:
        sys.exit(f"CLEF 2020 Task 2 data not found at {CLAIMS}")
    print(json.dumps(result, indent=1))
