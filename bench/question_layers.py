"""A smaller question graph for ``/fact``, chosen on SQuAD's tuning quarter only (issue #19).

The integer question graph (``graph.integer``, what ``encode_question`` runs) cut after its
first 5, 4 or 3 of six layers (``parley.core.meaning.layers.truncate``), its pooled output
taken (a) as is, or (b) through a linear map (ridge least squares, the bias unpenalised) onto
the **exact** graph's question vectors, the space the stored sentence vectors live in. The map
is fitted on question texts only: SQuAD dev's tuning-quarter questions, optionally with CLEF
2020 Task 2's 800 *train* tweets; never on a reported quarter. Every variant is scored by four-fold
cross-validation over the tuning quarter's articles (the map fitted on three folds' questions
and the tweets, ``/fact``'s ranking, ``ENCODER_FUSION``, run on the fourth's): top-1 as
``bench.squad`` counts it; and the thread CPU of one ``session.run`` over 200 tuning questions.

    SQUAD_DEV=path/to/dev-v1.1.json python -m bench.question_layers [--layers 5 4 3]
    SQUAD_DEV=... python -m bench.question_layers --build LAYERS ALPHA [--clef] [--out PATH]
        [--with-fusion STATIC WEIGHT ANSWERS FLOOR]
    SQUAD_DEV=... python -m bench.question_layers --fusion [--wider]
    python -m bench.question_layers --memory

``--fusion`` (fact-19e) chooses the graph and the encoder's part of the fusion together: for
the 5- and 4-layer maps, ``bench.tune_fusion --encoder``'s search refitted by the same four-fold
CV (map and fusion on three folds, ``/fact``'s ranking on the fourth), and the maps' cosines
standardised to the whole graph's (an affine rescale fitted on three folds) with
``ENCODER_FUSION`` unchanged; it prints the one the rule picks and its ``--with-fusion``
numbers. The variant it chose (5 layers, α 3, + CLEF train, cosines standardised) is shipped:
``parley/core/meaning/layers.py`` runs it for ``/fact`` (``bench.fact_lookup`` measures it as
shipped), with ``rank.FACT_FUSION``.

``--build`` fits one variant's map on the whole tuning quarter (and the CLEF train tweets with
``--clef``) and writes it (float16 weight and bias, its layers and alpha) to ``PATH`` (default
``parley/core/data/meaning/question_map.npz``, the shipped map: ``SOURCE.md`` there gives the
command, its sha256 is checked at load, ``layers.MAP_SHA256``). ``python -m bench.squad
--question-graph mapped`` and ``python -m bench.question_handoff --graphs`` read it. The exact
graph's vectors come from ``bench.squad``'s cache; the truncated graphs' are computed here
(seconds). Build time only: ``onnx`` rewrites the installed graph in memory, as
``parley.core.meaning.graph`` does at load.
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
from parley.core.meaning import layers as layers_module
from parley.core.meaning.encoder import Encoder, Hidden, _graph, _session, _tokenizer, encode
from parley.core.meaning.layers import truncate
from parley.core.meaning.model import Matrix
from parley.core.search.lookup import question_query, rank
from parley.core.search.rank import ENCODER_FUSION, FUSION, Fusion

FOLDS = 4
ALPHAS = (0.0, 0.1, 1.0, 3.0, 10.0, 30.0)
MAP = Path(layers_module.__file__).parent.parent / "data" / "meaning" / layers_module.MAP_FILE
CLEF_TRAIN = EVAL / "claim-matching" / "clef2020-task2" / "train" / "tweets.queries.tsv"


def fold_of(title: str) -> int:
    return hashlib.sha256(f"fold:{title}".encode()).digest()[0] % FOLDS


__all__ = ["truncate"]  # (the package's own: one copy, ``parley/core/meaning/layers.py``)


def truncated_graph(layers: int) -> bytes:
    """The integer question graph's bytes, cut after ``layers`` layers."""
    return layers_module.truncated_graph(_graph(), layers)


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


