"""Why most articles with same-topic coverage get no passage: each stage of /counterpoint's
other coverage measured on its own against the corpus's topic labels and dates, on the *tune*
half of the public AllSides topics (``bench.coverage.halves``) unless told otherwise.

``python -m bench.coverage_diagnose --db /tmp/topics.db [--half tune|report] [--encoder]``
reads a store kept by ``python -m bench.coverage --only quality --keep /tmp/topics.db``; it
changes nothing in it. Passages are scored with the static vectors (what ingestion matches
with), or with ``--encoder`` the encoder's where both articles have them. Stages:

- **window**: how many articles have another outlet's same-topic article within 3, 7, 31, 90
  and 365 days, and at all (what any matcher could find);
- **candidates**: of the articles with such an article within ``POINT_DAYS``, how many have one
  among the term index's fetched candidates (``candidates_for``) and among those compared
  (``compared``), and the share of all such pairs each stage keeps;
- **passages**: for every such pair the stage fetched, what ``match_points`` does with it, and
  for each pair without a match which gate stopped its best point–passage: too little specific
  weight shared (``SPECIFIC_MIN``) or a score under the bar (``POINT_MIN``/``_ENCODED``), with
  the distribution of those best scores;
- **topic**: the broader-topic fallback (``find.broader_coverage`` over the stored links, whose
  score is the articles' topic similarity): at each bar, the share of articles offered any
  other outlet's article and the share of those offered that carry the article's topic label;
  the bar is chosen by leave-one-topic-out cross-validation over the tune topics (the least bar
  whose fallback is on topic for 90 % of what it offers, about the on-point passages' own
  share); the report half gets the tune half's choice. This is the stored links' view (only
  the term index's candidates are linked); ``bench.coverage_topics`` measures the same bar over
  every article, from the corpus alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from bench.coverage import _day, _stored_ids, corpus, halves
from bench.workloads import bench_settings
from parley.cli.app import open_services
from parley.core.analysis.tokens import fold
from parley.core.coverage.find import broader_coverage
from parley.core.coverage.index import candidates_for, compared, weights_among
from parley.core.coverage.match import (
    POINT_DAYS,
    POINT_MIN,
    POINT_MIN_ENCODED,
    SPECIFIC_MIN,
    match_points,
    pair_features,
)
from parley.core.coverage.profile import Profile, with_encodings
from parley.core.meaning import ENCODER_ID
from parley.core.meaning.vectors import unpack_encodings
from parley.store import articles as article_store
from parley.store import coverage as coverage_store

WINDOWS = (3, 7, 31, 90, 365, 100_000)
# bars on a link's score, the articles' topic similarity (``match.topic_similarity``)
BARS = (0.16, 0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.35, 0.4, 0.45)
# the least share of fallback articles on the article's own topic: what the on-point passages
# reach (91.2 % encoder, report half), and the bar bench.coverage_topics chose TOPIC_MIN by
PRECISION_GOAL = 0.9


def _apart(a: date | None, b: date | None) -> int | None:
    return None if a is None or b is None else abs((a - b).days)


def _gate(a: Profile, b: Profile, weights: dict[str, float]) -> tuple[str, float]:
    """Which gate stopped the pair's best point–passage, and that best score (any gate)."""
    best_any, best_specific = 0.0, 0.0
    for position in a.points:
        i = a.passage_at(position)
        if i is None:
            continue
        for j in range(len(b.passages)):
            got = pair_features(a, b, weights, i, j)
            cosine = got.encoder if got.encoder is not None else got.static
            score = 0.5 * got.share + 0.5 * cosine
            best_any = max(best_any, score)
            if got.shared >= SPECIFIC_MIN:
                best_specific = max(best_specific, score)
    if best_specific == 0.0:
        return "specific words", best_any
    return "score bar", best_specific


