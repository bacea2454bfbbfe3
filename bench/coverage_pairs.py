"""A learned "same topic" pair scorer, tried against the shipped topic-term cosine: logistic
regression over generic, topic-free similarity features of two articles, fitted on the tune
half's pairs only, its features and bar chosen by leave-one-topic-out within the tune half,
and the report half measured once (``bench.coverage_topics``'s protocol and figures).

``python -m bench.coverage_pairs --db STORE [--precision 0.9] [--sets a,b;c]`` reads
``../shared/eval/corpus/topics.jsonl`` and a store kept by ``python -m bench.coverage --only
quality --keep STORE`` (the encoder vectors, the profiles' names; matched by address). Features
of a pair (nothing knows the topics' names or words; the labels are only the target):

- ``topic``: the topic-term cosine (``match.topic_similarity``'s, as shipped);
- ``encoder``: the cosine of the two articles' mean encoder sentence vectors, less the tune
  half's mean vector (``coverage_topics``'s ``encoder-centred``);
- ``static``: the same with the static passage vectors, uncentred;
- ``relate``: ``match.relate``'s score;
- ``names``: log(1 + the named entities the two profiles share);
- ``days``: log(1 + days between them), 0 when either is undated, and ``undated`` (1 then).

Each set is fitted on every other-outlet pair of the training topics (same topic label or
not), standardised; the pair's score is the fitted probability, and the section's bar is
chosen on it as for a cosine (``coverage_topics.choose``), over bars spaced on the logit
scale (``PROBABILITY_BARS``). Leave-one-topic-out: for
each tune topic, fitted and barred on the other four, measured on it; the set with the most
mean held-out coverage at a held-out precision of at least the goal wins, and is refitted on
the whole tune half for the report half.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from bench.coverage import corpus, halves
from bench.coverage_topics import (
    PRECISION_GOAL,
    _profiles,
    at,
    choose,
    curves,
    encoder_vectors,
    relate_scores,
    similarities,
)
from parley.core.analysis.tokens import fold
from parley.core.coverage.leanings import outlet_of

# a probability's bars on the logit scale (the cosines' 0.02 steps would put every useful bar
# of a sharp model above 0.98, where they stop)
PROBABILITY_BARS = tuple(round(1 / (1 + math.exp(-t)), 6) for t in np.linspace(-8, 8, 65))
FEATURES = ("topic", "encoder", "static", "relate", "names", "days", "undated")
DEFAULT_SETS = ("topic;topic,encoder;topic,names;topic,days,undated;topic,relate;"
                "topic,encoder,names;topic,encoder,names,days,undated;"
                "topic,encoder,static,relate,names,days,undated")


def feature_matrices(rows: list[dict[str, Any]], db: Path) -> dict[str, np.ndarray]:
    """Every pair's value of each feature, n × n."""
    profiles = asyncio.run(_profiles(db, rows))
    n = len(rows)
    names = np.zeros((n, n), dtype=np.float32)
    days = np.zeros((n, n), dtype=np.float32)
    undated = np.zeros((n, n), dtype=np.float32)
    entity_sets = [set(p.entities) for p in profiles]
    for i, a in enumerate(profiles):
        for j in range(i + 1, n):
            b = profiles[j]
            names[i, j] = names[j, i] = math.log1p(len(entity_sets[i] & entity_sets[j]))
            if a.published is None or b.published is None:
                undated[i, j] = undated[j, i] = 1.0
            else:
                days[i, j] = days[j, i] = math.log1p(abs((a.published - b.published).days))
    encoder_vectors(db, rows)  # read once; ``similarities`` reuses them
    out = {"topic": similarities("topic", rows, None),
           "encoder": similarities("encoder-centred", rows, db),
           "static": similarities("static", rows, None),
           "relate": relate_scores(db, rows), "names": names, "days": days, "undated": undated}
    return {k: np.asarray(v, dtype=np.float32) for k, v in out.items() if v is not None}