def out_of_fold(x: np.ndarray, questions: list[str], fold: dict[str, int], exact: np.ndarray,
                alpha: float, extra: tuple[np.ndarray, np.ndarray] | None
                ) -> dict[str, np.ndarray]:
    """Each question's mapped vector from the map fitted on the other folds (``extra``: more
    (small graph, exact graph) pairs every fold's fit also uses, e.g. the CLEF train tweets)."""
    predicted: dict[str, np.ndarray] = {}
    for k in range(FOLDS):
        train = np.array([fold[t] != k for t in questions])
        xs, ys = x[train], exact[train]
        if extra is not None:
            xs, ys = np.vstack([xs, extra[0]]), np.vstack([ys, extra[1]])
        w, b = fit(xs, ys, alpha)
        held = ~train
        predicted.update(zip([t for t, h in zip(questions, held, strict=True) if h],
                             mapped(x[held], w, b), strict=True))
    return predicted


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
                predicted = out_of_fold(x, questions, fold, exact, alpha,
                                        (xt, tweets_exact) if clef else None)
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


def build(layers: int, alpha: float, clef: bool, target: Path = MAP,
          fusion: list[float] | None = None) -> Path:
    tuning = list(squad.articles("tune"))
    questions = list(dict.fromkeys(q.text for a in tuning for q in a.questions))
    texts = questions + (clef_tweets() if clef else [])
    exact = np.vstack([np.stack([squad.encoded(t) for t in questions]),
                       *([encode(texts[len(questions):])] if clef else [])])
    x = truncated(layers).encode(texts).astype(np.float64)
    w, b = fit(x, exact.astype(np.float64), alpha)
    target.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Any] = {"weight": w.astype(np.float16), "bias": b.astype(np.float16),
                              "layers": np.array(layers), "alpha": np.array(alpha),
                              "texts": np.array(len(texts))}
    if fusion:
        arrays["fusion"] = np.array(fusion, dtype=np.float64)
    np.savez_compressed(target, **arrays)
    return target


def mapped_fusion(path: Path = MAP) -> Fusion:
    """The fusion the map was chosen with (``--build … --with-fusion``), else
    ``ENCODER_FUSION``: static weight, encoder weight, answers and floor."""
    with np.load(path) as saved:
        if "fusion" not in saved:
            return ENCODER_FUSION
        w, u, e, ef = (float(v) for v in saved["fusion"])
    f = ENCODER_FUSION
    return Fusion(w, f.answers, f.vector_candidates, f.floor, u, e, ef)


# --- the graph and the encoder's part of the fusion chosen together (fact-19e) ---------------

ROWS = Path.home() / ".cache" / "parley" / "question-fusion-rows.pkl"
FUSION_VARIANTS: tuple[tuple[int, float, bool], ...] = (
    (5, 3.0, True), (5, 0.0, False), (5, 0.1, False), (5, 1.0, False), (5, 10.0, False),
    (4, 1.0, True), (4, 0.0, True), (4, 0.1, True), (4, 3.0, True), (4, 10.0, True))
STANDARDISED: tuple[tuple[int, float, bool], ...] = ((5, 3.0, True), (4, 1.0, True))


class Flat:
    """Rows of ``bench.tune_fusion`` laid end to end, to score a fusion over all at once."""

    def __init__(self, rows: list[Any]) -> None:
        kept = [r for r in rows if not r.named_missing and len(r.lexical)]
        self.rows = len(rows)
        cat = np.concatenate
        self.lexical, self.cosine = cat([r.lexical for r in kept]), cat([r.cosine for r in kept])
        self.covered, self.gold = cat([r.covered for r in kept]), cat([r.gold for r in kept])
        self.discount = cat([r.discount for r in kept])
        self.encoded = cat([r.encoded for r in kept])
        sizes = np.array([len(r.lexical) for r in kept])
        self.starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self.segment = np.repeat(np.arange(len(kept)), sizes)
        self.at = np.arange(len(self.lexical))

    def ok(self, f: Fusion) -> np.ndarray:
        return ((self.covered & (self.cosine >= f.floor) & (self.encoded >= f.encoder_floor))
                | (self.cosine >= f.answers) | (self.encoded >= f.encoder_answers))

    def top1(self, f: Fusion) -> float:
        """``tune_fusion.top1``'s count, vectorised."""
        ok = self.ok(f)
        meaning = (f.weight * np.maximum(self.cosine, 0)
                   + f.encoder_weight * np.maximum(self.encoded, 0))
        score = np.where(ok, self.lexical + meaning * self.discount, -1.0)
        best = np.maximum.reduceat(score, self.starts)
        first = np.minimum.reduceat(np.where(score == best[self.segment], self.at, len(score)),
                                    self.starts)
        answered = np.maximum.reduceat(ok.astype(np.int8), self.starts) > 0
        return float(np.sum(answered & self.gold[first])) / self.rows

    def false(self, f: Fusion) -> float:
        """``tune_fusion.false_answers``, vectorised (on rows asked of the wrong article)."""
        answered = np.maximum.reduceat(self.ok(f).astype(np.int8), self.starts)
        return float(np.sum(answered)) / self.rows


