"""Other coverage on the public AllSides topics corpus: how many articles /counterpoint answers
with another outlet's passage on the same topic (of all, and of those that have another outlet's
same-topic article within 31 days at all, by the corpus's labels and dates), a seeded sample of
20 pairs to judge by hand, and /counterpoint latency (wall and CPU time) with 10,000 articles
stored. The matching rule was chosen on hand-judged pairs of half the topics (``halves``:
``tune``); the figures that count are the other half's (``report``), and the sample is drawn from
it. The quality part stores the corpus (static matches), encodes it with the sentence encoder,
matches it again (``parley.core.coverage.rematch``) and reports both.

``python -m bench.coverage [--quick] [--only quality|latency] [--keep PATH [--as-is]]
[--seed N]`` (quality: all 600 articles; latency: 10,000, or 1,000 with ``--quick``). ``--keep
PATH`` keeps the quality store there, or reuses it when it exists (the articles it has not
encoded yet encoded, then matched again, static then encoder; not stored again; with
``--as-is`` only read as it stands), and the latency part then copies its articles from it
instead of storing the corpus again. Reads ``../shared/eval/corpus/topics.jsonl``; never copies
it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.timing import p50_p99
from bench.workloads import REPO, bench_settings
from parley.cli.app import open_services
from parley.core.analysis.article import analyse
from parley.core.analysis.tokens import fold
from parley.core.coverage.find import (
    BroaderCoverage,
    OtherCoverage,
    broader_coverage,
    other_coverage,
)
from parley.core.coverage.index import candidates_for, weights_among
from parley.core.coverage.match import POINT_DAYS
from parley.core.coverage.match import pair_features as core_pair_features
from parley.core.coverage.profile import PROFILE_VERSION, with_encodings
from parley.core.coverage.rematch import rematch, rematch_pending
from parley.core.ingest.encodings import encode_stored
from parley.core.ingest.identity import content_hash, make_slug
from parley.core.ingest.pipeline import store_parsed
from parley.core.ingest.plaintext import parse_plain_text
from parley.core.meaning import ENCODER_ID
from parley.core.meaning.vectors import unpack_encodings
from parley.core.models import ParsedArticle, Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from parley.store import articles as article_store
from parley.store import coverage as coverage_store
from parley.store.coverage import LinkRow, MatchRow

TOPICS = REPO.parent / "shared" / "eval" / "corpus" / "topics.jsonl"
DEV_PAIRS = Path(__file__).with_name("coverage_dev_pairs.json")
NOW = datetime(2025, 5, 1, tzinfo=UTC)
SAMPLE, SEED = 20, 20  # SEED splits the topics into halves
SAMPLE_SEED = 2031  # the hand-judged samples, drawn from the report half only (2026–2030: before;
# 2029 drew the tune half's judged pairs, bench.coverage_judged)
BROADER_SAMPLE = 20  # broader-topic sections judged by hand beside the 20 on-point passages


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


def has_coverage(rows: list[dict[str, Any]]) -> set[str]:
    """Corpus ids of the articles that *have* other coverage to find, by the corpus's own labels
    and independently of any matcher: another outlet's article with the same topic label, both
    dated and published at most ``POINT_DAYS`` days apart."""
    dated = [(r["id"], r["topic"], fold(r["outlet"]), _day(r)) for r in rows]
    out = set()
    for rid, topic, outlet, day in dated:
        if day is None:
            continue
        if any(t == topic and o != outlet and d is not None and abs((d - day).days) <= POINT_DAYS
               for i, t, o, d in dated if i != rid):
            out.add(rid)
    return out


def _day(row: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(row["date"]) if row.get("date") else None
    except ValueError:
        return None


Offered = tuple[dict[str, list[OtherCoverage]], dict[str, list[BroaderCoverage]]]


def _figures(ids: list[str], topic: dict[str, str], got: Offered, covered: set[str]
             ) -> dict[str, float]:
    found, broader = got
    n = max(1, len(ids))
    offered = [(a, c) for a in ids for c in found[a]]
    wider = [(a, c) for a in ids for c in broader[a]]
    with_coverage = [a for a in ids if a in covered]

    def same_topic(a: str) -> bool:
        return any(topic.get(c.article) == topic[a] for c in found[a])

    def or_broader(a: str) -> bool:
        return same_topic(a) or any(topic.get(c.article) == topic[a] for c in broader[a])

    return {"articles": len(ids),
            "same_topic_or_broader": round(sum(or_broader(a) for a in ids) / n, 4),
            "same_topic_or_broader_among_with_coverage": round(
                sum(or_broader(a) for a in with_coverage) / max(1, len(with_coverage)), 4),
            "broader_offered": round(sum(bool(broader[a]) for a in ids) / n, 4),
            "broader_items_on_topic": round(sum(topic.get(c.article) == topic[a]
                                                for a, c in wider) / max(1, len(wider)), 4),
            "broader_items_quoted": round(sum(c.text is not None for _, c in wider)
                                          / max(1, len(wider)), 4),
            "broader_quoted_on_topic": round(
                sum(topic.get(c.article) == topic[a] for a, c in wider if c.text is not None)
                / max(1, sum(c.text is not None for _, c in wider)), 4),
            "broader_sections_quoting": round(
                sum(any(c.text is not None for c in broader[a]) for a in ids)
                / max(1, sum(bool(broader[a]) for a in ids)), 4),
            "answered": round(sum(bool(found[a]) for a in ids) / n, 4),
            "same_topic": round(sum(same_topic(a) for a in ids) / n, 4),
            "with_coverage": len(with_coverage),
            "same_topic_among_with_coverage": round(
                sum(same_topic(a) for a in with_coverage) / max(1, len(with_coverage)), 4),
            "passages": len(offered),
            "passages_on_topic": round(sum(topic.get(c.article) == topic[a] for a, c in offered)
                                       / max(1, len(offered)), 4)}


async def _offered(services: Services, ids: list[str]) -> Offered:
    """What the bare /counterpoint offers each article: passages on its points, else other
    outlets on its broader topic."""
    found: dict[str, list[OtherCoverage]] = {}
    broader: dict[str, list[BroaderCoverage]] = {}
    for article_id in ids:
        article = await article_store.get(services.db, article_id)
        assert article is not None
        found[article_id] = await other_coverage(services.db, article)
        broader[article_id] = [] if found[article_id] else \
            await broader_coverage(services.db, article)
    return found, broader


async def _fill_quality(services: Services, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Store the corpus (static matches), then encode it and match again with the encoder."""
    started = time.perf_counter()
    ids = await _stored(services, rows)
    fill_s = time.perf_counter() - started
    static = await _offered(services, ids)
    started = time.perf_counter()
    await encode_stored(services.db, services.workers, batch=50)
    encode_s = time.perf_counter() - started
    started = time.perf_counter()
    await rematch_pending(services.db, services.workers)
    return {"ids": ids, "static": static, "fill_s": round(fill_s, 1),
            "encode_s": round(encode_s, 1), "rematch_s": round(time.perf_counter() - started, 1)}


