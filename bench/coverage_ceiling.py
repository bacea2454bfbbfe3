"""What a judge needs to set #20's on-point ceiling: for a seeded sample of the articles that
have another outlet's same-topic article within 31 days (by the corpus labels), each one's main
points, the passages of those articles nearest each point by the encoder's score at any score,
and what Parley offers it; the judgements are kept in ``bench/coverage_ceiling_judged.json``.

``python -m bench.coverage_ceiling --db COPY [--half report|tune] [--seed 2033] [--n 25] [--exclude
SEED:N ...] [--json]`` reads a copy of a store kept by ``python -m bench.coverage --only quality
--keep STORE`` (encoder pass done; the services open the copy, so never the kept file itself) and
changes nothing. Per article: its title, date, outlet and ``MAIN_POINTS`` main points; its
other-outlet same-topic articles within ``POINT_DAYS`` (at most ``OTHERS``, the nearest by the
topic-term cosine); for each point and each of them the ``TOP`` passages with the highest
``match.point_score`` (½ × the share of the point's specific words, ½ × the encoder's cosine), with
no bar and no check; and Parley's offer (its passages on a point, else its broader-topic section).
The report half is judged with seed 2033, the tune half with seed 2034; further report-half samples
leave out the earlier ones' articles (``--exclude 2033:25`` for seed 2035; each ``--exclude`` is
drawn leaving out the ones before it, so ``--exclude 2033:25 --exclude 2035:25`` for seed 2036).
``python -m bench.coverage_ceiling --summary`` reads the judgements (no store) and prints each
sample's and the pooled report half's shares with Wilson 95 % intervals.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import textwrap
from collections.abc import Sequence
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
JUDGED = Path(__file__).with_name("coverage_ceiling_judged.json")
SIZES = {"report": 25, "tune": 15}
OTHERS = 4  # other-outlet same-topic articles within the window shown, nearest in topic first
TOP = 3  # passages shown per point and article
WIDTH = 170  # a sentence is shortened to this many characters


def short(text: str, width: int = WIDTH) -> str:
    return textwrap.shorten(" ".join(text.split()), width=width, placeholder=" …")


def sample_rows(half: str, seed: int, n: int, exclude: Sequence[tuple[int, int]] = ()
                ) -> list[dict[str, Any]]:
    """The seeded sample of one half's articles that have other-outlet same-topic coverage
    within the window (by the labels), in corpus order before drawing, leaving out the articles
    of the earlier samples ``exclude`` names (seed, size), each drawn leaving out the ones
    before it."""
    rows = corpus()
    tune, report = halves(rows)
    topics = tune if half == "tune" else report
    covered = has_coverage(rows)
    pool = [r for r in rows if r["topic"] in topics and r["id"] in covered]
    return _draw(pool, seed, n, list(exclude))


def _draw(pool: list[dict[str, Any]], seed: int, n: int, exclude: list[tuple[int, int]]
          ) -> list[dict[str, Any]]:
    left_out: set[str] = set()
    for k, (earlier_seed, earlier_n) in enumerate(exclude):
        left_out |= {r["id"] for r in _draw(pool, earlier_seed, earlier_n, exclude[:k])}
    rest = [r for r in pool if r["id"] not in left_out]
    return random.Random(seed).sample(rest, min(n, len(rest)))


def seed_size(text: str) -> tuple[int, int]:
    """``SEED:N`` as (seed, size), for ``--exclude``."""
    seed, _, n = text.partition(":")
    try:
        return int(seed), int(n)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected SEED:N, got {text!r}") from None


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


async def collect(db: Path, half: str, seed: int, n: int,
                  exclude: Sequence[tuple[int, int]] = ()) -> list[dict[str, Any]]:
    rows = corpus()
    chosen = sample_rows(half, seed, n, exclude)
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


def wilson(k: int, n: int) -> tuple[float, float]:
    """The Wilson score 95 % interval of ``k`` of ``n`` (0–1; (0, 1) when ``n`` is 0)."""
    if n == 0:
        return 0.0, 1.0
    from scipy.stats import binomtest

    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


def share(k: int, n: int) -> dict[str, Any]:
    low, high = wilson(k, n)
    return {"k": k, "n": n, "share": round(k / n, 3) if n else None,
            "wilson95": [round(low, 3), round(high, 3)]}


def tally(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """One sample's (or a pool's) judged figures: the ceiling (a passage on a main point
    exists, judged yes / judged), how many of those Parley offers an on-point passage for
    (found), and how many of the passages its on-point section offers are on the point
    (precision; borderline ones counted out, and in for the upper figure)."""
    yes = [e for e in entries if e["judged"] == "yes"]
    borderline = sum(e["judged"] == "borderline" for e in entries)
    found = sum(e["parley_on_point"] is True for e in yes)
    offered = sum(e["parley_passages"] for e in entries)
    on_point = sum(e["parley_passages_on_point"] for e in entries)
    maybe = sum(e["parley_passages_borderline"] for e in entries)
    return {"judged": len(entries), "ceiling_borderline": borderline,
            "ceiling": share(len(yes), len(entries)),
            "ceiling_with_borderline": share(len(yes) + borderline, len(entries)),
            "found": share(found, len(yes)),
            "articles_offered_on_point_section": sum(e["parley_passages"] > 0 for e in entries),
            "precision": share(on_point, offered),
            "precision_with_borderline": share(on_point + maybe, offered)}


def report_samples(judged: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The report-half samples of the judgements file, by name: the first at the top level,
    the later ones under ``report_SEED``."""
    out = {f"report_{judged['seed']}": judged}
    out.update({k: v for k, v in judged.items() if k.startswith("report_")})
    return out