# The answering cosines of ``--wider``: below the ``--encoder`` grid's 0.45 too.
WIDER_ANSWERS = (0.25, 0.275, 0.3, 0.325, 0.35, 0.375, 0.4, 0.425, 0.45, 0.5, 0.55, 0.6, 0.7, 2.0)


def refit(positives: Flat, negatives: Flat, limit: float,
          answers: tuple[float, ...] | None = None) -> Fusion:
    """``tune_fusion.tune_encoder``'s search (``answers``: other answering cosines): the best
    top-1 under ``limit`` wrong-article answers, ties (within ``TIE``) to the fewest of those."""
    from bench import tune_fusion as tf

    results = []
    for ef in tf.ENCODER_FLOORS:
        for e in answers or tf.ENCODER_ANSWERS:
            base = Fusion(FUSION.weight, FUSION.answers, FUSION.vector_candidates, FUSION.floor,
                          0.0, e, ef)
            false = negatives.false(base)
            if false > limit:
                continue
            for w in tf.STATIC_WEIGHTS:
                for u in tf.ENCODER_WEIGHTS:
                    f = Fusion(w, FUSION.answers, FUSION.vector_candidates, FUSION.floor, u, e, ef)
                    results.append((positives.top1(f), false, f))
    top = max(r[0] for r in results)
    return min((r for r in results if r[0] >= top - tf.TIE), key=lambda r: (r[1], -r[0]))[2]


def limit_of(negatives: Flat) -> float:
    """``tune_fusion --encoder``'s limit: no more wrong-article answers than the static rule
    (or the lexical one) gives."""
    lexical = Fusion(0.0, 2.0, 0, -2.0)
    return max(negatives.false(FUSION), negatives.false(lexical)) + 0.0


def rows() -> tuple[list[Any], list[Any]]:
    """The tuning quarter's rows (``tune_fusion.collect``), kept in ``ROWS`` once made."""
    import pickle

    from bench import tune_fusion

    if ROWS.is_file():
        loaded: tuple[list[Any], list[Any]] = pickle.loads(ROWS.read_bytes())
        return loaded
    made = tune_fusion.collect()
    ROWS.parent.mkdir(parents=True, exist_ok=True)
    ROWS.write_bytes(pickle.dumps(made))
    return made


def with_vectors(rows_: list[Any], questions: list[str], vectors: dict[str, np.ndarray]
                 ) -> list[Any]:
    """The rows with the encoder's cosine made again from these question vectors."""
    from dataclasses import replace

    return [replace(r, encoded=_index(r.article).encodings[r.positions] @ vectors[q]
                    if len(r.positions) else r.encoded)
            for r, q in zip(rows_, questions, strict=True)]


def standardise(rescale: tuple[float, float], f: Fusion) -> Fusion:
    """``f`` read on cosines rescaled ``a·c + b``, as a fusion on the raw cosines (its
    thresholds moved, its weight scaled; the constant ``w·b`` shifts every candidate alike,
    but for a figure question's sentences without a figure, whose meaning part is discounted,
    and a cosine below ``-b/a``, clipped at 0 one way and not the other)."""
    a, b = rescale
    return Fusion(f.weight, f.answers, f.vector_candidates, f.floor, f.encoder_weight * a,
                  (f.encoder_answers - b) / a, (f.encoder_floor - b) / a)


def top1_by_fold(articles: list[squad.Article], vectors: dict[str, np.ndarray],
                 fusions: dict[int, Fusion]) -> tuple[int, int]:
    """``/fact``'s ranking (as ``top1``), each article's questions with its fold's fusion."""
    right = asked = 0
    for article in articles:
        index, fusion = _index(article.title), fusions[fold_of(article.title)]
        for q in article.questions:
            query = question_query(index, q.text)
            _, hits = rank(index, q.text, fusion, within=q.positions,
                           encoded_question=vectors[q.text], query=query)
            asked += 1
            right += bool(hits) and int(hits[0].id[1:]) in q.gold
    return right, asked


