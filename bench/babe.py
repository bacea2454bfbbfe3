"""BABE SG2 (../shared/eval/bias/babe_sg2_dev.csv): its sentences and expert labels, folds, and the
word-level and sentence-level measures. Read for evaluation and cross-validated fitting only; never
copied into the project."""

from __future__ import annotations

import ast
import csv
from dataclasses import dataclass

from bench.clef import EVAL
from parley.core.analysis.lexicon import Lexicon
from parley.core.analysis.tokens import words

BABE = EVAL / "bias" / "babe_sg2_dev.csv"
ROBERTA_MACRO_F1 = 0.804  # the paper's best model on SG2 (Spinde et al., 2021)


@dataclass(frozen=True)
class Sentence:
    text: str
    outlet: str
    bias: int | None  # 1 biased, 0 not, None no agreement
    opinion: int | None  # 1 expresses or partly expresses the writer's opinion, 0 factual
    words: frozenset[str]  # the words the experts marked, folded


def sentences() -> list[Sentence]:
    out = []
    with BABE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            try:
                marked = ast.literal_eval(row["biased_words"] or "[]")
            except (ValueError, SyntaxError):
                marked = []
            bias = {"Biased": 1, "Non-biased": 0}.get(row["label_bias"])
            opinion = None if row["label_opinion"] == "No agreement" else int(
                row["label_opinion"] != "Entirely factual")
            out.append(Sentence(row["text"], row["outlet"], bias, opinion,
                                frozenset(w for m in marked for w in words(str(m)))))
    return out


def folds(n: int, k: int = 5) -> list[list[int]]:
    """K interleaved folds over n items (deterministic)."""
    return [list(range(i, n, k)) for i in range(k)]


def marked_words(lexicon: Lexicon, text: str) -> set[str]:
    return {w for m in lexicon.find(text) for w in words(m.text)}


def word_precision_recall(lexicon: Lexicon, data: list[Sentence]) -> tuple[float, float]:
    """Micro precision and recall of the lexicon's marked words against the experts' words."""
    hit = found = gold = 0
    for s in data:
        mine = marked_words(lexicon, s.text)
        hit += len(mine & s.words)
        found += len(mine)
        gold += len(s.words)
    return hit / max(1, found), hit / max(1, gold)


def macro_f1(gold: list[int], guess: list[int]) -> float:
    scores = []
    for label in (0, 1):
        tp = sum(g == label and p == label for g, p in zip(gold, guess, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, guess, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, guess, strict=True))
        scores.append(2 * tp / max(1, 2 * tp + fp + fn))
    return sum(scores) / 2
