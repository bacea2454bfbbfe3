"""Ingestion time per article as the store grows: a store is filled with small articles to
each size (in bulk), then distinct real articles are ingested whole (decode, parse, analysis in
the worker pool, store) and, separately, stored with their analysis already made (the write
alone, where a scan of the store would show first), in rounds alternating between the stores.
Per-article medians at each size, side by side, and each round's spread."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.analysis_speed import distinct_articles
from bench.workloads import worker_pool
from parley.core.analysis.article import analyse
from parley.core.analysis.lexicon import load_lexicon
from parley.core.ingest.identity import content_hash, make_slug
from parley.core.ingest.pipeline import ingest_bytes, prepare
from parley.core.models import ParsedArticle, ParsedSection, ParsedSentence
from parley.store import articles as article_store
from parley.store.db import Database

NOW = datetime(2025, 5, 1, tzinfo=UTC)
FILLER = ParsedArticle(title="Filler", sections=[ParsedSection(sentences=[
    ParsedSentence(paragraph=0, text="The council met on Monday and approved 3 new budgets."),
    ParsedSentence(paragraph=0, text="Officials said the plan would cost $4 million a year."),
])])


FILL_BATCH = 1_000  # filler articles per transaction


def _tag(n: int) -> str:
    """``n`` in letters (``ba``, ``bb``, …): a title word of its own, so each filler article
    has a slug of its own as real articles do (digits are left out of slugs, and 100,000
    articles sharing one slug would measure only that slug's ``-N`` range)."""
    letters = ""
    n += 26  # at least two letters: one-letter words are left out too
    while n:
        n, r = divmod(n, 26)
        letters = chr(ord("a") + r) + letters
    return letters


async def _fill(db: Database, start: int, end: int) -> None:
    """Store filler articles ``start`` … ``end - 1`` through the store's bulk write, a batch
    per transaction with each table written in one statement (one transaction and some twenty
    statements an article made 100,000 take most of an hour here)."""
    analysis = analyse(FILLER, load_lexicon())
    for first in range(start, end, FILL_BATCH):
        batch = []
        for n in range(first, min(first + FILL_BATCH, end)):
            copy = FILLER.model_copy(update={"title": f"Filler report {_tag(n)}"})
            batch.append((copy, make_slug(copy), content_hash(copy), NOW, analysis))
        async with db.transaction() as conn:
            added = await article_store.save_many_in(conn, batch)
        for article_id in added:
            db.memos.changed(article_id)


async def _measure(sizes: tuple[int, ...], per_size: int, rounds: int = 4) -> dict[str, Any]:
    """One store filled to each size, then alternating rounds: each round ingests a few
    articles whole into every store in turn (and stores as many prepared ones), so a busy
    machine slows every size alike. Medians per size over all rounds, and each round's
    spread."""
    lexicon = load_lexicon()
    articles = distinct_articles(per_size * len(sizes) * 2)
    batches = [articles[i * 2 * per_size:(i + 1) * 2 * per_size] for i in range(len(sizes))]
    rounds = max(1, min(rounds, per_size))
    whole: dict[int, list[list[float]]] = {size: [] for size in sizes}
    writes: dict[int, list[list[float]]] = {size: [] for size in sizes}
    fills: dict[int, float] = {}
    async with worker_pool() as workers:
        with tempfile.TemporaryDirectory() as tmp:
            dbs = {size: await Database.open(Path(tmp) / f"grow-{size}.db") for size in sizes}
            try:
                await workers.run(len, "")  # the pool's start is no article's cost
                for size in sizes:
                    fill_started = time.perf_counter()
                    await _fill(dbs[size], 0, size)
                    fills[size] = time.perf_counter() - fill_started
                ready = {size: [(p, analyse(p, lexicon)) for p in (
                    prepare(data, None, name, None) for name, data in batch[per_size:])]
                    for size, batch in zip(sizes, batches, strict=True)}
                for r in range(rounds):
                    order = sizes if r % 2 == 0 else tuple(reversed(sizes))
                    for size in order:
                        batch = batches[sizes.index(size)]
                        chunk = range(r * per_size // rounds, (r + 1) * per_size // rounds)
                        took = []
                        for i in chunk:
                            name, data = batch[i]
                            t0 = time.perf_counter()
                            await ingest_bytes(dbs[size], workers, data, NOW, name=name,
                                               lexicon=lexicon)
                            took.append((time.perf_counter() - t0) * 1000)
                        whole[size].append(took)
                        wrote = []
                        for i in chunk:
                            parsed, analysis = ready[size][i]
                            t0 = time.perf_counter()
                            await article_store.save(dbs[size], parsed, make_slug(parsed),
                                                     content_hash(parsed), NOW, analysis)
                            wrote.append((time.perf_counter() - t0) * 1000)
                        writes[size].append(wrote)
            finally:
                for db in dbs.values():
                    await db.close()
    out = {str(size): {"ingest_ms": round(statistics.median(
                           [t for chunk in whole[size] for t in chunk]), 1),
                       "store_write_ms": round(statistics.median(
                           [t for chunk in writes[size] for t in chunk]), 2),
                       "fill_s": round(fills[size], 1)} for size in sizes}
    ingest = [v["ingest_ms"] for v in out.values()]
    write = [v["store_write_ms"] for v in out.values()]

    def spreads(per: dict[int, list[list[float]]]) -> list[float]:
        medians = [[statistics.median(per[size][r]) for size in sizes] for r in range(rounds)]
        return [round(max(m) / min(m), 2) for m in medians]

    return {"sizes": out, "ingest_spread": round(max(ingest) / min(ingest), 2),
            "write_spread": round(max(write) / min(write), 2),
            "ingest_spread_per_round": spreads(whole),
            "write_spread_per_round": spreads(writes)}


def run(quick: bool) -> dict[str, Any]:
    sizes = (1_000, 3_000, 10_000) if quick else (1_000, 10_000, 100_000)
    return asyncio.run(_measure(sizes, 10 if quick else 20))


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run("--quick" in sys.argv), indent=1))
