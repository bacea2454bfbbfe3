"""Choose the fusion of lexical score and meaning (``parley.core.search.rank.FUSION``) on the
tuning quarter of SQuAD v1.1 dev only (see ``bench/squad.py``); the figures are reported on the
other three quarters.

    SQUAD_DEV=path/to/dev-v1.1.json python -m bench.tune_fusion            # the static part
    SQUAD_DEV=path/to/dev-v1.1.json python -m bench.tune_fusion --encoder  # the encoder's part

For every tuning question it records each sentence of its paragraph (lexical score, coverage,
answer type, cosine) and, for "nothing answers", the same question asked of another tuning
article. Among the (weight, answering cosine, floor) triples that answer no more questions put
to the wrong article than the lexical rules alone (plus ``EXTRA_FALSE``), the best top-1.

Then, with those three kept, the encoder's part: its weight beside the others and the cosine at
which it answers on its own, the best top-1 under the same limit on wrong-article answers.
"""

from __future__ import annotations

import os
import pickle
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench import squad
from parley.core.meaning import embed
from parley.core.search.lookup import ArticleIndex, candidates, question_query
from parley.core.search.rank import (
    FIGURE_TYPES,
    FUSION,
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
    encoded: np.ndarray  # the encoder's cosine
    positions: np.ndarray | None = None  # the candidates' article positions
    article: str = ""  # the title of the article asked


def _rows(article: squad.Article, index: ArticleIndex, q: squad.Question,
          within: tuple[int, ...] | None, gold: frozenset[int]) -> Row:
    query = question_query(index, q.text)
    vector = embed([query.meaning_text()])[0]
    asked = squad.encoded(q.text)
    found = candidates(index, query, vector, ALL, within, asked) if query.phrases() else []
    figure = query.type in FIGURE_TYPES
    return Row(np.array([c.lexical for c in found]), np.array([c.similarity for c in found]),
               np.array([relevant(c.coverage, c.typed) for c in found], dtype=bool),
               np.array([NO_FIGURE_PENALTY if figure and not c.typed else 1.0 for c in found]),
               np.array([c.position in gold for c in found], dtype=bool),
               bool(query.phrases()) and bool(missing_names(query, index.idf)),
               np.array([c.encoded or 0.0 for c in found]),
               np.array([c.position for c in found], dtype=np.int64), article.title)


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


def _ok(r: Row, threshold: float, floor: float, encoder_answers: float,
        encoder_floor: float) -> np.ndarray:
    return ((r.covered & (r.cosine >= floor) & (r.encoded >= encoder_floor))
            | (r.cosine >= threshold) | (r.encoded >= encoder_answers))


def top1(rows: list[Row], weight: float, threshold: float, floor: float,
         encoder_weight: float = 0.0, encoder_answers: float = 2.0,
         encoder_floor: float = -2.0) -> float:
    right = 0
    for r in rows:
        if r.named_missing or not len(r.lexical):
            continue
        ok = _ok(r, threshold, floor, encoder_answers, encoder_floor)
        if not ok.any():
            continue
        meaning = weight * np.maximum(r.cosine, 0) + encoder_weight * np.maximum(r.encoded, 0)
        score = r.lexical + meaning * r.discount
        score[~ok] = -1
        right += bool(r.gold[int(np.argmax(score))])
    return right / len(rows)


def false_answers(rows: list[Row], threshold: float, floor: float,
                  encoder_answers: float = 2.0, encoder_floor: float = -2.0) -> float:
    return sum(not r.named_missing and len(r.lexical) > 0 and
               bool(_ok(r, threshold, floor, encoder_answers, encoder_floor).any())
               for r in rows) / len(rows)


ENCODER_WEIGHTS = [round(0.1 * i, 1) for i in range(1, 11)]
ENCODER_ANSWERS = [0.45, 0.5, 0.55, 0.6, 0.7, 2.0]
ENCODER_FLOORS = [-2.0, 0.0, 0.05, 0.1, 0.15, 0.2]
STATIC_WEIGHTS = [0.0, 0.15, 0.3, 0.45]
TIE = 0.001  # top-1 this close counts as equal: then the fewest wrong-article answers wins


def tune_encoder(positives: list[Row], negatives: list[Row], limit: float, threshold: float,
                 floor: float) -> None:
    """The encoder's weight (and the static model's beside it), its answering cosine and its
    floor: the best top-1 under ``limit`` wrong-article answers, ties to the fewest of those."""
    results = []
    for ef in ENCODER_FLOORS:
        for e in ENCODER_ANSWERS:
            false = false_answers(negatives, threshold, floor, e, ef)
            if false > limit:
                continue
            for w in STATIC_WEIGHTS:
                best = max(ENCODER_WEIGHTS,
                           key=lambda u: top1(positives, w, threshold, floor, u, e, ef))
                results.append((top1(positives, w, threshold, floor, best, e, ef), false, w,
                                best, e, ef))
                print(f"  encoder floor {ef}, answers ≥ {e}, static weight {w}: false answers "
                      f"{false:.3f}, top-1 {results[-1][0]:.4f} (encoder weight {best})")
    top = max(r[0] for r in results)
    score, false, w, u, e, ef = min((r for r in results if r[0] >= top - TIE),
                                    key=lambda r: (r[1], -r[0]))
    print(f"chosen: static weight {w}, encoder weight {u}, encoder answers {e}, encoder floor "
          f"{ef} → tuning top-1 {score:.4f}, false answers {false:.3f}")


def main() -> None:
    if not squad.available():
        sys.exit(f"SQuAD v1.1 dev not found at {squad.path()}: set SQUAD_DEV to its path")
    saved = os.environ.get("TUNE_ROWS")  # a pickle of the rows, to try the grids again quickly
    if saved and Path(saved).is_file():
        positives, negatives = pickle.loads(Path(saved).read_bytes())
    else:
        positives, negatives = collect()
        if saved:
            Path(saved).write_bytes(pickle.dumps((positives, negatives)))
    lexical_false = false_answers(negatives, 2.0, -2.0)
    print(f"{len(positives)} tuning questions; lexical top-1 "
          f"{top1(positives, 0.0, 2.0, -2.0):.4f}, false answers on the wrong article "
          f"{lexical_false:.3f}")
    if "--encoder" in sys.argv:  # the static part as chosen before; the encoder's part now
        # No more wrong-article answers than today's rule (the static part as chosen) gives.
        today = false_answers(negatives, FUSION.answers, FUSION.floor)
        print(f"today's rule: false answers {today:.3f}, top-1 "
              f"{top1(positives, FUSION.weight, FUSION.answers, FUSION.floor):.4f}")
        tune_encoder(positives, negatives, max(today, lexical_false) + EXTRA_FALSE,
                     FUSION.answers, FUSION.floor)
        return
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
