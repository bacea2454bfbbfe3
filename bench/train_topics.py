"""Train the news-topic model (``bench.topic_model``) on public AllSides data only.

    python -m pip install -e ".[bench]" && python -m bench.train_topics [--kind-topics]

Classes: the ten topics of ``../shared/eval/corpus/topics.jsonl`` and "other". Fitted on the
**tune half** of topics.jsonl (``bench.coverage.halves``, the topics the coverage rules are
chosen on) and, as "other", one half (``other_halves``, a fixed split by id) of the
``kind.jsonl`` articles whose topic is none of the ten; the other half is kept apart for the
safety check (``bench.coverage_topics``'s ``model`` method). ``--kind-topics`` also fits on the
``kind.jsonl`` articles whose topic *is* one of the ten (a different set of articles from
topics.jsonl: no address in common) — the only public examples of the report half's topics
that are not the report half itself. C and the least document frequency of a stem are chosen by
stratified 5-fold cross-validation (log loss) within the training set. Writes
``bench/topic_model.json`` (float16 weights, base64; about 100 KB; ``--out`` elsewhere).
scikit-learn is needed only here. Features: the article's weighted content stems as the
coverage profile computes them (``profile.weighted_stems``), unit length
(``topic_model.features``). About 15 minutes on a loaded 2-core machine (``--c``/``--min-df``
narrow the grid).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from bench.clef import EVAL
from bench.coverage import corpus, halves, parsed_row
from bench.topic_model import OTHER, TopicModel, decode, features
from parley.core.coverage.profile import weighted_stems

KIND = EVAL / "corpus" / "kind.jsonl"
OUT = Path(__file__).resolve().with_name("topic_model.json")
GRID_C = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
GRID_MIN_DF = (2, 3, 5)
FOLDS = 5


def kind_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in KIND.read_text(encoding="utf-8").splitlines()]


def _half(row_id: str) -> int:
    return hashlib.sha256(row_id.encode()).digest()[0] % 2


def other_halves(topics: set[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """kind.jsonl's articles of none of the ten topics, split by a hash of their id: the half
    fitted as "other", and the half kept apart for the safety check."""
    others = [r for r in kind_rows() if r.get("topic") not in topics and r.get("text")]
    return [r for r in others if _half(r["id"]) == 0], [r for r in others if _half(r["id"]) == 1]


@cache
def _weighted(row_id: str, row_json: str) -> dict[str, float]:
    row = json.loads(row_json)
    parsed = parsed_row(row)
    return weighted_stems(parsed.title, [s.text for sec in parsed.sections
                                         for s in sec.sentences])


def row_features(row: dict[str, Any]) -> dict[str, float]:
    """The model's input for a corpus row, parsed as Parley parses it."""
    return features(_weighted(row["id"], json.dumps(row, sort_keys=True)))


def training_set(kind_topics: bool) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows the model is fitted on and their labels."""
    rows = corpus()
    ten = {r["topic"] for r in rows}
    tune, _ = halves(rows)
    fit_rows = [r for r in rows if r["topic"] in tune]
    labels = [r["topic"] for r in fit_rows]
    fitted_other, _ = other_halves(ten)
    fit_rows += fitted_other
    labels += [OTHER] * len(fitted_other)
    if kind_topics:
        extra = [r for r in kind_rows() if r.get("topic") in ten and r.get("text")]
        fit_rows += extra
        labels += [r["topic"] for r in extra]
    return fit_rows, labels


def fit(xs: list[dict[str, float]], ys: list[str], c: float, min_df: int) -> TopicModel:
    """A fitted model (scikit-learn's multinomial logistic regression), as shipped."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    df = Counter(s for x in xs for s in x)
    keep = {s for s, n in df.items() if n >= min_df}
    vec = DictVectorizer()
    matrix = vec.fit_transform([{s: v for s, v in x.items() if s in keep} for x in xs])
    clf = LogisticRegression(C=c, max_iter=5000).fit(matrix, ys)
    weights = np.asarray(clf.coef_.T, dtype=np.float16).astype(np.float32)
    return TopicModel(classes=tuple(str(k) for k in clf.classes_),
                      index={str(s): i for i, s in enumerate(vec.get_feature_names_out())},
                      weights=weights, bias=np.asarray(clf.intercept_, dtype=np.float32))


def probabilities(model: TopicModel, x: dict[str, float]) -> np.ndarray:
    logits = model.bias.astype(np.float64).copy()
    for s, v in x.items():
        row = model.index.get(s)
        if row is not None:
            logits += v * model.weights[row]
    logits -= logits.max()
    p = np.exp(logits)
    return np.asarray(p / p.sum())


def folds(ys: list[str]) -> list[list[int]]:
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=0)
    return [list(test) for _, test in splitter.split(np.zeros(len(ys)), ys)]