async def _quality(db_path: Path, reuse: bool, as_is: bool = False, seed: int = SAMPLE_SEED
                   ) -> dict[str, Any]:
    rows = corpus()
    tune, report = halves(rows)
    covered_rows = has_coverage(rows)
    filled: dict[str, Any]
    async with open_services(bench_settings(db_path), load_example=False) as services:
        if reuse and as_is:  # the store of an earlier --keep run, read as it stands
            filled = {"ids": await _stored_ids(services, rows), "static": None}
        elif reuse:  # the store of an earlier --keep run: only matched again
            stored = await _stored_ids(services, rows)
            await encode_stored(services.db, services.workers, batch=50)  # any not yet encoded
            await rematch_all(services, stored, encoded=False)
            static = await _offered(services, stored)
            started = time.perf_counter()
            await rematch_all(services, stored, encoded=True)
            filled = {"ids": stored, "static": static,
                                      "rematch_s": round(time.perf_counter() - started, 1)}
        else:
            filled = await _fill_quality(services, rows)
        ids: list[str] = filled["ids"]
        topic = dict(zip(ids, (r["topic"] for r in rows), strict=True))
        covered = {i for i, r in zip(ids, rows, strict=True) if r["id"] in covered_rows}
        found, broader = await _offered(services, ids)
        info = {i: await article_store.get(services.db, i) for i in ids}
        dev = await dev_scores(services, dict(zip((r["id"] for r in rows), ids, strict=True)))
    return {"articles": len(ids), **{k: v for k, v in filled.items() if k.endswith("_s")},
            "tune_topics": tune, "report_topics": report,
            "encoder": _halves_figures(ids, topic, (found, broader), covered, tune, report),
            "static_only": _halves_figures(ids, topic, filled["static"], covered, tune, report)
            if filled["static"] is not None else None,
            "dev_pairs": dev, **samples(ids, topic, report, (found, broader), info, seed)}


