"""A smaller question graph for ``/fact``, chosen on SQuAD's tuning quarter only (issue #19).

The integer question graph (``graph.integer``, what ``encode_question`` runs) cut after its
first 5, 4 or 3 of six layers (:func:`truncate`), its pooled output taken (a) as is, or (b)
through a linear map (ridge least squares, the bias unpenalised) onto the **exact** graph's
question vectors, the space the stored sentence vectors live in. The map is fitted on question
texts only: SQuAD dev's tuning-quarter questions, optionally with CLEF 2020 Task 2's 800
*train* tweets; never on a reported quarter. Every variant is scored by four-fold
cross-validation over the tuning quarter's articles (the map fitted on three folds' questions
and the tweets, ``/fact``'s ranking, ``ENCODER_FUSION``, run on the fourth's): top-1 as
``bench.squad`` counts it; and the thread CPU of one ``session.run`` over 200 tuning questions.

    SQUAD_DEV=/work/data/squad/dev-v1.1.json python -m bench.question_layers [--layers 5 4 3]
    SQUAD_DEV=... python -m bench.question_layers --build LAYERS ALPHA [--clef] [--out PATH]

``--build`` fits one variant's map on the whole tuning quarter (and the CLEF train tweets with
``--clef``) and writes it (float16 weight and bias, its layers and alpha) to ``PATH`` (default
``~/.cache/parley/question-map.npz``, outside the repository: nothing of it ships, it was not
adopted; ``docs/facts.md``). ``python -m bench.squad --question-graph mapped`` and ``python -m
bench.question_handoff --graphs`` read it. The exact graph's vectors come from ``bench.squad``'s
cache; the truncated graphs' are computed here (seconds). Build time only: ``onnx`` rewrites
the installed graph in memory, as ``parley.core.meaning.graph`` does at load.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from bench import squad
from bench.clef import EVAL
from parley.core.meaning.encoder import Encoder, Hidden, _graph, _session, _tokenizer, encode
from parley.core.meaning.graph import Graph, prune
from parley.core.meaning.model import Matrix
from parley.core.search.lookup import question_query, rank
from parley.core.search.rank import ENCODER_FUSION, FUSION

FOLDS = 4
ALPHAS = (0.0, 0.1, 1.0, 3.0, 10.0, 30.0)
MAP = Path.home() / ".cache" / "parley" / "question-map.npz"
CLEF_TRAIN = EVAL / "claim-matching" / "clef2020-task2" / "train" / "tweets.queries.tsv"


def fold_of(title: str) -> int:
    return hashlib.sha256(f"fold:{title}".encode()).digest()[0] % FOLDS


def truncate(graph: Graph, layers: int) -> None:
    """Make the graph end after its first ``layers`` transformer layers: the output is that
    layer's closing ``LayerNormalization`` (the graph's first one normalises the embeddings,
    then each layer has two), the later layers pruned away."""
    norms = [n.output[0] for n in graph.node if n.op_type == "LayerNormalization"]
    if layers < 1 or 2 * layers >= len(norms):
        raise ValueError(f"cannot keep {layers} of the graph's {(len(norms) - 1) // 2} layers")
    graph.output[0].name = norms[2 * layers]
    prune(graph)


def truncated_graph(layers: int) -> bytes:
    """The integer question graph's bytes, cut after ``layers`` layers."""
    import onnx

    from parley.core.meaning import graph

    model = onnx.load_from_string(graph.integer(_graph()))
    truncate(model.graph, layers)
    return bytes(model.SerializeToString())


@cache
def truncated(layers: int) -> Encoder:
    return Encoder(_tokenizer(), _session(truncated_graph(layers)), f"integer-l{layers}")


class Mapped(Encoder):
    """A truncated graph's encoder whose pooled unit rows go through a linear map (and are made
    unit again)."""

    def __init__(self, base: Encoder, weight: np.ndarray, bias: np.ndarray, id: str) -> None:
        super().__init__(base.tokenizer, base.session, id)
        self.weight, self.bias = weight, bias

    def pool(self, hidden: Hidden, feeds: dict[str, Any]) -> Matrix:
        return mapped(super().pool(hidden, feeds), self.weight, self.bias)


@cache
def mapped_encoder(path: Path = MAP) -> Mapped:
    """The map ``--build`` wrote, over its truncated graph."""
    if not path.is_file():
        sys.exit(f"{path} not found: make it with python -m bench.question_layers --build …")
    with np.load(path) as saved:
        layers, alpha = int(saved["layers"]), float(saved["alpha"])
        weight = np.asarray(saved["weight"], dtype=np.float32)
        bias = np.asarray(saved["bias"], dtype=np.float32)
    digest = hashlib.sha256(weight.tobytes() + bias.tobytes()).hexdigest()[:8]
    return Mapped(truncated(layers), weight, bias, f"integer-l{layers}-a{alpha:g}-map-{digest}")


def clef_tweets() -> list[str]:
    with CLEF_TRAIN.open(encoding="utf-8", newline="") as f:
        return [row[1] for row in csv.reader(f, delimiter="\t") if len(row) > 1]


