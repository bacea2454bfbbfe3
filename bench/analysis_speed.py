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


def run(quick: bool) -> dict[str, float]:
    example = asyncio.run(_time_ingest(example_article(), 5 if quick else 30))
    big_data = large_article()
    big = asyncio.run(_time_ingest(big_data, 1 if quick else 5))
    return {"example_ms_median": statistics.median(example),
            "large_kb": len(big_data) / 1000, "large_ms_median": statistics.median(big)}
