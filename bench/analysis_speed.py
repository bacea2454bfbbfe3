"""Ingestion plus analysis: the time for one article into a fresh SQLite file, and the sustained
rate of many distinct articles, one after another, into one store."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.workloads import FIXTURES, example_article, large_article, worker_pool
from parley.core.analysis.lexicon import load_lexicon
from parley.core.ingest.pipeline import decode, detect_format, ingest_bytes, parse
from parley.core.models import ParsedArticle
from parley.store import articles as article_store
from parley.store.db import Database

NOW = datetime(2025, 5, 1, tzinfo=UTC)


async def _time_ingest(data: bytes, runs: int) -> list[float]:
    lexicon = load_lexicon()
    times = []
    async with worker_pool() as workers:
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(runs + 1):
                db = await Database.open(Path(tmp) / f"b{i}.db")
                try:
                    start = time.perf_counter()
                    await ingest_bytes(db, workers, data, NOW, name="bench.txt", lexicon=lexicon)
                    elapsed = time.perf_counter() - start
                finally:
                    await db.close()
                if i:  # the first run warms caches (and starts the worker pool)
                    times.append(elapsed * 1000)
    return times


def _parse(name: str, data: bytes) -> ParsedArticle:
    text = decode(data)
    return parse(text, detect_format(text, name))


def distinct_articles(count: int) -> list[tuple[str, bytes]]:
    """``count`` different articles: the example and the test articles in turn (plain text,
    Markdown, HTML), each retitled with its number wherever its title appears."""
    bases = [("example.txt", example_article()),
             *((p.name, p.read_bytes()) for p in sorted(FIXTURES.iterdir()))]
    titles = [_parse(name, data).title.encode() for name, data in bases]
    out = []
    for n in range(count):
        (name, data), title = bases[n % len(bases)], titles[n % len(bases)]
        out.append((name, data.replace(title, title + f" ({n})".encode())))
    return out


async def _sustained(articles: list[tuple[str, bytes]]) -> float:
    """Articles per second, ingesting distinct articles in turn into one store."""
    lexicon = load_lexicon()
    async with worker_pool() as workers:
        with tempfile.TemporaryDirectory() as tmp:
            db = await Database.open(Path(tmp) / "many.db")
            try:
                await workers.run(len, "")  # the pool's start is not an article's cost
                start = time.perf_counter()
                for name, data in articles:
                    await ingest_bytes(db, workers, data, NOW, name=name, lexicon=lexicon)
                elapsed = time.perf_counter() - start
                stored = await article_store.count(db)
            finally:
                await db.close()
    if stored != len(articles):  # a repeat is not analysed again, which would flatter the rate
        raise RuntimeError(f"{len(articles)} articles ingested but {stored} stored")
    return len(articles) / elapsed


def _libraries_once(text: str) -> float:
    """What a user would assemble instead, in ms: sumy's LexRank summary (five sentences) and a
    rank-bm25 index over the same text's sentences."""
    from rank_bm25 import BM25Okapi
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    from bench.peers_quality import OfflineTokenizer
    from parley.core.analysis.tokens import content_stems

    start = time.perf_counter()
    document = PlaintextParser.from_string(text, OfflineTokenizer()).document
    LexRankSummarizer(Stemmer("english"))(document, 5)
    BM25Okapi([content_stems(str(s)) for s in document.sentences])
    return (time.perf_counter() - start) * 1000


def _time_libraries(data: bytes, runs: int) -> list[float]:
    text = data.decode("utf-8")
    _libraries_once(text)  # warm-up
    return [_libraries_once(text) for _ in range(runs)]


def _libraries_rate(articles: list[tuple[str, bytes]]) -> float:
    """Articles per second for the libraries, given each article's text already extracted."""
    texts = []
    for name, data in articles:
        parsed = _parse(name, data)
        texts.append("\n\n".join(s.text for section in parsed.sections
                                  for s in section.sentences))
    return len(texts) / (sum(_libraries_once(t) for t in texts) / 1000)


def run(quick: bool) -> dict[str, float]:
    articles = distinct_articles(40 if quick else 400)
    example = asyncio.run(_time_ingest(example_article(), 5 if quick else 30))
    big_data = large_article()
    big = asyncio.run(_time_ingest(big_data, 1 if quick else 5))
    return {"example_ms_median": statistics.median(example),
            "large_kb": len(big_data) / 1000, "large_ms_median": statistics.median(big),
            "libraries_example_ms": statistics.median(
                _time_libraries(example_article(), 5 if quick else 30)),
            "libraries_large_ms": statistics.median(_time_libraries(big_data, 1 if quick else 5)),
            "sustained_articles": len(articles),
            "sustained_per_second": asyncio.run(_sustained(articles)),
            "libraries_per_second": _libraries_rate(articles)}
