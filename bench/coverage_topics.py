"""Same topic decided at the article level: for each article of the public AllSides topics
corpus, is its nearest other-outlet article (by the cosine of whole-article vectors) on the same
topic by the corpus's labels, as a function of the bar? Precision and coverage curves on the
*tune* half (``bench.coverage.halves``), the bar chosen there by leave-one-topic-out, and the
report half measured once with it.

``python -m bench.coverage_topics [--db STORE] [--precision 0.9] [--methods a,b] [--shown 3]``
reads ``../shared/eval/corpus/topics.jsonl`` (never copies it); the ``encoder``, ``terms`` and
``relate`` methods also read a store kept by ``python -m bench.coverage --only quality --keep
STORE`` (matched by address), and are left out without ``--db``. Methods (``a+b``: the mean of
a's and b's cosines; ``-centred``: the vectors less the tune half's mean vector, no labels used):

- ``topic``: the core's own topic terms (``profile.topic_terms``: the 60 heaviest content stems,
  sublinear term frequency × rarity weight, unit length), what ``match.topic_similarity``
  compares; as shipped;
- ``stems`` / ``stems@N``: the same weights over all the article's stems / its ``N`` heaviest;
- ``terms``: the stored profile's own terms (the top 30 stems and the names);
- ``relate``: today's relation (``match.relate``) over every pair;
- ``tfidf``: scikit-learn's TF-IDF over the 600 texts (a reference: its IDF is fitted on the
  corpus, which ingestion could not do);
- ``static``: the mean of the article's passages' static meaning vectors (``meaning.embed``),
  normalised; ``encoder``: the same with the stored encoder sentence vectors;
- ``glove``: the whole-article GloVe topic vector (``coverage.meaning.topic_vector``);
- ``model`` (``--model FILE``, ``bench/topic_model.json`` unless given): the rule
  "topic cosine ≥ ``TOPIC_MIN``, or the news-topic model's shared-topic probability ≥ S and
  the cosine ≥ a lower bar", ranked by the cosine; S and the lower bar chosen on the tune half
  (the model's tune-half probabilities out of fold, ``bench.train_topics``), with the
  leave-one-topic-out check, the report half once, and the safety check: how often an article
  of a topic the model never saw (the held-apart half of kind.jsonl's other-topic articles) is
  linked as "same topic" to a topics.jsonl article from another outlet, by each rule;
  ``model-confident``: the same with "both name the same topic best, each with at least S"
  in place of the shared-topic probability.

For each article the shown items are what the section would show: the closest other-outlet
articles at or above the bar, one an outlet, up to three, other leanings first (``find``'s
``other_leanings_first``). Figures per bar: **coverage** (articles shown at least one item on
their topic), **offered** (shown anything), **precision** (shown items on the article's topic),
and the nearest's and the nearest other-leaning article's own precision.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from bench.coverage import corpus, halves, parsed_row
from parley.core.analysis.boilerplate import is_boilerplate
from parley.core.analysis.tokens import STOPWORDS, content_stems, fold
from parley.core.coverage.leanings import outlet_of
from parley.core.coverage.match import TOPIC_MIN
from parley.core.coverage.meaning import embed, topic_vector
from parley.core.coverage.profile import (
    MAX_WORDS,
    MIN_WORDS,
    term_weight,
    topic_terms,
    weighted_stems,
)

BARS = tuple(round(0.02 * k, 2) for k in range(50))  # 0 … 0.98
SHOWN = 3  # --shown: how many the section shows
PRECISION_GOAL = 0.9


def passages(row: dict[str, Any]) -> list[str]:
    """The article's passages as ``profile.build`` picks them (8–80 words, not furniture)."""
    parsed = parsed_row(row)
    texts = [s.text for sec in parsed.sections for s in sec.sentences]
    return [t for t in texts if MIN_WORDS <= len(t.split()) <= MAX_WORDS and not is_boilerplate(t)]


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(matrix / norms, dtype=np.float32)