def fit(x: np.ndarray, y: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Ridge least squares ``y ≈ x @ w + b`` (the bias unpenalised: both sides centred)."""
    mx, my = x.mean(axis=0), y.mean(axis=0)
    xc, yc = x - mx, y - my
    gram = xc.T @ xc + alpha * np.eye(x.shape[1])
    w = np.linalg.solve(gram, xc.T @ yc)
    return w, my - mx @ w


def mapped(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> Matrix:
    """Rows ``x`` mapped, then unit again."""
    out = x @ w + b
    norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return np.asarray(out / norms, dtype=np.float32)


def top1(articles: list[squad.Article], vectors: dict[str, np.ndarray]) -> tuple[int, int]:
    """Right and asked: ``/fact``'s ranking with each question's vector from ``vectors``."""
    right = asked = 0
    for article in articles:
        index = _index(article.title)
        for q in article.questions:
            query = question_query(index, q.text)
            _, hits = rank(index, q.text, FUSION, within=q.positions, query=query)
            _, hits = rank(index, q.text, ENCODER_FUSION, within=q.positions,
                           encoded_question=vectors[q.text], query=query)
            asked += 1
            right += bool(hits) and int(hits[0].id[1:]) in q.gold
    return right, asked


_indexes: dict[str, Any] = {}


def _index(title: str) -> Any:
    return _indexes[title]


def run_call_ms(encoder: Encoder, texts: list[str], rounds: int = 3) -> float:
    """Mean thread CPU (ms) of one ``session.run`` over these texts, one at a time."""
    feeds = [encoder.feeds([t]) for t in texts]
    encoder.run(feeds[0])
    start = time.thread_time()
    for _ in range(rounds):
        for f in feeds:
            encoder.run(f)
    return 1000 * (time.thread_time() - start) / (rounds * len(feeds))


def tune(layer_choices: list[int]) -> dict[str, Any]:
    tuning = list(squad.articles("tune"))
    for article in tuning:
        _indexes[article.title] = squad.index_of(article)
    questions = list(dict.fromkeys(q.text for a in tuning for q in a.questions))
    fold = {q.text: fold_of(a.title) for a in tuning for q in a.questions}
    exact = np.stack([squad.encoded(t) for t in questions]).astype(np.float64)
    tweets = clef_tweets()
    tweets_exact = encode(tweets).astype(np.float64)
    sample = questions[:: max(1, len(questions) // 200)]
    out: dict[str, Any] = {"tuning questions": len(questions), "clef train tweets": len(tweets),
                           "folds": FOLDS}
    squad.question_graph = "integer"  # the whole integer graph, as shipped before
    shipped = {t: squad.asked(t) for t in questions}
    out["integer graph, 6 layers (shipped)"] = _score(tuning, shipped)
    out["exact graph, 6 layers"] = _score(tuning, {t: squad.encoded(t) for t in questions})
    for layers in layer_choices:
        encoder = truncated(layers)
        x = encoder.encode(questions).astype(np.float64)
        xt = encoder.encode(tweets).astype(np.float64)
        row: dict[str, Any] = {"run ms (thread CPU, 200 tuning questions)":
                               round(run_call_ms(encoder, sample), 3)}
        row["as is"] = _score(tuning, dict(zip(questions, x.astype(np.float32), strict=True)))
        for clef in (False, True):
            for alpha in ALPHAS:
                predicted: dict[str, np.ndarray] = {}
                for k in range(FOLDS):
                    train = np.array([fold[t] != k for t in questions])
                    xs, ys = x[train], exact[train]
                    if clef:
                        xs, ys = np.vstack([xs, xt]), np.vstack([ys, tweets_exact])
                    w, b = fit(xs, ys, alpha)
                    held = ~train
                    made = mapped(x[held], w, b)
                    predicted.update(zip([t for t, h in zip(questions, held, strict=True) if h],
                                         made, strict=True))
                cos = float(np.mean([predicted[t] @ exact[i] for i, t in enumerate(questions)]))
                name = f"map, alpha {alpha}" + (", + CLEF train" if clef else "")
                row[name] = {**_score(tuning, predicted), "mean cosine to exact": round(cos, 4)}
        out[f"{layers} layers"] = row
        print(json.dumps({f"{layers} layers": row}), file=sys.stderr)
    full = truncated(6)
    out["run ms (thread CPU), 6 layers"] = round(run_call_ms(full, sample), 3)
    return out


def _score(tuning: list[squad.Article], vectors: dict[str, np.ndarray]) -> dict[str, float]:
    right, asked = top1(tuning, vectors)
    return {"top1": round(right / max(asked, 1), 4)}


def build(layers: int, alpha: float, clef: bool, target: Path = MAP) -> Path:
    tuning = list(squad.articles("tune"))
    questions = list(dict.fromkeys(q.text for a in tuning for q in a.questions))
    texts = questions + (clef_tweets() if clef else [])
    exact = np.vstack([np.stack([squad.encoded(t) for t in questions]),
                       *([encode(texts[len(questions):])] if clef else [])])
    x = truncated(layers).encode(texts).astype(np.float64)
    w, b = fit(x, exact.astype(np.float64), alpha)
    target.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(target, weight=w.astype(np.float16), bias=b.astype(np.float16),
                        layers=np.array(layers), alpha=np.array(alpha),
                        texts=np.array(len(texts)))
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", type=int, nargs="*", default=[5, 4, 3])
    parser.add_argument("--build", nargs=2, metavar=("LAYERS", "ALPHA"), default=None)
    parser.add_argument("--clef", action="store_true", help="with --build: fit on CLEF train too")
    parser.add_argument("--out", type=Path, default=MAP, help="with --build: where to write")
    args = parser.parse_args()
    if not squad.available():
        sys.exit(f"SQuAD v1.1 dev not found at {squad.path()}: set SQUAD_DEV to its path")
    if args.build:
        print(build(int(args.build[0]), float(args.build[1]), args.clef, args.out))
        return
    print(json.dumps(tune(args.layers), indent=1))


if __name__ == "__main__":
    main()
