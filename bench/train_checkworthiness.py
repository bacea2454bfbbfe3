"""Train the check-worthiness weights on the CLEF 2019 training split (never the test split).

    python -m pip install scikit-learn && python -m bench.train_checkworthiness

Writes ``bot/data/checkworthiness.json``: a bias and one weight per feature, scored at run time
in plain Python by ``bot.analysis.checkworthiness``. scikit-learn is needed only here.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.clef import Line, average_precision, split
from bot.analysis.checkworthiness import HAND_FEATURES, MEANING_FEATURES, features

OUT = Path(__file__).resolve().parent.parent / "bot" / "data" / "checkworthiness.json"


def _dense(name: str) -> bool:
    """Hand and meaning features: always kept, never trimmed."""
    return name in HAND_FEATURES or name in MEANING_FEATURES


def featurise(lines: list[Line]) -> list[dict[str, float]]:
    return [features(x.text) for x in lines]


def main() -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser()
    parser.add_argument("--c", type=float, nargs="*", default=[0.01, 0.03, 0.1, 0.3])
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--max-features", type=int, default=6000)
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
    names = list(debates)
    for c in args.c:  # leave-one-debate-out on the training split
        aps = []
        for held in names:
            xs, ys = matrix([n for n in names if n != held])
            vec = DictVectorizer()
            clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
            clf.fit(vec.fit_transform(xs), ys)
            hx, hy = matrix([held])
            aps.append(average_precision(hy, list(clf.decision_function(vec.transform(hx)))))
        score = sum(aps) / len(aps)
        print(f"C={c}: cross-validated MAP {score:.3f}")
        if score > best_map:
            best_c, best_map = c, score
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
                 "bot/analysis/checkworthiness.py; w: = stemmed word, b: = bigram, "
                 "e: = a dimension of the sentence's mean GloVe vector (bot/data/wordvectors).",
        "trained_on": "CLEF 2019 CheckThat! Task 1 training split (19 debates, 16,421 lines)",
        "C": best_c, "cross_validated_map": round(best_map, 4),
        "bias": round(float(clf.intercept_[0]), 4),
        "weights": {**hand, **meaning, **{k: round(w, 4) for k, w in lexical if abs(w) >= 1e-3}},
    }, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} with C={best_c}")


if __name__ == "__main__":
    main()