async def _diagnose(db_path: Path, half: str, encoder: bool) -> dict[str, Any]:
    rows = corpus()
    tune, report = halves(rows)
    topics = tune if half == "tune" else report
    async with open_services(bench_settings(db_path), load_example=False) as services:
        db = services.db
        ids = await _stored_ids(services, rows)
        row_of = dict(zip(ids, rows, strict=True))
        profiles = await coverage_store.profiles(db, ids)
        if encoder:
            packed = await coverage_store.encodings_for(db, ids, ENCODER_ID)
            profiles = {k: with_encodings(p, unpack_encodings(packed[k][1], packed[k][0])
                                          if k in packed else None)
                        for k, p in profiles.items()}
        mine = [i for i in ids if row_of[i]["topic"] in topics]
        window = Counter[int]()
        fetched_any = compared_any = gold_total = gold_fetched = gold_compared = 0
        with_gold = 0
        pairs = Counter[str]()
        best_scores: list[float] = []
        answered_by_gold = 0
        for a_id in mine:
            row = row_of[a_id]
            outlet = fold(row["outlet"])
            day = _day(row)
            same = [o for o in ids if o != a_id and row_of[o]["topic"] == row["topic"]
                    and fold(row_of[o]["outlet"]) != outlet]
            for w in WINDOWS:
                if any((d := _apart(day, _day(row_of[o]))) is not None and d <= w for o in same):
                    window[w] += 1
            gold = {o for o in same if (d := _apart(day, _day(row_of[o]))) is not None
                    and d <= POINT_DAYS}
            if not gold:
                continue
            with_gold += 1
            profile = profiles[a_id]
            fetched = await candidates_for(db, a_id, profile)
            fetched = {k: profiles.get(k, v) for k, v in fetched.items()}
            related = compared(profile, fetched)
            kept = {o for _, o, _ in related}
            fetched_any += bool(gold & set(fetched))
            compared_any += bool(gold & kept)
            gold_total += len(gold)
            gold_fetched += len(gold & set(fetched))
            gold_compared += len(gold & kept)
            weights = weights_among(profile, fetched, related)
            got_one = False
            for b_id in sorted(gold & kept):
                b = profiles[b_id]
                if match_points(profile, b, weights):  # what the article's own points get
                    pairs["matched"] += 1
                    got_one = True
                    continue
                gate, best = _gate(profile, b, weights)
                pairs[gate] += 1
                if gate == "score bar":
                    best_scores.append(round(best, 3))
            answered_by_gold += got_one
        topic = await _topic_fallback(services, ids, row_of, topics, tune)
    n = len(mine)
    best_scores.sort()

    def share(x: int, of: int) -> float:
        return round(x / max(1, of), 4)

    under = {f"< {bar}": sum(s < bar for s in best_scores)
             for bar in (0.3, 0.35, 0.4, POINT_MIN_ENCODED, POINT_MIN)}
    return {"half": half, "topics": topics, "articles": n, "encoder": encoder,
            "window": {("any" if w == WINDOWS[-1] else f"{w} days"): share(window[w], n)
                       for w in WINDOWS},
            "with_same_topic_in_window": with_gold,
            "candidates": {"articles_with_one_fetched": share(fetched_any, with_gold),
                           "articles_with_one_compared": share(compared_any, with_gold),
                           "pairs_fetched": share(gold_fetched, gold_total),
                           "pairs_compared": share(gold_compared, gold_total),
                           "pairs": gold_total},
            "passages": {"pairs_compared": sum(pairs.values()), **dict(pairs),
                         "articles_answered_by_a_compared_pair": share(answered_by_gold,
                                                                       with_gold),
                         "score_bar_best_scores_under": under,
                         "score_bar_best_median": best_scores[len(best_scores) // 2]
                         if best_scores else None},
            "topic_fallback": topic}


async def _topic_fallback(services: Any, ids: list[str], row_of: dict[str, Any],
                          topics: list[str], tune: list[str]) -> dict[str, Any]:
    """Per article of the half, the broader-topic fallback at each bar: whether it offers
    anything and whether its first offered article carries the article's topic label; the
    bar chosen by leave-one-topic-out over the tune topics."""
    per_bar: dict[float, list[tuple[str, int, int]]] = {bar: [] for bar in BARS}
    for a_id in ids:
        row = row_of[a_id]
        article = await article_store.get(services.db, a_id)
        assert article is not None
        for bar in BARS:
            got = await broader_coverage(services.db, article, bar)
            per_bar[bar].append((row["topic"], len(got),
                                 sum(row_of[g.article]["topic"] == row["topic"] for g in got)))

    def figures(bar: float, among: list[str]) -> tuple[float, float]:
        """The share of articles offered any, and the share of offered articles on topic."""
        got = [r for r in per_bar[bar] if r[0] in among]
        return (round(sum(r[1] > 0 for r in got) / max(1, len(got)), 4),
                round(sum(r[2] for r in got) / max(1, sum(r[1] for r in got)), 4))

    def any_on_topic(bar: float, among: list[str]) -> float:
        got = [r for r in per_bar[bar] if r[0] in among]
        return round(sum(r[2] > 0 for r in got) / max(1, len(got)), 4)

    def choose(among: list[str]) -> float:
        """The lowest bar whose fallback is on the article's topic for ``PRECISION_GOAL``."""
        return next((bar for bar in BARS if figures(bar, among)[1] >= PRECISION_GOAL), BARS[-1])

    folds = {t: choose([u for u in tune if u != t]) for t in tune}
    held = {t: dict(zip(("offered", "on_topic"), figures(bar, [t]), strict=True))
            for t, bar in folds.items()}
    chosen = choose(tune)
    return {"by_bar": {str(bar): {**dict(zip(("offered", "on_topic"), figures(bar, topics),
                                             strict=True)),
                                  "any_on_topic": any_on_topic(bar, topics)} for bar in BARS},
            "cv_bar_per_held_out_topic": folds, "cv_held_out": held,
            "chosen_on_tune": chosen,
            "at_chosen": dict(zip(("offered", "on_topic"), figures(chosen, topics),
                                  strict=True))}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.coverage_diagnose")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--half", choices=("tune", "report"), default="tune")
    parser.add_argument("--encoder", action="store_true", help="score passages with the "
                        "encoder's vectors where both articles have them (else static only)")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(_diagnose(args.db, args.half, args.encoder)), indent=1))


if __name__ == "__main__":
    main()
