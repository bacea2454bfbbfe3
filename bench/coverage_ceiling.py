"""What a judge needs to set #20's on-point ceiling: for a seeded sample of the articles that
have another outlet's same-topic article within 31 days (by the corpus labels), each one's main
points, the passages of those articles nearest each point by the encoder's score at any score,
and what Parley offers it; the judgements are kept in ``bench/coverage_ceiling_judged.json``.

``python -m bench.coverage_ceiling --db COPY [--half report|tune] [--seed 2033] [--n 25]
[--json]`` reads a copy of a store kept by ``python -m bench.coverage --only quality --keep
STORE`` (encoder pass done; the services open the copy, so never the kept file itself) and
changes nothing. Per article: its title, date, outlet and ``MAIN_POINTS`` main points; its
other-outlet same-topic articles within ``POINT_DAYS`` (at most ``OTHERS``, the nearest by the
topic-term cosine); for each point and each of them the ``TOP`` passages with the highest
``match.point_score`` (½ × the share of the point's specific words, ½ × the encoder's cosine),
with no bar and no check; and Parley's offer (its passages on a point, else its broader-topic
section). The report half is judged with seed 2033, the tune half with seed 2034.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import textwrap
from pathlib import Path
from typing import Any

from bench.coverage import _day, _stored_ids, corpus, halves, has_coverage
from bench.coverage_judged import encoded_profile
from bench.workloads import bench_settings
from parley.cli.app import open_services
from parley.core.analysis.tokens import fold
from parley.core.coverage import match
from parley.core.coverage.find import broader_coverage, other_coverage
from parley.core.coverage.index import candidates_for, weights_among
from parley.core.coverage.profile import Profile
from parley.core.services import Services
from parley.store import articles as article_store

SEEDS = {"report": 2033, "tune": 2034}
SIZES = {"report": 25, "tune": 15}
OTHERS = 4  # other-outlet same-topic articles within the window shown, nearest in topic first
TOP = 3  # passages shown per point and article
WIDTH = 170  # a sentence is shortened to this many characters


def short(text: str, width: int = WIDTH) -> str:
    return textwrap.shorten(" ".join(text.split()), width=width, placeholder=" …")


def sample_rows(half: str, seed: int, n: int) -> list[dict[str, Any]]:
    """The seeded sample of one half's articles that have other-outlet same-topic coverage
    within the window (by the labels), in corpus order before drawing."""
    rows = corpus()
    tune, report = halves(rows)
    topics = tune if half == "tune" else report
    covered = has_coverage(rows)
    pool = [r for r in rows if r["topic"] in topics and r["id"] in covered]
    return random.Random(seed).sample(pool, min(n, len(pool)))


def same_topic_near(row: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The corpus rows of another outlet, with the same topic label, dated within the window."""
    day = _day(row)
    assert day is not None
    return [r for r in rows if r["id"] != row["id"] and r["topic"] == row["topic"]
            and fold(r["outlet"]) != fold(row["outlet"]) and (d := _day(r)) is not None
            and abs((d - day).days) <= match.POINT_DAYS]


def nearest(a: Profile, b: Profile, weights: dict[str, float], i: int, top: int = TOP
            ) -> list[tuple[float, float, int, bool]]:
    """The ``top`` passages of ``b`` with the highest point score against ``a``'s ``i``-th
    passage, at any score: (score, encoder cosine, passage index, passes the specific-weight
    and says-something checks)."""
    keyed = match.keyed_weights(a.passages[i], weights)
    total = max(1e-9, sum(keyed.values()))
    vectors_a = a.encodings if a.encodings is not None else a.passage_vectors
    vectors_b = b.encodings if b.encodings is not None and a.encodings is not None \
        else b.passage_vectors
    cosines = vectors_b @ vectors_a[i]
    scored = []
    for j, p in enumerate(b.passages):
        shared = match.shared_weight(keyed, p)
        score = match.point_score(shared / total, float(cosines[j]))
        checks = shared >= match.SPECIFIC_MIN and match.says_something(p)
        scored.append((round(score, 3), round(float(cosines[j]), 3), j, checks))
    scored.sort(key=lambda s: (-s[0], s[2]))
    return scored[:top]