def _halves_figures(ids: list[str], topic: dict[str, str], got: Offered, covered: set[str],
                    tune: list[str], report: list[str]) -> dict[str, Any]:
    return {"all": _figures(ids, topic, got, covered),
            "tune": _figures([i for i in ids if topic[i] in tune], topic, got, covered),
            "report": _figures([i for i in ids if topic[i] in report], topic, got, covered)}


def samples(ids: list[str], topic: dict[str, str], report: list[str], got: Offered,
            info: dict[str, Any], seed: int = SAMPLE_SEED) -> dict[str, Any]:
    """The seeded samples to judge by hand, of the report half only: each article's first
    offered passage on a point (``SAMPLE``), and the first broader-topic article shown."""
    found, broader = got
    pairs = [(a, found[a][0]) for a in ids if topic[a] in report and found[a]]
    sample = random.Random(seed).sample(pairs, min(SAMPLE, len(pairs)))
    wider = [(a, broader[a][0]) for a in ids if topic[a] in report and broader[a]]
    broader_sample = random.Random(seed).sample(wider, min(BROADER_SAMPLE, len(wider)))

    titles = {i: a.title for i, a in info.items() if a is not None}

    def published(article_id: str) -> str | None:
        article = info[article_id]
        return article.published.isoformat() if article and article.published else None

    return {"seed": seed,
            "sample": [{"article": a, "topic": topic[a], "published": published(a),
                        "point": c.point_text, "other": c.article,
                        "other_topic": topic.get(c.article), "other_published": published(
                            c.article), "outlet": c.outlet, "leaning": c.leaning,
                        "stance": c.stance, "score": c.score, "passage": c.text}
                       for a, c in sample],
            "broader_sample": [{"article": a, "topic": topic[a], "published": published(a),
                                "title": titles.get(a), "other": c.article,
                                "other_topic": topic.get(c.article),
                                "other_published": published(c.article), "outlet": c.outlet,
                                "leaning": c.leaning, "score": c.score, "other_title": c.title,
                                "point": c.point_text, "passage": c.text, "stance": c.stance,
                                "nearness": c.nearness, "main_claim": c.main_claim}
                               for a, c in broader_sample]}


async def _stored_ids(services: Services, rows: list[dict[str, Any]]) -> list[str]:
    """The stored id of each corpus row (by its address), in the corpus's order."""
    by_url = await article_store.ids_by_url(services.db, [r["url"] for r in rows])
    return [by_url[r["url"]] for r in rows]


async def rematch_all(services: Services, ids: list[str], encoded: bool) -> None:
    """Match every stored article again (after a change of the rule, on a kept store), with
    the encoder's vectors where both sides have them, or with the static vectors alone."""
    for article_id in ids:
        await rematch(services.db, article_id, services.workers, encoded)