def summary(judged: dict[str, Any]) -> dict[str, Any]:
    """Every sample's tally, and the report half's samples pooled (they are disjoint)."""
    samples = report_samples(judged)
    out = {name: tally(s["entries"]) for name, s in samples.items()}
    out["report_pooled"] = tally([e for s in samples.values() for e in s["entries"]])
    if "tune_half" in judged:
        out[f"tune_{judged['tune_half']['seed']}"] = tally(judged["tune_half"]["entries"])
    return out


def render_summary(figures: dict[str, Any]) -> str:
    def pct(s: dict[str, Any]) -> str:
        if not s["n"]:
            return f"{s['k']}/0"
        low, high = s["wilson95"]
        return f"{s['k']}/{s['n']} {100 * s['share']:.0f} % ({100 * low:.0f}–{100 * high:.0f})"
    lines = [f"{'sample':<16}{'ceiling':<22}{'found of ceiling':<22}{'on-point precision':<22}"
             "precision with borderline"]
    for name, t in figures.items():
        lines.append(f"{name:<16}{pct(t['ceiling']):<22}{pct(t['found']):<22}"
                     f"{pct(t['precision']):<22}{pct(t['precision_with_borderline'])}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.coverage_ceiling")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--half", choices=sorted(SEEDS), default="report")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--n", type=int)
    parser.add_argument("--exclude", type=seed_size, action="append", default=[],
                        metavar="SEED:N", help="leave out the articles of an earlier sample "
                        "of this seed and size (repeatable, in the order they were drawn)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--summary", action="store_true", help="the judged figures of "
                        "bench/coverage_ceiling_judged.json with Wilson 95 %% intervals")
    args = parser.parse_args()
    if args.summary:
        figures = summary(json.loads(JUDGED.read_text(encoding="utf-8")))
        print(json.dumps(figures, indent=1) if args.json else render_summary(figures))
        return
    if args.db is None:
        parser.error("--db is required (or --summary)")
    seed = SEEDS[args.half] if args.seed is None else args.seed
    n = SIZES[args.half] if args.n is None else args.n
    blocks = asyncio.run(collect(args.db, args.half, seed, n, args.exclude))
    if args.json:
        print(json.dumps(blocks, indent=1, ensure_ascii=False))
    else:
        print(render(blocks))


if __name__ == "__main__":
    main()