def _pairs(members: list[int], outlets: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The other-outlet pairs (i < j) among ``members``."""
    idx = np.array(sorted(members))
    i, j = np.triu_indices(len(idx), k=1)
    a, b = idx[i], idx[j]
    keep = np.array([outlets[x] != outlets[y] for x, y in zip(a, b, strict=True)], dtype=bool)
    return a[keep], b[keep]


def fitted_scores(features: dict[str, np.ndarray], chosen: list[str], rows: list[dict[str, Any]],
                  train: list[int]) -> tuple[np.ndarray, dict[str, float]]:
    """Every pair's same-topic probability by a logistic regression fitted on ``train``'s
    pairs only, and its standardised coefficients."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    outlets = [fold(outlet_of(r["outlet"], r["url"])) for r in rows]
    topics = np.array([r["topic"] for r in rows])
    a, b = _pairs(train, outlets)
    x = np.column_stack([features[f][a, b] for f in chosen])
    y = (topics[a] == topics[b]).astype(int)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(x, y)
    n = len(rows)
    every = np.column_stack([features[f].ravel() for f in chosen])
    scores = np.asarray(model.predict_proba(every)[:, 1], dtype=np.float32).reshape(n, n)
    np.fill_diagonal(scores, 1.0)
    return scores, dict(zip(chosen, model[-1].coef_[0].round(3).tolist(), strict=True))


def held_out(features: dict[str, np.ndarray], chosen: list[str], rows: list[dict[str, Any]],
             goal: float) -> dict[str, Any]:
    """Leave-one-topic-out within the tune half: fitted and barred on four, measured on one."""
    tune, _ = halves(rows)
    out = {}
    for topic in tune:
        rest = [i for i, r in enumerate(rows) if r["topic"] in tune and r["topic"] != topic]
        held = [i for i, r in enumerate(rows) if r["topic"] == topic]
        scores, _ = fitted_scores(features, chosen, rows, rest)
        bar = choose(curves(scores, rows, rest, bars=PROBABILITY_BARS), goal)
        out[topic] = {"bar": bar, **at(curves(scores, rows, held, bars=PROBABILITY_BARS), bar)}
    return {"mean_coverage": round(float(np.mean([v["coverage"] for v in out.values()])), 4),
            "mean_precision": round(float(np.mean([v["precision"] for v in out.values()])), 4),
            "topics": out}


def report(features: dict[str, np.ndarray], chosen: list[str], rows: list[dict[str, Any]],
           goal: float) -> dict[str, Any]:
    """Fitted and barred on the whole tune half; the report half once at that bar."""
    tune, report_topics = halves(rows)
    tune_ids = [i for i, r in enumerate(rows) if r["topic"] in tune]
    report_ids = [i for i, r in enumerate(rows) if r["topic"] in report_topics]
    scores, coefficients = fitted_scores(features, chosen, rows, tune_ids)
    tune_curve = curves(scores, rows, tune_ids, bars=PROBABILITY_BARS)
    bar = choose(tune_curve, goal)
    return {"bar": bar, "coefficients": coefficients, "tune_at_bar": at(tune_curve, bar),
            "report_at_bar": at(curves(scores, rows, report_ids, bars=PROBABILITY_BARS), bar)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.coverage_pairs")
    parser.add_argument("--db", type=Path, required=True, help="a kept quality store")
    parser.add_argument("--precision", type=float, default=PRECISION_GOAL)
    parser.add_argument("--sets", default=DEFAULT_SETS, help="feature sets, ';'-separated, "
                        f"each ','-separated from {', '.join(FEATURES)}")
    args = parser.parse_args()
    rows = corpus()
    features = feature_matrices(rows, args.db)
    results = {}
    for spec in args.sets.split(";"):
        chosen = spec.split(",")
        results[spec] = held_out(features, chosen, rows, args.precision)
        print(json.dumps({spec: {k: v for k, v in results[spec].items() if k != "topics"}}),
              flush=True)
    ok = {k: v for k, v in results.items() if v["mean_precision"] >= args.precision}
    best = max(ok or results, key=lambda k: (results[k]["mean_coverage"], -len(k)))
    print(json.dumps({"held_out": results, "chosen": best,
                      "report": report(features, best.split(","), rows, args.precision),
                      "shipped_topic_only": report(features, ["topic"], rows, args.precision)},
                     indent=1), flush=True)


if __name__ == "__main__":
    main()