async def block(services: Services, row: dict[str, Any], stored: dict[str, str],
                rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the judge reads for one article."""
    article_id = stored[row["id"]]
    article = await article_store.get(services.db, article_id)
    assert article is not None
    profile = await encoded_profile(services, article_id)
    texts = {s.id: s.text for s in await article_store.sentences(services.db, article_id)}
    others: dict[str, Profile] = {}
    for other in same_topic_near(row, rows):
        others[stored[other["id"]]] = await encoded_profile(services, stored[other["id"]])
    ranked = sorted(others, key=lambda o: (-match.topic_similarity(profile, others[o]), o))
    shown = ranked[:OTHERS]
    weights = weights_among(profile, {**await candidates_for(services.db, article_id, profile),
                                      **{o: others[o] for o in shown}})
    by_id = {r["id"]: r for r in rows}
    corpus_of = {v: by_id[k] for k, v in stored.items()}
    linked = []
    for other_id in shown:
        other_row = corpus_of[other_id]
        other_texts = {s.id: s.text for s in await article_store.sentences(services.db,
                                                                            other_id)}
        linked.append({"id": other_id, "outlet": other_row["outlet"],
                       "leaning": other_row.get("leaning"), "date": other_row.get("date"),
                       "title": other_row["title"],
                       "topic_cosine": round(match.topic_similarity(profile, others[other_id]),
                                             3),
                       "texts": other_texts})
    points = []
    for position in profile.points:
        i = profile.passage_at(position)
        if i is None:
            continue
        near = []
        for n, other_id in enumerate(shown):
            b = others[other_id]
            for score, cosine, j, checks in nearest(profile, b, weights, i):
                near.append({"other": n, "score": score, "cosine": cosine, "checks": checks,
                             "text": linked[n]["texts"][b.passages[j].sentence]})
        points.append({"position": position, "text": texts[profile.passages[i].sentence],
                       "nearest": near})
    offered = await other_coverage(services.db, article)
    broader = [] if offered else await broader_coverage(services.db, article)
    return {"article": article_id, "corpus_id": row["id"], "topic": row["topic"],
            "title": article.title, "date": row.get("date"), "outlet": row["outlet"],
            "leaning": row.get("leaning"), "same_topic_in_window": len(others),
            "others": [{k: v for k, v in o.items() if k != "texts"} for o in linked],
            "points": points,
            "offered": [{"point": c.point_text, "other": c.article, "outlet": c.outlet,
                         "score": c.score, "passage": c.text, "stance": c.stance}
                        for c in offered],
            "broader": [{"other": c.article, "outlet": c.outlet, "title": c.title,
                         "point": c.point_text, "passage": c.text, "score": c.score}
                        for c in broader]}


async def collect(db: Path, half: str, seed: int, n: int) -> list[dict[str, Any]]:
    rows = corpus()
    chosen = sample_rows(half, seed, n)
    async with open_services(bench_settings(db), load_example=False) as services:
        stored = dict(zip((r["id"] for r in rows), await _stored_ids(services, rows),
                          strict=True))
        return [await block(services, row, stored, rows) for row in chosen]


def render(blocks: list[dict[str, Any]]) -> str:
    """One readable block an article."""
    lines: list[str] = []
    for k, b in enumerate(blocks, 1):
        lines.append("=" * 100)
        lines.append(f"#{k} {b['article']}  [{b['topic']}]  {b['date']}  {b['outlet']} "
                     f"({b['leaning']})")
        lines.append(f"   {short(b['title'], 150)}")
        lines.append(f"   same-topic other-outlet articles within {match.POINT_DAYS} days: "
                     f"{b['same_topic_in_window']}, shown {len(b['others'])}")
        for n, o in enumerate(b["others"]):
            lines.append(f"   [{chr(65 + n)}] {o['outlet']} ({o['leaning']}) {o['date']} "
                         f"topic {o['topic_cosine']}: {short(o['title'], 110)}")
        for p in b["points"]:
            lines.append(f" * P{p['position']}: {short(p['text'])}")
            for m in p["nearest"]:
                mark = "+" if m["checks"] else " "
                lines.append(f"     {chr(65 + m['other'])} {m['score']:.3f} "
                             f"(cos {m['cosine']:.2f}){mark} {short(m['text'], 150)}")
        if b["offered"]:
            lines.append(" PARLEY OFFERS (on a point):")
            for c in b["offered"]:
                lines.append(f"   {c['outlet']} {c['score']} {c['stance']} | point: "
                             f"{short(c['point'], 90)}")
                lines.append(f"      -> {short(c['passage'], 150)}")
        elif b["broader"]:
            lines.append(" PARLEY OFFERS nothing on a point; broader-topic section:")
            for c in b["broader"]:
                quoted = f"'{short(c['passage'], 120)}' on '{short(c['point'], 70)}'" \
                    if c["passage"] else "(topic only)"
                lines.append(f"   {c['outlet']} {c['score']}: {short(c['title'], 70)} "
                             f"{quoted}")
        else:
            lines.append(" PARLEY OFFERS nothing")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.coverage_ceiling")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--half", choices=sorted(SEEDS), default="report")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--n", type=int)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    seed = SEEDS[args.half] if args.seed is None else args.seed
    n = SIZES[args.half] if args.n is None else args.n
    blocks = asyncio.run(collect(args.db, args.half, seed, n))
    if args.json:
        print(json.dumps(blocks, indent=1, ensure_ascii=False))
    else:
        print(render(blocks))


if __name__ == "__main__":
    main()
