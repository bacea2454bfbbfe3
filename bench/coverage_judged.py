"""Hand-judged tune-half pairs for /counterpoint's on-point rule: draw a seeded sample of the
passages the kept store offers (``sample``), and, from the judgements written in
``coverage_tune_judged.json``, choose the editor's checks' thresholds by leave-one-topic-out
cross-validation over the tune topics (``cv``). Never the report half.

``python -m bench.coverage_judged sample --db /tmp/cov20-topics.db [--seed 2029] [--n 40]``
prints, for a seeded sample of tune-half articles, each one's offered passages on a point
(what the stored matches give, every offered one, not only the first) with both sentences and
the pair's features (``match.pair_checks``). ``python -m bench.coverage_judged cv --db …``
scores every judged pair (this file's and ``coverage_dev_pairs.json``'s in-window ones) and
reports the chosen thresholds, per held-out topic and on the whole tune half.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
from pathlib import Path
from typing import Any

from bench.coverage import DEV_PAIRS, _stored_ids, corpus, halves
from bench.workloads import bench_settings
from parley.cli.app import open_services
from parley.core.coverage.find import other_coverage
from parley.core.coverage.index import candidates_for, weights_among
from parley.core.coverage.match import (
    FAR_MIN,
    NEAR_DAYS,
    NEAR_WORDS,
    POINT_DAYS,
    PairChecks,
    pair_checks,
)
from parley.core.coverage.profile import Profile, with_encodings
from parley.core.meaning import ENCODER_ID
from parley.core.meaning.vectors import unpack_encodings
from parley.core.services import Services
from parley.store import articles as article_store
from parley.store import coverage as coverage_store

JUDGED = Path(__file__).with_name("coverage_tune_judged.json")
# the least share of kept pairs judged on point a threshold set must reach on the folds it
# is fitted on (the goal is 16 of 20, 80 %; a margin for what 20 draws can show)
PRECISION_GOAL = 0.85


async def encoded_profile(services: Services, article_id: str) -> Profile:
    """A stored article's coverage profile, with its encoder vectors when it has them."""
    profile = (await coverage_store.profiles(services.db, [article_id]))[article_id]
    packed = await coverage_store.encodings_for(services.db, [article_id], ENCODER_ID)
    if article_id in packed:
        rows, data = packed[article_id]
        profile = with_encodings(profile, unpack_encodings(data, rows))
    return profile


async def checks_for(services: Services, a_id: str, b_id: str, point: int, passage: int
                     ) -> PairChecks | None:
    """The editor's checks of one point (sentence position in ``a_id``) against one passage
    (position in ``b_id``), with the core's weights among ``a_id``'s candidates."""
    a = await encoded_profile(services, a_id)
    b = await encoded_profile(services, b_id)
    others = await candidates_for(services.db, a_id, a)
    others[b_id] = b
    weights = weights_among(a, others)
    i, j = a.passage_at(point), b.passage_at(passage)
    if i is None or j is None:
        return None
    return pair_checks(a, b, weights, i, j)


def _position(article_id: str, sentence_ids: list[str], sentence: str) -> int:
    del article_id
    return sentence_ids.index(sentence)


async def _sample(db: Path, seed: int, n: int) -> list[dict[str, Any]]:
    rows = corpus()
    tune, _ = halves(rows)
    async with open_services(bench_settings(db), load_example=False) as services:
        ids = await _stored_ids(services, rows)
        row_of = dict(zip(ids, rows, strict=True))
        mine = [i for i in ids if row_of[i]["topic"] in tune]
        offered = []
        for a_id in mine:
            article = await article_store.get(services.db, a_id)
            assert article is not None
            offered += [(a_id, c) for c in await other_coverage(services.db, article)]
        picked = random.Random(seed).sample(offered, min(n, len(offered)))
        out = []
        for a_id, c in picked:
            a_sent = [s.id for s in await article_store.sentences(services.db, a_id)]
            b_sent = [s.id for s in await article_store.sentences(services.db, c.article)]
            point, passage = a_sent.index(c.point), b_sent.index(c.passage)
            got = await checks_for(services, a_id, c.article, point, passage)
            out.append({"article": row_of[a_id]["id"], "topic": row_of[a_id]["topic"],
                        "other": row_of[c.article]["id"],
                        "other_topic": row_of[c.article]["topic"],
                        "dates": [row_of[a_id].get("date"), row_of[c.article].get("date")],
                        "point_sentence": point, "passage_sentence": passage,
                        "point": c.point_text, "passage": c.text, "stance": c.stance,
                        "score": c.score, "checks": None if got is None else got.as_dict()})
    return out