def fusion_tune(wider: bool = False) -> dict[str, Any]:
    """Each variant's graph with the encoder's part of the fusion refitted by four-fold
    cross-validation within the tuning quarter (map and fusion fitted on three folds, scored on
    the fourth), and the 4- and 5-layer maps' cosines standardised to the whole graph's with the
    fusion unchanged. ``wider``: instead, only the shipped graph and the chosen one, refitted
    with answering cosines below 0.45 too (is the gain the graph's or the fusion's?)."""
    tuning = list(squad.articles("tune"))
    for article in tuning:
        _indexes[article.title] = squad.index_of(article)
    positives, negatives = rows()
    asked_pos = [q.text for a in tuning for q in a.questions]
    asked_neg = asked_pos  # each question was asked of one other article, in the same order
    fold_pos = [fold_of(a.title) for a in tuning for q in a.questions]
    questions = list(dict.fromkeys(asked_pos))
    fold = {q.text: fold_of(a.title) for a in tuning for q in a.questions}
    exact = np.stack([squad.encoded(t) for t in questions]).astype(np.float64)
    tweets = clef_tweets()
    tweets_exact = encode(tweets).astype(np.float64)
    squad.question_graph = "integer"
    shipped = {t: squad.asked(t) for t in questions}
    out: dict[str, Any] = {"tuning questions": len(asked_pos), "folds": FOLDS}
    kept: dict[str, tuple[int, dict[str, np.ndarray], bool]] = {}

    grid = WIDER_ANSWERS if wider else None

    def folds_of(vectors: dict[str, np.ndarray], fixed: dict[int, Fusion] | None = None
                 ) -> tuple[dict[int, Fusion], float, float]:
        pos = with_vectors(positives, asked_pos, vectors)
        neg = with_vectors(negatives, asked_neg, vectors)
        fusions, simulated = {}, 0.0
        for k in range(FOLDS):
            train = [i for i, f in enumerate(fold_pos) if f != k]
            held = [i for i, f in enumerate(fold_pos) if f == k]
            if fixed is None:
                tn = Flat([neg[i] for i in train])
                fusions[k] = refit(Flat([pos[i] for i in train]), tn, limit_of(tn), grid)
            else:
                fusions[k] = fixed[k]
            simulated += Flat([pos[i] for i in held]).top1(fusions[k]) * len(held)
        right, n = top1_by_fold(tuning, vectors, fusions)
        return fusions, round(right / n, 4), round(simulated / len(asked_pos), 4)

    def record(name: str, vectors: dict[str, np.ndarray],
               fixed: dict[int, Fusion] | None = None, **extra: Any) -> None:
        fusions, real, simulated = folds_of(vectors, fixed)
        out[name] = {"top1": real, "top1 as tune_fusion counts it": simulated, **extra,
                     "fusions by fold": [_fusion_text(fusions[k]) for k in range(FOLDS)]}
        print(json.dumps({name: out[name]}), file=sys.stderr)

    unchanged = dict.fromkeys(range(FOLDS), ENCODER_FUSION)
    record("integer graph, 6 layers (shipped), ENCODER_FUSION", shipped, unchanged)
    record("integer graph, 6 layers, fusion refitted" + (", wider grid" if wider else ""),
           shipped)
    full_cos = np.concatenate(with_vectors_cosines(positives, asked_pos, shipped))
    encoders: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for layers, alpha, clef in (FUSION_VARIANTS[:1] if wider else FUSION_VARIANTS):
        if layers not in encoders:
            e = truncated(layers)
            encoders[layers] = (e.encode(questions).astype(np.float64),
                                e.encode(tweets).astype(np.float64))
        x, xt = encoders[layers]
        predicted = out_of_fold(x, questions, fold, exact, alpha,
                                (xt, tweets_exact) if clef else None)
        rescale: dict[int, tuple[float, float]] = {}
        name = f"{layers} layers, map alpha {alpha:g}" + (", + CLEF train" if clef else "")
        cos = float(np.mean([predicted[t] @ exact[i] for i, t in enumerate(questions)]))
        record(name + ", fusion refitted" + (", wider grid" if wider else ""), predicted, None,
               mean_cosine_to_exact=round(cos, 4))
        kept[name + ", fusion refitted" + (", wider grid" if wider else "")] = (
            layers, predicted, False)
        if (layers, alpha, clef) in STANDARDISED:
            mapped_cos = with_vectors_cosines(positives, asked_pos, predicted)
            full_each = with_vectors_cosines(positives, asked_pos, shipped)
            for k in range(FOLDS):
                m = np.concatenate([c for c, f in zip(mapped_cos, fold_pos, strict=True) if f != k])
                s = np.concatenate([c for c, f in zip(full_each, fold_pos, strict=True) if f != k])
                a = float(s.std() / m.std())
                rescale[k] = (a, float(s.mean() - a * m.mean()))
            fixed = {k: standardise(rescale[k], ENCODER_FUSION) for k in range(FOLDS)}
            record(name + ", cosines standardised, ENCODER_FUSION", predicted, fixed,
                   rescale=[[round(v, 4) for v in rescale[k]] for k in range(FOLDS)])
            kept[name + ", cosines standardised, ENCODER_FUSION"] = (layers, predicted, True)
    out["whole graph's cosines to the paragraphs' sentences, mean / sd"] = [
        round(float(full_cos.mean()), 4), round(float(full_cos.std()), 4)]
    # The rule: the highest tuning top-1, ties to the fewest layers (then the order above).
    chosen = max(kept, key=lambda n: (out[n]["top1"], -kept[n][0]))
    layers, predicted, standardised = kept[chosen]
    if standardised:  # the rescale over the whole quarter, the fusion unchanged
        m = np.concatenate(with_vectors_cosines(positives, asked_pos, predicted))
        a = float(full_cos.std() / m.std())
        whole = standardise((a, float(full_cos.mean() - a * m.mean())), ENCODER_FUSION)
    else:  # refitted over the whole quarter, on the maps' out-of-fold vectors
        neg = Flat(with_vectors(negatives, asked_neg, predicted))
        whole = refit(Flat(with_vectors(positives, asked_pos, predicted)), neg, limit_of(neg),
                      grid)
    out["chosen"] = {"variant": chosen, "top1": out[chosen]["top1"],
                     "fusion over the whole tuning quarter": _fusion_text(whole),
                     "--build arguments": [whole.weight, whole.encoder_weight,
                                           whole.encoder_answers, whole.encoder_floor]}
    return out


