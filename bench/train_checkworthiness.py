"""Train the check-worthiness weights on the CLEF 2019 training split (never the test split).

    python -m pip install scikit-learn && python -m bench.train_checkworthiness

Writes ``parley/core/data/checkworthiness.json``: a bias and one weight per feature, scored at run
time in plain Python by ``parley.core.analysis.checkworthiness``. scikit-learn is needed only here.

Two stages. The sentence model (hand, lexical and meaning features) is fitted first, its C
chosen by leave-one-debate-out cross-validation. The context weights (a sentence's position, an
interviewer's voice) are then fitted on that model's out-of-fold scores, so they weigh only what
the text cannot show, and are scaled to its logit.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.clef import Line, average_precision, split
from parley.core.analysis.checkworthiness import (
    CONTEXT_FEATURES,
    HAND_FEATURES,
    MEANING_FEATURES,
    document_context,
    features,
)

OUT = Path(__file__).resolve().parent.parent / "parley" / "core" / "data" / "checkworthiness.json"


def _dense(name: str) -> bool:
    """Hand and meaning features: always kept, never trimmed."""
    return name in HAND_FEATURES or name in MEANING_FEATURES


def featurise(lines: list[Line]) -> list[dict[str, float]]:
    return [features(x.text) for x in lines]


def context_rows(lines: list[Line], scores: list[float],
                 share: float) -> list[list[float]]:
    """The second stage's inputs for one debate: the sentence model's score, then context."""
    contexts = document_context([x.text for x in lines], [x.speaker for x in lines], share)
    return [[s, *(c.get(k, 0.0) for k in CONTEXT_FEATURES)]
            for s, c in zip(scores, contexts, strict=True)]


def fit_context(debates: dict[str, list[Line]], oof: dict[str, list[float]],
                shares: list[float]) -> tuple[float, dict[str, float], float]:
    """The interviewer share and context weights with the best cross-validated MAP, and that MAP.
    Weights are divided by the score's own weight, so they add to the sentence model's logit."""
    from sklearn.linear_model import LogisticRegression

    def fit(names: list[str], share: float) -> LogisticRegression:
        xs = [row for n in names for row in context_rows(debates[n], oof[n], share)]
        ys = [x.label for n in names for x in debates[n]]
        return LogisticRegression(class_weight="balanced", max_iter=2000).fit(xs, ys)

    best: tuple[float, float] = (-1.0, shares[0])
    for share in shares:
        aps = [average_precision([x.label for x in debates[held]], list(
            fit([n for n in debates if n != held], share).decision_function(
                context_rows(debates[held], oof[held], share))))
               for held in debates]
        score = sum(aps) / len(aps)
        print(f"interviewer share {share}: cross-validated MAP in context {score:.3f}")
        best = max(best, (score, share))
    score, share = best
    coef = fit(list(debates), share).coef_[0]
    weights = {k: round(float(w / coef[0]), 4) for k, w in zip(CONTEXT_FEATURES, coef[1:],
                                                               strict=True)}
    return share, weights, score


def main() -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser()
    parser.add_argument("--c", type=float, nargs="*", default=[0.01, 0.03, 0.1, 0.3])
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--max-features", type=int, default=6000)
    parser.add_argument("--shares", type=float, nargs="*",
                        default=[0.05, 0.1, 0.15, 0.2, 0.25, 0.3])
    args = parser.parse_args()

    debates = split("training")
    feats = {name: featurise(lines) for name, lines in debates.items()}
    counts: dict[str, int] = {}
    for rows in feats.values():
        for row in rows:
            for k in row:
                counts[k] = counts.get(k, 0) + 1
    keep = {k for k, n in counts.items() if n >= args.min_count or _dense(k)}

    def matrix(names: list[str]) -> tuple[list[dict[str, float]], list[int]]:
        xs = [{k: v for k, v in row.items() if k in keep} for n in names for row in feats[n]]
        ys = [x.label for n in names for x in debates[n]]
        return xs, ys

    best_c, best_map = args.c[0], -1.0
    best_oof: dict[str, list[float]] = {}
    names = list(debates)
    for c in args.c:  # leave-one-debate-out on the training split
        oof = {}
        for held in names:
            xs, ys = matrix([n for n in names if n != held])
            vec = DictVectorizer()
            clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
            clf.fit(vec.fit_transform(xs), ys)
            oof[held] = [float(v) for v in clf.decision_function(vec.transform(matrix([held])[0]))]
        aps = [average_precision([x.label for x in debates[n]], oof[n]) for n in names]
        score = sum(aps) / len(aps)
        print(f"C={c}: cross-validated MAP {score:.3f}")
        if score > best_map:
            best_c, best_map, best_oof = c, score, oof
    share, context, context_map = fit_context(debates, best_oof, args.shares)
    xs, ys = matrix(names)
    vec = DictVectorizer()
    clf = LogisticRegression(C=best_c, class_weight="balanced", max_iter=2000)
    clf.fit(vec.fit_transform(xs), ys)
    weights = dict(zip(vec.get_feature_names_out(), clf.coef_[0], strict=True))
    hand = {k: round(float(weights.get(k, 0.0)), 4) for k in HAND_FEATURES}
    meaning = {k: round(float(weights.get(k, 0.0)), 4) for k in MEANING_FEATURES}
    lexical = sorted(((k, float(w)) for k, w in weights.items() if not _dense(k)),
                     key=lambda kw: -abs(kw[1]))[:args.max_features]
    OUT.write_text(json.dumps({
        "about": "Logistic check-worthiness model. Hand features are described in "
                 "parley/core/analysis/checkworthiness.py; w: = stemmed word, b: = bigram, "
                 "e: = a dimension of the sentence's mean GloVe vector "
                 "(parley/core/data/wordvectors); "
                 "c: = context, fitted on the sentence model's out-of-fold scores.",
        "trained_on": "CLEF 2019 CheckThat! Task 1 training split (19 debates, 16,421 lines)",
        "C": best_c, "cross_validated_map": round(best_map, 4),
        "cross_validated_map_in_context": round(context_map, 4),
        "interviewer_question_share": share,
        "bias": round(float(clf.intercept_[0]), 4),
        "weights": {**hand, **context, **meaning,
                    **{k: round(w, 4) for k, w in lexical if abs(w) >= 1e-3}},
    }, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} with C={best_c}, interviewer share {share}, context {context}")


if __name__ == "__main__":
    main()