def passes(c: dict[str, Any], near_days: int, near_words: float, far_min: float) -> bool:
    """Whether a judged pair's checks pass thresholds: a claim, and either published within
    ``near_days`` with ``near_words`` of the event's own specific words shared, or (up to
    ``POINT_DAYS``) nearly the same sentence, a score of ``far_min``."""
    apart: int | None = c["days_apart"]
    if not c["claim"] or apart is None or apart > POINT_DAYS:
        return False
    return bool((apart <= near_days and c["event_words"] >= near_words)
                or c["score"] >= far_min)


GRID_DAYS = (3, 5, 7, 10, 14, 21)
GRID_WORDS = (0.0, 1.0, 2.0, 2.5, 3.0, 4.0)
GRID_FAR = (0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 1.01)
Thresholds = tuple[int, float, float]


def choose(pairs: list[dict[str, Any]]) -> Thresholds:
    """The thresholds that keep the most on-point pairs while those kept are on point for at
    least ``PRECISION_GOAL``; ties go to more kept, then to the stricter set (the first in
    the grid's order: fewer days, more words, a higher far bar)."""
    best: tuple[int, int, Thresholds] | None = None
    for days, words, far in itertools.product(GRID_DAYS, sorted(GRID_WORDS, reverse=True),
                                              sorted(GRID_FAR, reverse=True)):
        kept = [p for p in pairs if passes(p["checks"], days, words, far)]
        good = sum(p["on_point"] for p in kept)
        if not kept or good / len(kept) < PRECISION_GOAL:
            continue
        if best is None or (good, len(kept)) > best[:2]:
            best = (good, len(kept), (days, words, far))
    return best[2] if best else (GRID_DAYS[0], GRID_WORDS[-1], GRID_FAR[-1])


async def _judged(db: Path) -> list[dict[str, Any]]:
    rows = corpus()
    judged = json.loads(JUDGED.read_text(encoding="utf-8"))["pairs"]
    dev = [p for p in json.loads(DEV_PAIRS.read_text(encoding="utf-8"))["pairs"]
           if p["days_apart"] is not None and p["days_apart"] <= 31]
    seen: set[tuple[str, str, int, int]] = set()
    unique = []
    for pair in [*judged, *dev]:  # a pair drawn twice counts once (its first judgement)
        key = (pair["article"], pair["other"], pair["point_sentence"], pair["passage_sentence"])
        if key not in seen:
            seen.add(key)
            unique.append(pair)
    async with open_services(bench_settings(db), load_example=False) as services:
        stored = dict(zip((r["id"] for r in rows), await _stored_ids(services, rows),
                          strict=True))
        out = []
        for pair in unique:
            got = await checks_for(services, stored[pair["article"]], stored[pair["other"]],
                                   pair["point_sentence"], pair["passage_sentence"])
            if got is not None:
                out.append({"topic": pair["topic"], "on_point": pair["on_point"],
                            "checks": got.as_dict()})
    return out


def cross_validate(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    """Leave one tune topic out: thresholds chosen on the others, precision and recall on it;
    then the thresholds chosen on every judged pair, and the core's own."""
    topics = sorted({p["topic"] for p in pairs})
    folds = {}
    for held in topics:
        chosen = choose([p for p in pairs if p["topic"] != held])
        test = [p for p in pairs if p["topic"] == held]
        kept = [p for p in test if passes(p["checks"], *chosen)]
        folds[held] = {"chosen": chosen, "pairs": len(test),
                       "on_point": sum(p["on_point"] for p in test), "kept": len(kept),
                       "kept_on_point": sum(p["on_point"] for p in kept)}
    kept_all = sum(f["kept"] for f in folds.values())
    good_all = sum(f["kept_on_point"] for f in folds.values())
    core = (NEAR_DAYS, NEAR_WORDS, FAR_MIN)
    core_kept = [p for p in pairs if passes(p["checks"], *core)]
    return {"pairs": len(pairs), "on_point": sum(p["on_point"] for p in pairs),
            "folds": folds,
            "held_out_precision": round(good_all / max(1, kept_all), 4),
            "held_out_recall": round(good_all / max(1, sum(p["on_point"] for p in pairs)), 4),
            "chosen_on_all": choose(pairs), "core": core,
            "core_kept": len(core_kept),
            "core_kept_on_point": sum(p["on_point"] for p in core_kept)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.coverage_judged")
    parser.add_argument("what", choices=("sample", "cv"))
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2029)
    parser.add_argument("--n", type=int, default=40)
    args = parser.parse_args()
    if args.what == "sample":
        out: Any = asyncio.run(_sample(args.db, args.seed, args.n))
    else:
        out = cross_validate(asyncio.run(_judged(args.db)))
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
