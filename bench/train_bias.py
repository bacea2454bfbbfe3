"""Fit the sentence bias and opinion models on BABE SG2 (dev) by cross-validation, and report.

    python -m pip install -e ".[bench]" && python -m bench.train_bias

Prints 5-fold cross-validated sentence macro-F1 against ``label_bias`` (the paper's RoBERTa:
0.804) and agreement with ``label_opinion`` (accuracy and macro-F1, opinion = wholly or partly the
writer's opinion), for the shipped model (lexicon, voice and GloVe features: one weight each) and,
for comparison, the same with every word of the sentence as a feature (not shipped: its weights
would carry BABE's vocabulary). C and the threshold are chosen inside the training folds. Also
scores the rule-based opinion score (``rhetoric.opinion_score``) it replaces. Writes
``parley/core/data/sentence_bias.json`` (``--report-only``: writes nothing, and prints the
lexicon's biased-word precision and recall on BABE too).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.babe import (
    ROBERTA_MACRO_F1,
    Sentence,
    folds,
    macro_f1,
    sentences,
    word_precision_recall,
)
from parley.core.analysis.bias import FEATURES, features
from parley.core.analysis.lexicon import load_lexicon
from parley.core.analysis.rhetoric import is_opinion, opinion_score
from parley.core.analysis.tokens import STOPWORDS, stem, words

OUT = Path(__file__).resolve().parent.parent / "parley" / "core" / "data" / "sentence_bias.json"
CS = (0.1, 0.3, 1.0, 3.0)
THRESHOLDS = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def featurise(data: list[Sentence], with_words: bool) -> list[dict[str, float]]:
    lexicon = load_lexicon()
    out = []
    for x in data:
        row = features(x.text, lexicon.find(x.text))
        if with_words:
            row.update({f"w:{stem(w)}": 1.0 for w in words(x.text) if w not in STOPWORDS})
        out.append(row)
    return out


def fit(xs: list[dict[str, float]], ys: list[int], c: float) -> tuple[Any, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    return vec, clf.fit(vec.fit_transform(xs), ys)


def choose(xs: list[dict[str, float]], ys: list[int]) -> tuple[float, float]:
    """C and threshold by an inner 3-fold split of the training rows."""
    best = (-1.0, CS[0], 0.5)
    inner = folds(len(xs), 3)
    for c in CS:
        probs = [0.0] * len(xs)
        for test in inner:
            held = set(test)
            train = [i for i in range(len(xs)) if i not in held]
            vec, clf = fit([xs[i] for i in train], [ys[i] for i in train], c)
            for i, p in zip(test, clf.predict_proba(vec.transform([xs[i] for i in test]))[:, 1],
                            strict=True):
                probs[i] = float(p)
        for t in THRESHOLDS:
            best = max(best, (macro_f1(ys, [int(p >= t) for p in probs]), c, t))
    return best[1], best[2]


def cross_validate(xs: list[dict[str, float]], ys: list[int]) -> tuple[float, float]:
    """Outer 5-fold macro-F1 and accuracy, everything chosen inside the training folds."""
    guess = [0] * len(xs)
    for test in folds(len(xs)):
        held = set(test)
        train = [i for i in range(len(xs)) if i not in held]
        c, t = choose([xs[i] for i in train], [ys[i] for i in train])
        vec, clf = fit([xs[i] for i in train], [ys[i] for i in train], c)
        for i, p in zip(test, clf.predict_proba(vec.transform([xs[i] for i in test]))[:, 1],
                        strict=True):
            guess[i] = int(p >= t)
    accuracy = sum(g == y for g, y in zip(guess, ys, strict=True)) / len(ys)
    return macro_f1(ys, guess), accuracy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--report-only", action="store_true",
                        help="print the cross-validated figures (and the lexicon's word "
                             "precision and recall on BABE); write nothing")
    args = parser.parse_args()
    data = sentences()
    if args.report_only:
        precision, recall = word_precision_recall(load_lexicon(), data)
        print(f"biased words: precision {precision:.4f}, recall {recall:.4f}")
    report: dict[str, Any] = {}
    models = {}
    for target in ("bias", "opinion"):
        rows = [x for x in data if getattr(x, target) is not None]
        ys = [int(getattr(x, target)) for x in rows]
        for with_words in (False, True):
            xs = featurise(rows, with_words)
            f1, accuracy = cross_validate(xs, ys)
            name = f"{target}{'_with_words' if with_words else ''}"
            report[name] = {"macro_f1": round(f1, 4), "accuracy": round(accuracy, 4)}
            print(f"{name}: cross-validated macro-F1 {f1:.3f}, accuracy {accuracy:.3f} "
                  f"({len(rows)} sentences)")
            if not with_words:
                c, t = choose(xs, ys)
                vec, clf = fit(xs, ys, c)
                weights = dict(zip(vec.get_feature_names_out(), clf.coef_[0], strict=True))
                models[target] = {"C": c, "threshold": t,
                                  "bias": round(float(clf.intercept_[0]), 4),
                                  "weights": {k: round(float(weights.get(k, 0.0)), 4)
                                              for k in FEATURES}}
        if target == "opinion":
            lexicon = load_lexicon()
            rule = [int(is_opinion(opinion_score(x.text, lexicon.find(x.text)))) for x in rows]
            f1 = macro_f1(ys, rule)
            accuracy = sum(g == y for g, y in zip(rule, ys, strict=True)) / len(ys)
            report["opinion_rule_based"] = {"macro_f1": round(f1, 4),
                                            "accuracy": round(accuracy, 4)}
            print(f"rule-based opinion score: macro-F1 {f1:.3f}, accuracy {accuracy:.3f}")
    gap = ROBERTA_MACRO_F1 - report["bias"]["macro_f1"]
    print(f"gap to the paper's RoBERTa (0.804): {gap:.3f}")
    if args.report_only:
        return
    OUT.write_text(json.dumps({
        "about": "Logistic sentence models; features described in parley/core/analysis/bias.py "
                 "(one weight per feature, no vocabulary).",
        "trained_on": "BABE SG2, the 80 % dev part in ../shared/eval/bias (expert labels); "
                      "weights only",
        "cross_validated": report, "models": models,
    }, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