def with_vectors_cosines(rows_: list[Any], questions: list[str],
                         vectors: dict[str, np.ndarray]) -> list[np.ndarray]:
    """Each row's candidates' encoder cosines by these question vectors."""
    return [_index(r.article).encodings[r.positions] @ vectors[q] if len(r.positions)
            else np.zeros(0) for r, q in zip(rows_, questions, strict=True)]


def _fusion_text(f: Fusion) -> str:
    return (f"static {f.weight:g}, encoder weight {f.encoder_weight:.4g}, answers "
            f"{f.encoder_answers:.4g}, floor {f.encoder_floor:.4g}")


def memory() -> dict[str, float]:
    """RSS (MB) with the exact and the integer graphs loaded (articles' sentences, ``/check``'s
    messages), then with ``/fact``'s own graph beside them (``encode_fact_question``: a session
    of its own, as a Parley holds once it has answered ``/fact`` and ``/check``)."""
    from bench.encoder_memory import QUESTION, _rss_mb
    from parley.core.meaning.encoder import encode_fact_question, encoder, question_encoder

    for loaded in (encoder(), question_encoder()):
        loaded.encode([QUESTION])
    before = _rss_mb()
    encode_fact_question(QUESTION)
    return {"exact + integer graphs": before, "+ /fact's graph (5 layers, map)": _rss_mb(),
            "added": round(_rss_mb() - before, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", type=int, nargs="*", default=[5, 4, 3])
    parser.add_argument("--build", nargs=2, metavar=("LAYERS", "ALPHA"), default=None)
    parser.add_argument("--clef", action="store_true", help="with --build: fit on CLEF train too")
    parser.add_argument("--with-fusion", type=float, nargs=4, default=None,
                        metavar=("STATIC", "WEIGHT", "ANSWERS", "FLOOR"),
                        help="with --build: the encoder's fusion chosen with it, kept beside")
    parser.add_argument("--memory", action="store_true",
                        help="RSS with the built map's graph beside the shipped two")
    parser.add_argument("--fusion", action="store_true",
                        help="choose graph and the encoder's fusion together (4-fold CV)")
    parser.add_argument("--wider", action="store_true",
                        help="with --fusion: the shipped and chosen graphs, a wider fusion grid")
    parser.add_argument("--out", type=Path, default=MAP, help="with --build: where to write")
    args = parser.parse_args()
    if args.memory:
        print(json.dumps(memory()))
        return
    if not squad.available():
        sys.exit(f"SQuAD v1.1 dev not found at {squad.path()}: set SQUAD_DEV to its path")
    if args.fusion:
        print(json.dumps(fusion_tune(args.wider), indent=1))
        return
    if args.build:
        print(build(int(args.build[0]), float(args.build[1]), args.clef, args.out,
                    args.with_fusion))
        return
    print(json.dumps(tune(args.layers), indent=1))


if __name__ == "__main__":
    main()
