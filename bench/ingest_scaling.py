"""Ingestion time per article as the store grows: the store is filled with small articles to
each size, then distinct real articles are ingested whole (decode, parse, analysis in the
worker pool, store) and, separately, stored with their analysis already made (the write alone,
where a scan of the store would show first). Per-article medians at each size, side by side."""

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


async def _measure(sizes: tuple[int, ...], per_size: int) -> dict[str, Any]:
    lexicon = load_lexicon()
    articles = distinct_articles(per_size * len(sizes) * 2)
    batches = [articles[i * 2 * per_size:(i + 1) * 2 * per_size] for i in range(len(sizes))]
    out: dict[str, Any] = {}
    async with worker_pool() as workers:
        with tempfile.TemporaryDirectory() as tmp:
            db = await Database.open(Path(tmp) / "grow.db")
            try:
                await workers.run(len, "")  # the pool's start is no article's cost
                stored = 0
                for size, batch in zip(sizes, batches, strict=True):
                    fill_started = time.perf_counter()
                    await _fill(db, stored, size)
                    fill_s = time.perf_counter() - fill_started
                    stored = size
                    whole = []
                    for name, data in batch[:per_size]:
                        t0 = time.perf_counter()
                        await ingest_bytes(db, workers, data, NOW, name=name, lexicon=lexicon)
                        whole.append((time.perf_counter() - t0) * 1000)
                    ready = []
                    for name, data in batch[per_size:]:
                        parsed = prepare(data, None, name, None)
                        ready.append((parsed, analyse(parsed, lexicon)))
                    writes = []
                    for parsed, analysis in ready:
                        t0 = time.perf_counter()
                        await article_store.save(db, parsed, make_slug(parsed),
                                                 content_hash(parsed), NOW, analysis)
                        writes.append((time.perf_counter() - t0) * 1000)
                    stored += len(batch)
                    out[str(size)] = {"ingest_ms": round(statistics.median(whole), 1),
                                      "store_write_ms": round(statistics.median(writes), 2),
                                      "fill_s": round(fill_s, 1)}
            finally:
                await db.close()
    ingest = [v["ingest_ms"] for v in out.values()]
    write = [v["store_write_ms"] for v in out.values()]
    return {"sizes": out, "ingest_spread": round(max(ingest) / min(ingest), 2),
            "write_spread": round(max(write) / min(write), 2)}


def run(quick: bool) -> dict[str, Any]:
    sizes = (1_000, 3_000, 10_000) if quick else (1_000, 10_000, 100_000)
    return asyncio.run(_measure(sizes, 10 if quick else 20))


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run("--quick" in sys.argv), indent=1))
