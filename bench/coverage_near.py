"""The broader-topic section's quoting bar, checked on the tune half: for each tune-half
article shown the section, each shown article's passage nearest its points at *any* score
(``match.nearest_passage`` with no floor), and a seeded sample either side of the bar to judge
by hand (is the passage on the article's point?).

``python -m bench.coverage_near --db STORE [--seed 7] [--low 0.36] [--high 0.5]`` reads a
store kept by ``python -m bench.coverage --only quality --keep STORE`` (copy it first: the
services open it). Prints the score histogram, then 12 pairs in [low, bar) and 8 in
[bar, high), the bar being ``POINT_MIN_ENCODED``; the judgements are kept in
``bench/coverage_near_judged.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import parley.core.coverage.match as match
from bench.coverage import _stored_ids, corpus, halves
from bench.workloads import bench_settings
from parley.cli.app import open_services
from parley.core.coverage.find import broader_coverage, other_coverage
from parley.core.coverage.index import candidates_for, weights_among
from parley.core.coverage.profile import with_encodings
from parley.core.meaning import ENCODER_ID
from parley.core.meaning.vectors import unpack_encodings
from parley.store import articles as article_store
from parley.store import coverage as coverage_store

BAR = match.POINT_MIN_ENCODED


async def nearest_pairs(db: Path) -> list[dict[str, Any]]:
    """Every tune-half broader item's nearest passage and its score, whatever the score."""
    rows = corpus()
    tune, _ = halves(rows)
    out = []
    async with open_services(bench_settings(db), load_example=False) as services:
        ids = await _stored_ids(services, rows)
        topic = dict(zip(ids, (r["topic"] for r in rows), strict=True))
        for article_id in ids:
            article = await article_store.get(services.db, article_id)
            if topic[article_id] not in tune or article is None or \
                    await other_coverage(services.db, article):
                continue
            items = await broader_coverage(services.db, article)
            if not items:
                continue
            profile = (await coverage_store.profiles(services.db, [article_id]))[article_id]
            weights = weights_among(profile, await candidates_for(services.db, article_id,
                                                                  profile))
            mine = {s.id: s.text for s in await article_store.sentences(services.db,
                                                                         article_id)}
            for item in items:
                other = (await coverage_store.profiles(services.db, [item.article]))[
                    item.article]
                packed = await coverage_store.encodings_for(services.db,
                                                            [article_id, item.article],
                                                            ENCODER_ID)
                vectors = {k: unpack_encodings(d, n) for k, (n, d) in packed.items()}
                near = match.nearest_passage(with_encodings(profile, vectors.get(article_id)),
                                             with_encodings(other, vectors.get(item.article)),
                                             weights, least=-1.0)  # no bar: judged
                if near is None:
                    continue
                theirs = {s.id: s.text for s in await article_store.sentences(services.db,
                                                                               item.article)}
                point = next(p.sentence for p in profile.passages if p.position == near.point)
                passage = next(p.sentence for p in other.passages if p.position == near.passage)
                out.append({"article": article_id, "other": item.article, "score": near.score,
                            "same_topic": topic.get(item.article) == topic[article_id],
                            "title": article.title, "other_title": item.title,
                            "point": mine[point], "passage": theirs[passage]})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.coverage_near")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--low", type=float, default=0.36)
    parser.add_argument("--high", type=float, default=0.5)
    args = parser.parse_args()
    pairs = asyncio.run(nearest_pairs(args.db))
    bands = Counter(round(p["score"] // 0.04 * 0.04, 2) for p in pairs)
    rng = random.Random(args.seed)
    below = [p for p in pairs if args.low <= p["score"] < BAR]
    above = [p for p in pairs if BAR <= p["score"] < args.high]
    print(json.dumps({"pairs": len(pairs), "at_or_above_bar": sum(p["score"] >= BAR
                                                                   for p in pairs),
                      "histogram": dict(sorted(bands.items())),
                      "below": rng.sample(below, min(12, len(below))),
                      "above": rng.sample(above, min(8, len(above)))},
                     indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
