"""Choose the fusion of lexical score and meaning (``parley.core.search.rank.FUSION``) on the
tuning quarter of SQuAD v1.1 dev only (see ``bench/squad.py``); the figures are reported on the
other three quarters.

    SQUAD_DEV=path/to/dev-v1.1.json python -m bench.tune_fusion

For every tuning question it records each sentence of its paragraph (lexical score, coverage,
answer type, cosine) and, for "nothing answers", the same question asked of another tuning
article. Among the (weight, answering cosine, floor) triples that answer no more questions put
to the wrong article than the lexical rules alone (plus ``EXTRA_FALSE``), the best top-1.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass

import numpy as np

from bench import squad
from parley.core.meaning import embed
from parley.core.search.lookup import ArticleIndex, candidates, question_query
from parley.core.search.rank import (
    FIGURE_TYPES,
    NO_FIGURE_PENALTY,
    Fusion,
    missing_names,
    relevant,
)

EXTRA_FALSE = 0.0
WEIGHTS = [round(0.05 * i, 2) for i in range(41)]
THRESHOLDS = [round(0.3 + 0.025 * i, 3) for i in range(21)]
FLOORS = [0.0, 0.1, 0.15, 0.2, 0.25]
ALL = Fusion(weight=0.0, answers=2.0, vector_candidates=10**6, floor=-2.0)


@dataclass
class Row:
    lexical: np.ndarray
    cosine: np.ndarray
    covered: np.ndarray  # lexically relevant
    discount: np.ndarray  # the figure discount on the meaning part
    gold: np.ndarray
    named_missing: bool


def _rows(article: squad.Article, index: ArticleIndex, q: squad.Question,
          within: tuple[int, ...] | None, gold: frozenset[int]) -> Row:
    query = question_query(index, q.text)
    vector = embed([query.meaning_text()])[0]
    found = candidates(index, query, vector, ALL, within) if query.phrases() else []
    figure = query.type in FIGURE_TYPES
    return Row(np.array([c.lexical for c in found]), np.array([c.similarity for c in found]),
               np.array([relevant(c.coverage, c.typed) for c in found], dtype=bool),
               np.array([NO_FIGURE_PENALTY if figure and not c.typed else 1.0 for c in found]),
               np.array([c.position in gold for c in found], dtype=bool),
               bool(query.phrases()) and bool(missing_names(query, index.idf)))


def collect() -> tuple[list[Row], list[Row]]:
    arts = list(squad.articles("tune"))
    indexes = [squad.index_of(a) for a in arts]
    rng = random.Random(19)
    positives, negatives = [], []
    for k, (article, index) in enumerate(zip(arts, indexes, strict=True)):
        for q in article.questions:
            positives.append(_rows(article, index, q, q.positions, q.gold))
            other = rng.choice([j for j in range(len(arts)) if j != k])
            negatives.append(_rows(arts[other], indexes[other], q, None, frozenset()))
    return positives, negatives


def top1(rows: list[Row], weight: float, threshold: float, floor: float) -> float:
    right = 0
    for r in rows:
        if r.named_missing or not len(r.lexical):
            continue
        ok = (r.covered & (r.cosine >= floor)) | (r.cosine >= threshold)
        if not ok.any():
            continue
        score = r.lexical + weight * np.maximum(r.cosine, 0) * r.discount
        score[~ok] = -1
        right += bool(r.gold[int(np.argmax(score))])
    return right / len(rows)


def false_answers(rows: list[Row], threshold: float, floor: float) -> float:
    return sum(not r.named_missing and len(r.lexical) > 0 and
               bool(((r.covered & (r.cosine >= floor)) | (r.cosine >= threshold)).any())
               for r in rows) / len(rows)


def main() -> None:
    if not squad.available():
        sys.exit(f"SQuAD v1.1 dev not found at {squad.path()}: set SQUAD_DEV to its path")
    positives, negatives = collect()
    lexical_false = false_answers(negatives, 2.0, -2.0)
    print(f"{len(positives)} tuning questions; lexical top-1 "
          f"{top1(positives, 0.0, 2.0, -2.0):.4f}, false answers on the wrong article "
          f"{lexical_false:.3f}")
    results = []
    for floor in FLOORS:
        for t in THRESHOLDS:
            false = false_answers(negatives, t, floor)
            best = max(WEIGHTS, key=lambda w: top1(positives, w, t, floor))
            results.append((top1(positives, best, t, floor), false, best, t, floor))
            print(f"  floor {floor:.2f}, answers ≥ {t:.3f}: false answers {false:.3f}, "
                  f"top-1 {results[-1][0]:.4f} (weight {best})")
    allowed = [r for r in results if r[1] <= lexical_false + EXTRA_FALSE]
    score, false, weight, threshold, floor = max(allowed)
    print(f"chosen: weight {weight}, answers {threshold}, floor {floor} → tuning top-1 "
          f"{score:.4f}, false answers {false:.3f}")
    print("  top-1 by weight there: " + ", ".join(
        f"{w}: {top1(positives, w, threshold, floor):.4f}" for w in WEIGHTS[::2]))


if __name__ == "__main__":
    main()