async def dev_scores(services: Services, stored: dict[str, str]) -> list[dict[str, Any]]:
    """The hand-judged tune-half pairs (``coverage_dev_pairs.json``) scored both ways: the
    specific-word share, the static and the encoder's cosine, days apart, the judgement."""
    pairs = json.loads(DEV_PAIRS.read_text(encoding="utf-8"))["pairs"]
    out = []
    for pair in pairs:
        a_id, b_id = stored[pair["article"]], stored[pair["other"]]
        got = await pair_features(services, a_id, b_id, pair["point_sentence"],
                                  pair["passage_sentence"])
        out.append({"on_point": pair["on_point"], "days_apart": pair["days_apart"], **got})
    return out


async def pair_features(services: Services, a_id: str, b_id: str, point: int, passage: int
                        ) -> dict[str, float | None]:
    """What ``match_points`` weighs for one point and passage: the core's own candidates
    (``candidates_for``) with the judged pair's other article added when the index did not
    fetch it, the core's weights among them (``weights_among``) and its ``pair_features``."""
    db = services.db
    profile = (await coverage_store.profiles(db, [a_id]))[a_id]
    others = await candidates_for(db, a_id, profile)
    if b_id not in others:
        others.update(await coverage_store.profiles(db, [b_id]))
    weights = weights_among(profile, others)
    packed = await coverage_store.encodings_for(db, [a_id, b_id], ENCODER_ID)
    a, b = (with_encodings(p, unpack_encodings(packed[k][1], packed[k][0]) if k in packed
                           else None) for k, p in ((a_id, profile), (b_id, others[b_id])))
    i, j = a.passage_at(point), b.passage_at(passage)
    if i is None or j is None:
        return {"share": None, "static": None, "encoder": None}
    got = core_pair_features(a, b, weights, i, j)
    return {"shared": round(got.shared, 3), "share": round(got.share, 4),
            "static": round(got.static, 4),
            "encoder": None if got.encoder is None else round(got.encoder, 4)}


async def _fill_copies(services: Services, rows: list[dict[str, Any]], total: int,
                       stored: bool = False) -> list[str]:
    """The corpus stored for real (profiles matched at ingestion; already in the store when
    ``stored``), then copies up to ``total`` (titles varied) whose profiles (their original's)
    join the term index and whose links and matched passages are their original's, so the tables
    are as large as ``total`` real articles would make them (and the broader-topic fallback is
    read for the copies of articles without a passage, as for their originals)."""
    base = rows[:min(len(rows), total)]
    if stored:
        ids = (await _stored_ids(services, rows))[:len(base)]
    else:
        ids = await _stored(services, base)
    # each copy is its stored original as stored (the pipeline may have split or dropped
    # sentences), so the original's point and passage positions hold in the copy
    parsed = []
    for article_id in ids:
        article = await article_store.get(services.db, article_id)
        assert article is not None
        parsed.append(await article_store.as_parsed(services.db, article))
    analyses = [await services.workers.run(analyse, p, services.lexicon) for p in parsed]
    originals = {i: await coverage_store.matches_for(services.db, i) for i in ids}
    linked = {i: await coverage_store.related(services.db, i) for i in ids}
    profiles = await coverage_store.profiles(services.db, ids)
    copies = []
    for n in range(len(base), total):
        k = n % len(base)
        copy = parsed[k].model_copy(update={"title": f"{parsed[k].title} ({n})"})
        article, _ = await article_store.save(services.db, copy, make_slug(copy),
                                              content_hash(copy), NOW, analyses[k])
        old = ids[k]
        profile = replace(profiles[old], passages=tuple(
            replace(p, sentence=article.id + p.sentence[len(old):])
            for p in profiles[old].passages))
        rows_k = [MatchRow(article_id=article.id,
                           point=article.id + m.point[len(old):], other_id=m.other_id,
                           passage=m.passage, score=m.score, stance=m.stance)
                  for m in originals[old]]
        async with services.db.transaction() as conn:
            await coverage_store.save_profile_in(conn, article.id, profile, PROFILE_VERSION, NOW)
            await coverage_store.save_links_in(conn, [LinkRow(
                article.id, r.id, r.score, r.same_event,
                point=None if r.point is None else article.id + r.point[len(old):],
                passage=r.passage, passage_score=r.passage_score, stance=r.stance)
                for r in linked[old]], rows_k)
        copies.append(article.id)
    return ids + copies