def out_of_fold(xs: list[dict[str, float]], ys: list[str], c: float, min_df: int
                ) -> tuple[list[np.ndarray], tuple[str, ...]]:
    """Each training row's probabilities from the model fitted without its fold."""
    out: list[np.ndarray] = [np.zeros(0)] * len(xs)
    classes: tuple[str, ...] = ()
    for test in folds(ys):
        held = set(test)
        train = [i for i in range(len(xs)) if i not in held]
        model = fit([xs[i] for i in train], [ys[i] for i in train], c, min_df)
        classes = model.classes
        for i in test:
            out[i] = probabilities(model, xs[i])
    return out, classes


def log_loss(probs: list[np.ndarray], ys: list[str], classes: tuple[str, ...]) -> float:
    at = {c: k for k, c in enumerate(classes)}
    return float(np.mean([-np.log(max(1e-9, p[at[y]])) for p, y in zip(probs, ys, strict=True)]))


def choose(kind_topics: bool, grid_c: tuple[float, ...] = GRID_C,
           grid_min_df: tuple[int, ...] = GRID_MIN_DF) -> tuple[float, int, dict[str, float]]:
    """C and the least document frequency with the lowest cross-validated log loss."""
    rows, ys = training_set(kind_topics)
    xs = [row_features(r) for r in rows]
    scores = {}
    for c in grid_c:
        for min_df in grid_min_df:
            probs, classes = out_of_fold(xs, ys, c, min_df)
            loss = log_loss(probs, ys, classes)
            acc = float(np.mean([classes[int(np.argmax(p))] == y
                                 for p, y in zip(probs, ys, strict=True)]))
            scores[f"C={c},min_df={min_df}"] = round(loss, 4)
            print(f"C={c} min_df={min_df}: log loss {loss:.4f}, accuracy {acc:.3f}", flush=True)
    best = min(scores, key=lambda k: (scores[k], k))
    c_part, df_part = best.split(",")
    return float(c_part.split("=")[1]), int(df_part.split("=")[1]), scores


def encode(model: TopicModel, about: dict[str, Any]) -> dict[str, Any]:
    """The shipped file's JSON: stems with any weight of note, float16 weights in base64."""
    keep = [s for s, i in sorted(model.index.items(), key=lambda kv: kv[1])
            if float(np.abs(model.weights[i]).max()) >= 1e-3]
    matrix = np.vstack([model.weights[model.index[s]] for s in keep]).astype("<f2")
    return {**about, "classes": list(model.classes), "stems": keep,
            "bias": [round(float(b), 5) for b in model.bias],
            "weights": base64.b64encode(matrix.tobytes()).decode("ascii")}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.train_topics")
    parser.add_argument("--kind-topics", action="store_true",
                        help="also fit on kind.jsonl's articles of the ten topics")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--c", type=float, nargs="*", default=list(GRID_C))
    parser.add_argument("--min-df", type=int, nargs="*", default=list(GRID_MIN_DF))
    args = parser.parse_args()
    c, min_df, scores = choose(args.kind_topics, tuple(args.c), tuple(args.min_df))
    rows, ys = training_set(args.kind_topics)
    model = fit([row_features(r) for r in rows], ys, c, min_df)
    body = encode(model, {
        "about": "Multinomial logistic news-topic model over an article's unit-length weighted "
                 "content stems (bench/topic_model.py); classes: the coverage "
                 "corpus's topics it was fitted on (the tune half's five; with --kind-topics "
                 "all ten) and 'other'.",
        "trained_on": "AllSides crawl (ramybaly/Article-Bias-Prediction, Apache-2.0; texts "
                      "belong to their outlets): the tune half of ../shared/eval/corpus/"
                      "topics.jsonl and one half of kind.jsonl's other-topic articles"
                      + (", and kind.jsonl's articles of the ten topics" if args.kind_topics
                         else "") + "; weights only",
        "C": c, "min_df": min_df, "kind_topics": args.kind_topics,
        "cross_validated_log_loss": scores,
        "counts": dict(sorted(Counter(ys).items())),
    })
    args.out.write_text(json.dumps(body, indent=0) + "\n", encoding="utf-8")
    assert decode(body).classes == model.classes
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes) with C={c}, min_df={min_df}, "
          f"{len(body['stems'])} stems")


if __name__ == "__main__":
    main()