def document_vector(passage_vectors: np.ndarray) -> np.ndarray:
    """The whole article's meaning as one 1 × d unit row: the normalised mean of its passages'
    vectors (zeros when it has none)."""
    if not passage_vectors.shape[0]:
        return np.zeros((1, passage_vectors.shape[1]), dtype=np.float32)
    return _unit(passage_vectors.mean(axis=0, keepdims=True))


def topic_vectors(rows: list[dict[str, Any]]) -> np.ndarray:
    """The core's own topic terms (``profile.topic_terms`` of ``weighted_stems``, what
    ``match.topic_similarity`` compares), from the article as Parley parses it."""
    out = []
    for row in rows:
        parsed = parsed_row(row)
        out.append(topic_terms(weighted_stems(parsed.title, [
            s.text for sec in parsed.sections for s in sec.sentences])))
    return _bags(out)


def static_vectors(rows: list[dict[str, Any]]) -> np.ndarray:
    return np.vstack([document_vector(embed(passages(r))) for r in rows])


def glove_vectors(rows: list[dict[str, Any]]) -> np.ndarray:
    return _unit(np.vstack([topic_vector(" ".join([r["title"], r["text"]])) for r in rows]))


def stem_vectors(rows: list[dict[str, Any]], top: int | None = None) -> np.ndarray:
    """Sublinear stem counts × rarity, the ``top`` heaviest only when given."""
    bags = [Counter(s for s in content_stems(f"{r['title']} {r['text']}")
                    if not s[0].isdigit() and s not in STOPWORDS) for r in rows]
    weighted = [{s: (1 + math.log(n)) * term_weight(s) for s, n in bag.items()} for bag in bags]
    if top is not None:
        weighted = [dict(sorted(w.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
                    for w in weighted]
    return _bags(weighted)


def _bags(weighted: list[dict[str, float]]) -> np.ndarray:
    vocabulary = {s: i for i, s in enumerate(sorted({s for w in weighted for s in w}))}
    out = np.zeros((len(weighted), len(vocabulary)), dtype=np.float32)
    for k, bag in enumerate(weighted):
        for s, w in bag.items():
            out[k, vocabulary[s]] = w
    return _unit(out)


def profile_term_vectors(db: Path, rows: list[dict[str, Any]]) -> np.ndarray:
    """The stored profiles' own terms (``profile.terms``: the top stems and the names)."""
    return _bags([p.terms for p in asyncio.run(_profiles(db, rows))])


def tfidf_vectors(rows: list[dict[str, Any]]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2).fit_transform(
        [f"{r['title']} {r['text']}" for r in rows])
    return np.asarray(matrix.toarray(), dtype=np.float32)


async def _encoder_vectors(db: Path, rows: list[dict[str, Any]]) -> np.ndarray:
    from bench.coverage import _stored_ids
    from bench.workloads import bench_settings
    from parley.cli.app import open_services
    from parley.core.meaning import ENCODER_ID
    from parley.core.meaning.vectors import unpack_encodings
    from parley.store import coverage as coverage_store

    async with open_services(bench_settings(db), load_example=False) as services:
        ids = await _stored_ids(services, rows)
        profiles = await coverage_store.profiles(services.db, ids)
        packed = await coverage_store.encodings_for(services.db, ids, ENCODER_ID)
    out = []
    for article_id in ids:
        rows_n, data = packed[article_id]
        sentences = unpack_encodings(data, rows_n)
        assert sentences is not None
        positions = [p.position for p in profiles[article_id].passages]
        out.append(document_vector(sentences[positions] if positions else sentences[:0]))
    return np.vstack(out)


_ENCODED: dict[Path, np.ndarray] = {}  # read once a run: several methods use them


def encoder_vectors(db: Path, rows: list[dict[str, Any]]) -> np.ndarray:
    if db not in _ENCODED:
        _ENCODED[db] = asyncio.run(_encoder_vectors(db, rows))
    return _ENCODED[db]


async def _profiles(db: Path, rows: list[dict[str, Any]]) -> list[Any]:
    from bench.coverage import _stored_ids
    from bench.workloads import bench_settings
    from parley.cli.app import open_services
    from parley.store import coverage as coverage_store

    async with open_services(bench_settings(db), load_example=False) as services:
        ids = await _stored_ids(services, rows)
        profiles = await coverage_store.profiles(services.db, ids)
    return [profiles[i] for i in ids]


def relate_scores(db: Path, rows: list[dict[str, Any]]) -> np.ndarray:
    """Today's topic relation (``match.relate``) between every two stored profiles: what the
    broader-topic section's links are ranked and barred by (here over every article, not only
    the term index's candidates, so an upper bound on what the links can reach)."""
    from parley.core.coverage.match import relate

    profiles = asyncio.run(_profiles(db, rows))
    out = np.eye(len(rows), dtype=np.float32)
    for i, a in enumerate(profiles):
        for j in range(i + 1, len(rows)):
            out[i, j] = out[j, i] = relate(a, profiles[j]).score
    return out


def shown(order: list[int], cos: np.ndarray, bar: float, outlets: list[str],
          leanings: list[str], own: int, limit: int = SHOWN) -> list[int]:
    """What the section shows at ``bar``: up to ``SHOWN`` closest other-outlet articles at or
    above it (``order``: closest first), one an outlet, other leanings first."""
    other: list[int] = []
    same: list[int] = []
    for j in order:
        if cos[j] < bar:
            break
        side = same if leanings[j] == leanings[own] else other
        if len(side) < limit and all(outlets[p] != outlets[j] for p in side):
            side.append(j)
        if len(other) == limit:
            break
    picked: list[int] = []
    for j in other + same:
        if all(outlets[p] != outlets[j] for p in picked):
            picked.append(j)
            if len(picked) == limit:
                break
    return picked


def curves(sims: np.ndarray, rows: list[dict[str, Any]], members: list[int],
           limit: int = SHOWN, bars: tuple[float, ...] = BARS) -> list[dict[str, float]]:
    """Per bar, over the articles ``members``: coverage, offered, precision of what is shown,
    and the nearest's and nearest other-leaning article's precision (where above the bar)."""
    outlets = [fold(outlet_of(r["outlet"], r["url"])) for r in rows]
    leanings = [r["leaning"] for r in rows]
    topics = [r["topic"] for r in rows]
    orders = {}
    for i in members:
        ranked = np.argsort(-sims[i], kind="stable")
        orders[i] = [int(j) for j in ranked if outlets[j] != outlets[i]]
    out = []
    for bar in bars:
        covered = offered = items = right = near_n = near_ok = lean_n = lean_ok = 0
        for i in members:
            got = shown(orders[i], sims[i], bar, outlets, leanings, i, limit)
            offered += bool(got)
            items += len(got)
            on = sum(topics[j] == topics[i] for j in got)
            right += on
            covered += on > 0
            nearest = orders[i][0]
            if sims[i, nearest] >= bar:
                near_n += 1
                near_ok += topics[nearest] == topics[i]
            other = next((j for j in orders[i] if leanings[j] != leanings[i]), None)
            if other is not None and sims[i, other] >= bar:
                lean_n += 1
                lean_ok += topics[other] == topics[i]
        n = max(1, len(members))
        out.append({"bar": bar, "coverage": round(covered / n, 4),
                    "offered": round(offered / n, 4),
                    "precision": round(right / max(1, items), 4),
                    "nearest_precision": round(near_ok / max(1, near_n), 4),
                    "other_leaning_precision": round(lean_ok / max(1, lean_n), 4)})
    return out


def choose(curve: list[dict[str, float]], goal: float) -> float:
    """The least bar whose shown items are on topic for at least ``goal`` (the most coverage
    at that precision); the highest bar when none is."""
    ok = [c for c in curve if c["precision"] >= goal and c["offered"] > 0]
    return min(c["bar"] for c in ok) if ok else max(c["bar"] for c in curve)


def at(curve: list[dict[str, float]], bar: float) -> dict[str, float]:
    return next(c for c in curve if c["bar"] == bar)


def half_ids(rows: list[dict[str, Any]]
             ) -> tuple[list[str], list[str], list[int], list[int]]:
    """Each half's topics, and the positions of the tune and the report half's rows."""
    tune, report = halves(rows)
    return (tune, report, [i for i, r in enumerate(rows) if r["topic"] in tune],
            [i for i, r in enumerate(rows) if r["topic"] in report])


def evaluate(sims: np.ndarray, rows: list[dict[str, Any]], goal: float, limit: int = SHOWN
             ) -> dict[str, Any]:
    """Tune-half curves, leave-one-topic-out choice within the tune half, the bar chosen on
    the whole tune half, and the report half once at that bar."""
    tune, _, tune_ids, report_ids = half_ids(rows)
    held_out = {}
    for topic in tune:
        rest = [i for i in tune_ids if rows[i]["topic"] != topic]
        bar = choose(curves(sims, rows, rest, limit), goal)
        held = [i for i in tune_ids if rows[i]["topic"] == topic]
        held_out[topic] = {"bar": bar, **at(curves(sims, rows, held, limit), bar)}
    tune_curve = curves(sims, rows, tune_ids, limit)
    bar = choose(tune_curve, goal)
    report_curve = curves(sims, rows, report_ids, limit)
    return {"bar": bar, "tune_at_bar": at(tune_curve, bar), "report_at_bar": at(report_curve, bar),
            "held_out": held_out, "tune_curve": tune_curve}


def centred(vectors: np.ndarray, rows: list[dict[str, Any]]) -> np.ndarray:
    """The vectors less the tune half's mean vector (no labels used), normalised again: mean
    vectors of news text all point one way, so their raw cosines are all high."""
    tune, _ = halves(rows)
    mean = vectors[[i for i, r in enumerate(rows) if r["topic"] in tune]].mean(axis=0)
    return _unit(vectors - mean)


METHODS = {"topic": topic_vectors, "static": static_vectors, "glove": glove_vectors,
           "stems": stem_vectors, "tfidf": tfidf_vectors}


DEFAULT_METHODS = ("topic,stems,stems@30,stems@100,stems@200,terms,relate,tfidf,encoder,"
                   "encoder-centred,static,topic+encoder-centred,glove")


def vectors_of(name: str, rows: list[dict[str, Any]], db: Path | None) -> np.ndarray | None:
    """One method's unit vectors (``-centred``: less the tune half's mean); None for the
    encoder without a store."""
    base = name.removesuffix("-centred")
    if base in ("encoder", "terms"):
        if db is None:
            return None
        vectors = encoder_vectors(db, rows) if base == "encoder" else \
            profile_term_vectors(db, rows)
    elif base.startswith("stems@"):
        vectors = stem_vectors(rows, int(base.split("@")[1]))
    else:
        vectors = METHODS[base](rows)
    return centred(vectors, rows) if name.endswith("-centred") else vectors


def similarities(name: str, rows: list[dict[str, Any]], db: Path | None) -> np.ndarray | None:
    """Every two articles' similarity by a method (``a+b``: the mean of a's and b's cosines;
    ``relate``: today's relation); None when it needs a store and has none."""
    if name == "relate":
        return relate_scores(db, rows) if db is not None else None
    parts = [vectors_of(part, rows, db) for part in name.split("+")]
    if any(p is None for p in parts):
        return None
    return sum((p @ p.T for p in parts if p is not None), np.zeros((len(rows), len(rows)))) \
        / len(parts)


SHARE_BARS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
LOWER_BARS = tuple(round(0.02 * k, 2) for k in range(13))  # 0 … 0.24


def _model_probabilities(rows: list[dict[str, Any]], model_file: Path
                         ) -> tuple[np.ndarray, np.ndarray, list[dict[str, Any]], Any]:
    """The topics.jsonl rows' probabilities (tune half out of fold, report half from the
    shipped fit) and the held-apart other-topic rows' (from the shipped fit)."""
    from bench.topic_model import decode
    from bench.train_topics import (
        other_halves,
        out_of_fold,
        probabilities,
        row_features,
        training_set,
    )

    body = json.loads(model_file.read_text(encoding="utf-8"))
    model = decode(body)
    fit_rows, labels = training_set(bool(body.get("kind_topics")))
    oof, classes = out_of_fold([row_features(r) for r in fit_rows], labels, body["C"],
                               body["min_df"])
    assert classes == model.classes
    by_id = {r["id"]: p for r, p in zip(fit_rows, oof, strict=True)}
    probs = np.vstack([by_id[r["id"]] if r["id"] in by_id else
                       probabilities(model, row_features(r)) for r in rows])
    _, held = other_halves({r["topic"] for r in rows})
    held_probs = np.vstack([probabilities(model, row_features(r)) for r in held])
    return probs, held_probs, held, model


def _rule(cos: np.ndarray, share: np.ndarray, share_bar: float, lower: float) -> np.ndarray:
    """The rule's similarities: the cosine where the pair passes, -1 where it does not."""
    passes = (cos >= TOPIC_MIN) | ((share >= share_bar) & (cos >= lower))
    return np.where(passes, cos, -1.0)


def _rule_at(cos: np.ndarray, share: np.ndarray, rows: list[dict[str, Any]], members: list[int],
             share_bar: float, lower: float, limit: int) -> dict[str, float]:
    return curves(_rule(cos, share, share_bar, lower), rows, members, limit, bars=(-0.5,))[0]


def _choose_rule(cos: np.ndarray, share: np.ndarray, rows: list[dict[str, Any]],
                 members: list[int], goal: float, limit: int) -> tuple[float, float]:
    """The (share bar, lower bar) with the most coverage whose shown items are on topic for at
    least ``goal``; ties to the higher bars; today's rule (1.0, TOPIC_MIN) when none is."""
    best: tuple[float, float, float] = (-1.0, 1.0, TOPIC_MIN)
    for share_bar in SHARE_BARS:
        for lower in LOWER_BARS:
            c = _rule_at(cos, share, rows, members, share_bar, lower, limit)
            if c["precision"] >= goal and (c["coverage"], share_bar, lower) > best:
                best = (c["coverage"], share_bar, lower)
    return best[1], best[2]


def _linked_share(cos: np.ndarray, share: np.ndarray, outlets_a: list[str],
                  outlets_b: list[str], share_bar: float, lower: float) -> float:
    """The share of rows of ``cos`` linked as same topic to at least one column of another
    outlet."""
    other = np.array([[a != b for b in outlets_b] for a in outlets_a], dtype=bool)
    passes = (_rule(cos, share, share_bar, lower) >= 0) & other
    return round(float(passes.any(axis=1).mean()), 4)


def shared(a: np.ndarray, b: np.ndarray, known: np.ndarray, confident: bool) -> np.ndarray:
    """Every pair's shared-topic score: Σ_k p_A(k)·p_B(k) over the named topics, or, with
    ``confident``, the lesser of the two probabilities when both name the same topic best (0
    when they differ or either's best is "other")."""
    if not confident:
        return np.asarray(a[:, known] @ b[:, known].T)
    best_a, best_b = a.argmax(axis=1), b.argmax(axis=1)
    same = (best_a[:, None] == best_b[None, :]) & known[best_a][:, None]
    least = np.minimum(a.max(axis=1)[:, None], b.max(axis=1)[None, :])
    return np.asarray(np.where(same, least, 0.0))


def model_method(rows: list[dict[str, Any]], model_file: Path, goal: float, limit: int,
                 confident: bool = False) -> dict[str, Any]:
    """The topic cosine with the news-topic model beside it (see the module's ``model``)."""
    probs, held_probs, held, model = _model_probabilities(rows, model_file)
    known = model.known()
    share = shared(probs, probs, known, confident)
    weighted = [_row_weighted(r) for r in rows + held]
    bags = _bags([topic_terms(w) for w in weighted])
    cos = bags[:len(rows)] @ bags[:len(rows)].T
    tune, report, tune_ids, report_ids = half_ids(rows)
    held_out = {}
    for topic in tune:
        rest = [i for i in tune_ids if rows[i]["topic"] != topic]
        share_bar, lower = _choose_rule(cos, share, rows, rest, goal, limit)
        held_ids = [i for i in tune_ids if rows[i]["topic"] == topic]
        held_out[topic] = {"share_bar": share_bar, "lower": lower,
                           **_rule_at(cos, share, rows, held_ids, share_bar, lower, limit)}
    share_bar, lower = _choose_rule(cos, share, rows, tune_ids, goal, limit)
    held_cos = bags[len(rows):] @ bags[:len(rows)].T
    held_share = shared(held_probs, probs, known, confident)
    outlets = [fold(outlet_of(r["outlet"], r["url"])) for r in rows]
    held_outlets = [fold(outlet_of(r["outlet"], r["url"])) for r in held]
    best = [model.classes[int(k)] for k in np.argmax(held_probs, axis=1)]
    return {
        "share_bar": share_bar, "lower": lower,
        "tune_at_rule": _rule_at(cos, share, rows, tune_ids, share_bar, lower, limit),
        "report_at_rule": _rule_at(cos, share, rows, report_ids, share_bar, lower, limit),
        "tune_today": _rule_at(cos, share, rows, tune_ids, 2.0, TOPIC_MIN, limit),
        "report_today": _rule_at(cos, share, rows, report_ids, 2.0, TOPIC_MIN, limit),
        "held_out": held_out,
        "report_by_topic": {topic: {
            "today": _rule_at(cos, share, rows, ids, 2.0, TOPIC_MIN, limit),
            "rule": _rule_at(cos, share, rows, ids, share_bar, lower, limit)}
            for topic in report
            for ids in [[i for i in report_ids if rows[i]["topic"] == topic]]},
        "unseen_topics": {
            "articles": len(held),
            "linked_today": _linked_share(held_cos, held_share, held_outlets, outlets, 2.0,
                                          TOPIC_MIN),
            "linked_rule": _linked_share(held_cos, held_share, held_outlets, outlets,
                                         share_bar, lower),
            "predicted": dict(Counter(best).most_common()),
        },
        "report_predicted": dict(Counter(model.classes[int(np.argmax(probs[i]))]
                                         for i in report_ids).most_common()),
        "report_best_not_chosen": _report_best(cos, share, rows, report_ids, goal, limit),
        "report_predicted_right": round(float(np.mean(
            [model.classes[int(np.argmax(probs[i]))] == rows[i]["topic"] for i in report_ids])),
            4),
        "tune_predicted_right_out_of_fold": round(float(np.mean(
            [model.classes[int(np.argmax(probs[i]))] == rows[i]["topic"] for i in tune_ids])),
            4),
    }


def _report_best(cos: np.ndarray, share: np.ndarray, rows: list[dict[str, Any]],
                 report_ids: list[int], goal: float, limit: int) -> dict[str, float]:
    """A ceiling, never a choice: the rule with the most report-half coverage at ``goal``
    chosen on the report half itself (what no honest choice can beat)."""
    share_bar, lower = _choose_rule(cos, share, rows, report_ids, goal, limit)
    return {"share_bar": share_bar, "lower": lower,
            **_rule_at(cos, share, rows, report_ids, share_bar, lower, limit)}


def _row_weighted(row: dict[str, Any]) -> dict[str, float]:
    parsed = parsed_row(row)
    return weighted_stems(parsed.title, [s.text for sec in parsed.sections for s in sec.sentences])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.coverage_topics")
    parser.add_argument("--db", type=Path, help="a kept quality store, for the encoder method")
    parser.add_argument("--precision", type=float, default=PRECISION_GOAL)
    parser.add_argument("--methods", default=DEFAULT_METHODS,
                        help="comma-separated; a+b averages the cosines of a and b")
    parser.add_argument("--shown", type=int, default=SHOWN, help="articles the section shows")
    parser.add_argument("--model", type=Path, default=None,
                        help="a topic model file for the model method (default: "
                             "bench/topic_model.json)")
    args = parser.parse_args()
    rows = corpus()
    out: dict[str, Any] = {}
    for name in args.methods.split(","):
        if name in ("model", "model-confident"):
            from bench.topic_model import MODEL_FILE

            model_file = args.model or MODEL_FILE
            print(json.dumps({name: model_method(rows, model_file, args.precision,
                                                 args.shown, name == "model-confident")}),
                  flush=True)
            continue
        sims = similarities(name, rows, args.db)
        if sims is None:
            continue
        out[name] = evaluate(sims, rows, args.precision, args.shown)
        print(json.dumps({name: out[name]}), flush=True)


if __name__ == "__main__":
    main()