async def _latency(db_path: Path, total: int, queries: int, repeats: int = 1,
                   stored: bool = False) -> dict[str, Any]:
    rows = corpus()
    async with open_services(bench_settings(db_path), load_example=False) as services:
        started = time.perf_counter()
        ids = await _fill_copies(services, rows, total, stored)
        fill_s = time.perf_counter() - started
        chosen = random.Random(SEED).sample(ids, min(queries, len(ids)))
        base = Request(channel="bench", user="bench-user", role=Role.ADMIN, command="help")
        runs, cpu_runs, answered, wider = [], [], 0, 0
        for _ in range(repeats):
            times, cpu = [], []
            for article_id in chosen:
                await run_line(services.registry, f"/article use {article_id}", base, services)
                await run_line(services.registry, "/counterpoint", base, services)  # warm
                c0, t0 = time.process_time(), time.perf_counter()
                reply = await run_line(services.registry, "/counterpoint", base, services)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                assert not reply.is_error or reply.kind == "not_found", reply.text
                answered += bool(reply.data.get("coverage"))
                wider += bool(reply.data.get("broader"))
            runs.append(p50_p99(times))
            cpu_runs.append(p50_p99(cpu))
    return {"articles": total, "queries": len(chosen), "fill_s": round(fill_s, 1), **runs[0],
            "runs": runs, "cpu_runs": cpu_runs,
            "with_coverage_shown": round(answered / max(1, repeats * len(chosen)), 3),
            "with_broader_shown": round(wider / max(1, repeats * len(chosen)), 3)}


def quality(keep: Path | None = None, as_is: bool = False, seed: int = SAMPLE_SEED
            ) -> dict[str, Any]:
    """The quality figures; with ``keep``, the store is kept there (or, when it exists, reused:
    only matched again, or with ``as_is`` read as it stands), so a change of the rule is
    measured without storing the corpus again."""
    if keep is not None:
        return asyncio.run(_quality(keep, keep.exists(), as_is, seed))
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(_quality(Path(tmp) / "topics.db", False, seed=seed))


def latency(quick: bool, repeats: int = 1, base: Path | None = None) -> dict[str, Any]:
    """/counterpoint's p50 and p99 (wall and CPU time) over one fill; with ``base`` (a store
    kept by the quality part's ``--keep``) the corpus is copied from it, not stored again."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "many.db"
        stored = base is not None and base.exists()
        if stored and base is not None:
            shutil.copyfile(base, path)
        return asyncio.run(_latency(path, 1_000 if quick else 10_000, 100 if quick else 300,
                                    repeats, stored))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.coverage")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=("quality", "latency"))
    parser.add_argument("--repeat", type=int, default=1, help="latency query rounds (one fill)")
    parser.add_argument("--keep", type=Path, help="quality: keep the filled store here, or "
                        "reuse it if it exists (matched again, not filled)")
    parser.add_argument("--as-is", action="store_true", help="quality, with an existing "
                        "--keep store: report what it holds, not matched again")
    parser.add_argument("--seed", type=int, default=SAMPLE_SEED, help="the hand-judged "
                        "samples' seed")
    args = parser.parse_args()
    out: dict[str, Any] = {}
    if args.only != "latency":
        out["quality"] = quality(args.keep, args.as_is, args.seed)
    if args.only != "quality":
        out["latency"] = latency(args.quick, max(1, args.repeat), args.keep)
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
