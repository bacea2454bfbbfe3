"""Ingestion plus analysis time: parse, analyse and store into a fresh SQLite file."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.workloads import example_article, large_article
from bot.analysis.lexicon import load_lexicon
from bot.ingest.pipeline import ingest_bytes
from store.db import Database

NOW = datetime(2025, 5, 1, tzinfo=UTC)


async def _time_ingest(data: bytes, runs: int) -> list[float]:
    lexicon = load_lexicon()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs + 1):
            db = await Database.open(Path(tmp) / f"b{i}.db")
            try:
                start = time.perf_counter()
                await ingest_bytes(db, data, NOW, name="bench.txt", lexicon=lexicon)
                elapsed = time.perf_counter() - start
            finally:
                await db.close()
            if i:  # the first run warms caches (regexes, model weights)
                times.append(elapsed * 1000)
    return times


def _time_libraries(data: bytes, runs: int) -> list[float]:
    """What a user would assemble instead: sumy's LexRank summary (five sentences) and a
    rank-bm25 index over the same text's sentences."""
    from rank_bm25 import BM25Okapi
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    from bench.peers_quality import OfflineTokenizer
    from bot.analysis.tokens import content_stems

    text = data.decode("utf-8")
    summarizer = LexRankSummarizer(Stemmer("english"))
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        document = PlaintextParser.from_string(text, OfflineTokenizer()).document
        summarizer(document, 5)
        BM25Okapi([content_stems(str(s)) for s in document.sentences])
        if i:
            times.append((time.perf_counter() - start) * 1000)
    return times


def run(quick: bool) -> dict[str, float]:
    example = asyncio.run(_time_ingest(example_article(), 5 if quick else 30))
    big_data = large_article()
    big = asyncio.run(_time_ingest(big_data, 1 if quick else 5))
    return {"example_ms_median": statistics.median(example),
            "large_kb": len(big_data) / 1000, "large_ms_median": statistics.median(big),
            "libraries_example_ms": statistics.median(
                _time_libraries(example_article(), 5 if quick else 30)),
            "libraries_large_ms": statistics.median(_time_libraries(big_data, 1 if quick else 5))}
