"""Other coverage on the public AllSides topics corpus: how many articles /counterpoint answers
with another outlet's passage on the same topic, a seeded sample of 20 pairs to judge by hand,
and /counterpoint latency with 10,000 articles stored. The matching rule was chosen on hand-judged
pairs of half the topics (``halves``: ``tune``); the figures that count are the other half's
(``report``), and the sample is drawn from it.

``python -m bench.coverage [--quick]`` (quality: all 600 articles; latency: 10,000, or 1,000
with ``--quick``). Reads ``../shared/eval/corpus/topics.jsonl``; never copies it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.timing import p50_p99
from bench.workloads import REPO, bench_settings
from parley.cli.app import open_services
from parley.core.analysis.article import analyse
from parley.core.coverage.find import OtherCoverage, other_coverage
from parley.core.coverage.profile import PROFILE_VERSION, build
from parley.core.ingest.identity import content_hash, make_slug
from parley.core.ingest.pipeline import store_parsed
from parley.core.ingest.plaintext import parse_plain_text
from parley.core.models import ParsedArticle, Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from parley.store import articles as article_store
from parley.store import coverage as coverage_store
from parley.store.coverage import MatchRow

TOPICS = REPO.parent / "shared" / "eval" / "corpus" / "topics.jsonl"
NOW = datetime(2025, 5, 1, tzinfo=UTC)
SAMPLE, SEED = 20, 20  # SEED splits the topics into halves
SAMPLE_SEED = 2026  # the hand-judged sample, drawn from the report half only


def corpus() -> list[dict[str, Any]]:
    return [json.loads(line) for line in TOPICS.read_text(encoding="utf-8").splitlines()]


def parsed_row(row: dict[str, Any]) -> ParsedArticle:
    """A corpus row as Parley would store it: its text, title, outlet, date and address."""
    parsed = parse_plain_text(f"{row['title']}\n\n{row['text']}")
    try:
        published = date.fromisoformat(row["date"]) if row.get("date") else None
    except ValueError:
        published = None
    return parsed.model_copy(update={"title": row["title"], "outlet": row["outlet"],
                                     "url": row["url"], "published": published})


async def _stored(services: Services, rows: list[dict[str, Any]]) -> list[str]:
    ids = []
    for row in rows:
        result = await store_parsed(services.db, services.workers, parsed_row(row), NOW,
                                    lexicon=services.lexicon)
        ids.append(result.article.id)
    return ids


def halves(rows: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The topics the matching rule was chosen on, and the topics it is reported on."""
    topics = sorted({r["topic"] for r in rows})
    tune = sorted(random.Random(SEED).sample(topics, len(topics) // 2))
    return tune, [t for t in topics if t not in tune]


def _figures(ids: list[str], topic: dict[str, str], found: dict[str, list[OtherCoverage]]
             ) -> dict[str, float]:
    n = max(1, len(ids))
    offered = [(a, c) for a in ids for c in found[a]]
    return {"articles": len(ids),
            "answered": round(sum(bool(found[a]) for a in ids) / n, 4),
            "same_topic": round(sum(any(topic.get(c.article) == topic[a] for c in found[a])
                                    for a in ids) / n, 4),
            "passages": len(offered),
            "passages_on_topic": round(sum(topic.get(c.article) == topic[a] for a, c in offered)
                                       / max(1, len(offered)), 4)}


async def _quality(db_path: Path) -> dict[str, Any]:
    rows = corpus()
    tune, report = halves(rows)
    async with open_services(bench_settings(db_path), load_example=False) as services:
        started = time.perf_counter()
        ids = await _stored(services, rows)
        fill_s = time.perf_counter() - started
        topic = dict(zip(ids, (r["topic"] for r in rows), strict=True))
        found: dict[str, list[OtherCoverage]] = {}
        for article_id in ids:
            article = await article_store.get(services.db, article_id)
            assert article is not None
            found[article_id] = await other_coverage(services.db, article)
        info = {i: await article_store.get(services.db, i) for i in ids}
    pairs = [(a, found[a][0]) for a in ids if topic[a] in report and found[a]]
    sample = random.Random(SAMPLE_SEED).sample(pairs, min(SAMPLE, len(pairs)))

    def published(article_id: str) -> str | None:
        article = info[article_id]
        return article.published.isoformat() if article and article.published else None

    return {"articles": len(ids), "fill_s": round(fill_s, 1), "tune_topics": tune,
            "report_topics": report,
            "all": _figures(ids, topic, found),
            "tune": _figures([i for i in ids if topic[i] in tune], topic, found),
            "report": _figures([i for i in ids if topic[i] in report], topic, found),
            "sample": [{"article": a, "topic": topic[a], "published": published(a),
                        "point": c.point_text, "other": c.article,
                        "other_topic": topic.get(c.article), "other_published": published(
                            c.article), "outlet": c.outlet, "leaning": c.leaning,
                        "stance": c.stance, "score": c.score, "passage": c.text}
                       for a, c in sample]}


async def _fill_copies(services: Services, rows: list[dict[str, Any]], total: int) -> list[str]:
    """The corpus stored for real (profiles matched at ingestion), then copies up to ``total``
    (titles varied) whose profiles join the term index and whose matched passages are their
    original's, so the tables are as large as ``total`` real articles would make them."""
    base = rows[:min(len(rows), total)]
    ids = await _stored(services, base)
    parsed = [parsed_row(r) for r in base]
    analyses = [analyse(p, services.lexicon) for p in parsed]
    originals = {i: await coverage_store.matches_for(services.db, i) for i in ids}
    copies = []
    for n in range(len(base), total):
        k = n % len(base)
        copy = parsed[k].model_copy(update={"title": f"{parsed[k].title} ({n})"})
        article, _ = await article_store.save(services.db, copy, make_slug(copy),
                                              content_hash(copy), NOW, analyses[k])
        profile = build(article.id, copy, {c.sentence: c.score for c in analyses[k].claims})
        rows_k = [MatchRow(article_id=article.id,
                           point=article.id + m.point[len(ids[k]):], other_id=m.other_id,
                           passage=m.passage, score=m.score, stance=m.stance)
                  for m in originals[ids[k]]]
        async with services.db.transaction() as conn:
            await coverage_store.save_profile_in(conn, article.id, profile, PROFILE_VERSION, NOW)
            await coverage_store.save_links_in(conn, [], rows_k)
        copies.append(article.id)
    return ids + copies


async def _latency(db_path: Path, total: int, queries: int, repeats: int = 1) -> dict[str, Any]:
    rows = corpus()
    async with open_services(bench_settings(db_path), load_example=False) as services:
        started = time.perf_counter()
        ids = await _fill_copies(services, rows, total)
        fill_s = time.perf_counter() - started
        chosen = random.Random(SEED).sample(ids, min(queries, len(ids)))
        base = Request(channel="bench", user="bench-user", role=Role.ADMIN, command="help")
        runs = []
        for _ in range(repeats):
            times = []
            for article_id in chosen:
                await run_line(services.registry, f"/article use {article_id}", base, services)
                await run_line(services.registry, "/counterpoint", base, services)  # warm
                t0 = time.perf_counter()
                reply = await run_line(services.registry, "/counterpoint", base, services)
                times.append((time.perf_counter() - t0) * 1000)
                assert not reply.is_error or reply.kind == "not_found", reply.text
            runs.append(p50_p99(times))
    return {"articles": total, "queries": len(chosen), "fill_s": round(fill_s, 1), **runs[0],
            "runs": runs}


def quality() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(_quality(Path(tmp) / "topics.db"))


def latency(quick: bool, repeats: int = 1) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(_latency(Path(tmp) / "many.db", 1_000 if quick else 10_000,
                                    100 if quick else 300, repeats))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.coverage")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=("quality", "latency"))
    parser.add_argument("--repeat", type=int, default=1, help="latency query rounds (one fill)")
    args = parser.parse_args()
    out: dict[str, Any] = {}
    if args.only != "latency":
        out["quality"] = quality()
    if args.only != "quality":
        out["latency"] = latency(args.quick, max(1, args.repeat))
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
