"""Choose when ``/fact`` would skip the sentence encoder (``bench/gate.py``; not adopted:
``/fact`` always encodes the question) on the tuning quarter of SQuAD v1.1 dev only, by
four-fold cross-validation over its articles; report the choice on the other three quarters.

    SQUAD_DEV=path/to/dev-v1.1.json python -m bench.tune_gate

Each question is ranked twice: by the lexical ranker with the static model (``FUSION``, no
encoder) and with the encoder too (``ENCODER_FUSION``, the question by ``encode_question``); the
same question is also put to another article, for "nothing answers". A gate (margin, coverage)
keeps the first answer when it is sure, and asks the encoder otherwise. Among the gates whose
top-1 is within ``TOP1_SLACK`` of always asking the encoder and whose wrong-article answers are
within ``FALSE_SLACK`` of it, the one that asks the encoder least.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass

import numpy as np

from bench import squad
from bench.gate import NEVER_SURE, Gate, sure
from parley.core.search.lookup import ArticleIndex, question_query, rank
from parley.core.search.rank import ENCODER_FUSION, FUSION

GATE = NEVER_SURE  # what /fact does

MARGINS = [round(0.02 * i, 2) for i in range(16)]
COVERAGES = [0.34, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
TOP1_SLACK = 0.002
FALSE_SLACK = 0.01
FOLDS = 4


@dataclass(frozen=True)
class Asked:
    """One question's two rankings: the static path's scores and top coverage, and whether each
    path's top answer is right (on its own paragraph) or answers at all (on another article)."""

    article: int
    scores: tuple[float, ...]
    coverage: float
    static: bool
    encoder: bool


def _ask(index: ArticleIndex, text: str, within: tuple[int, ...] | None,
         gold: frozenset[int]) -> Asked:
    query = question_query(index, text)
    _, plain = rank(index, text, FUSION, within, query=query)
    _, better = rank(index, text, ENCODER_FUSION, within, squad.asked(text), query=query)

    def right(hits: list[object]) -> bool:
        if gold:
            return bool(hits) and int(hits[0].id[1:]) in gold  # type: ignore[attr-defined]
        return bool(hits)  # on another article: whether it answers at all (wrongly)
    return Asked(0, tuple(h.score for h in plain[:2]), plain[0].coverage if plain else 0.0,
                 right(list(plain)), right(list(better)))


def collect(part: squad.Part) -> tuple[list[Asked], list[Asked]]:
    arts = list(squad.articles(part))
    indexes = [squad.index_of(a) for a in arts]
    rng = random.Random(19)
    positives, negatives = [], []
    for k, (article, index) in enumerate(zip(arts, indexes, strict=True)):
        for q in article.questions:
            a = _ask(index, q.text, q.positions, q.gold)
            positives.append(Asked(k, a.scores, a.coverage, a.static, a.encoder))
            other = rng.choice([j for j in range(len(arts)) if j != k])
            b = _ask(indexes[other], q.text, None, frozenset())
            negatives.append(Asked(k, b.scores, b.coverage, b.static, b.encoder))
    return positives, negatives


def outcome(gate: Gate | None, positives: list[Asked], negatives: list[Asked]
            ) -> tuple[float, float, float]:
    """(top-1, wrong-article answers, share of questions encoded) with this gate; ``None``
    never asks the encoder."""
    def skips(a: Asked) -> bool:
        return gate is None or sure(gate, a.scores, a.coverage)
    skip = [skips(a) for a in positives]
    right = sum(a.static if s else a.encoder for a, s in zip(positives, skip, strict=True))
    false = sum(a.static if skips(a) else a.encoder for a in negatives)
    n = max(len(positives), 1)
    return right / n, false / max(len(negatives), 1), 1 - sum(skip) / n


def choose(positives: list[Asked], negatives: list[Asked]) -> Gate:
    always = outcome(Gate(np.inf, np.inf), positives, negatives)
    allowed = []
    for m in MARGINS:
        for c in COVERAGES:
            top1, false, share = outcome(Gate(m, c), positives, negatives)
            if top1 >= always[0] - TOP1_SLACK and false <= always[1] + FALSE_SLACK:
                allowed.append((share, -top1, m, c))
    if not allowed:
        return Gate(np.inf, np.inf)
    _, _, m, c = min(allowed)
    return Gate(m, c)


def cross_validate(positives: list[Asked], negatives: list[Asked]) -> list[dict[str, float]]:
    """Each fold's gate chosen on the other three folds' articles, scored on its own."""
    out = []
    for fold in range(FOLDS):
        def inside(rows: list[Asked], keep: bool, fold: int = fold) -> list[Asked]:
            return [a for a in rows if (a.article % FOLDS == fold) == keep]
        gate = choose(inside(positives, False), inside(negatives, False))
        held = outcome(gate, inside(positives, True), inside(negatives, True))
        always = outcome(Gate(np.inf, np.inf), inside(positives, True), inside(negatives, True))
        out.append({"margin": gate.margin, "coverage": gate.coverage, "top1": round(held[0], 4),
                    "always_top1": round(always[0], 4), "false": round(held[1], 4),
                    "always_false": round(always[1], 4), "encoded": round(held[2], 4)})
    return out


def summary(gate: Gate, positives: list[Asked], negatives: list[Asked]) -> dict[str, float]:
    top1, false, share = outcome(gate, positives, negatives)
    a1, af, _ = outcome(Gate(np.inf, np.inf), positives, negatives)
    n1, nf, _ = outcome(None, positives, negatives)
    return {"questions": len(positives), "top1": round(top1, 4), "encoded": round(share, 4),
            "false_answers": round(false, 4), "always_encoder_top1": round(a1, 4),
            "always_encoder_false": round(af, 4), "never_encoder_top1": round(n1, 4),
            "never_encoder_false": round(nf, 4)}


def main() -> None:
    if not squad.available():
        sys.exit(f"SQuAD v1.1 dev not found at {squad.path()}: set SQUAD_DEV to its path")
    squad.question_graph = "integer"  # the gate was chosen for the whole integer graph
    positives, negatives = collect("tune")
    folds = cross_validate(positives, negatives)
    print("folds:", json.dumps(folds))
    gate = choose(positives, negatives)
    print(f"chosen on the whole tuning quarter: {gate}; in use: {GATE}")
    print("tuning quarter:", json.dumps(summary(gate, positives, negatives)))
    if "--tune-only" in sys.argv:
        return
    report = collect("report")
    print("report quarters, the gate in use:", json.dumps(summary(GATE, *report)))
    if gate != GATE:
        print("report quarters, the gate chosen now:", json.dumps(summary(gate, *report)))


if __name__ == "__main__":
    main()
