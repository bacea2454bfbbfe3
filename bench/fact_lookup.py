"""Fact lookup quality on the question table: top-1 accuracy and mean reciprocal rank."""

from __future__ import annotations

import asyncio
import sys
import tempfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from bench.workloads import FIXTURES, REPO, bench_settings
from parley.cli.app import open_services
from parley.core.ingest.encodings import encode_stored
from parley.core.ingest.pipeline import ingest_path
from parley.core.meaning import encoder as encoder_module
from parley.core.meaning.encoder import forget_questions
from parley.core.search.lookup import lookup

QUESTIONS = REPO / "tests" / "fixtures" / "questions.toml"
NOW = datetime(2025, 5, 1, tzinfo=UTC)


def questions() -> list[dict[str, str]]:
    return list(tomllib.loads(QUESTIONS.read_text(encoding="utf-8"))["question"])


async def evaluate(db_path: Path, encoded: bool = True) -> dict[str, object]:
    """With ``encoded``, the articles' sentences are encoded first (as ``parley run`` does
    after ingestion), so /fact takes the encoder's path; without, the static model's."""
    settings = bench_settings(db_path)
    async with open_services(settings) as services:
        for path in sorted(FIXTURES.iterdir()):
            await ingest_path(services.db, services.workers, path, NOW, lexicon=services.lexicon)
        if encoded:
            await encode_stored(services.db, services.workers)
        ranks: list[int | None] = []
        misses = []
        asked = 0
        for q in questions():
            forget_questions()  # (which also zeroes the LRU's counts)
            _, hits = await lookup(services.db, q["article"], q["ask"])
            asked += encoder_module._asked_fact.cache_info().misses  # 1 if the encoder was asked
            rank = next((i + 1 for i, h in enumerate(hits) if q["expect"] in h.text), None)
            ranks.append(rank)
            if rank != 1:
                misses.append({"ask": q["ask"], "expect": q["expect"], "rank": rank,
                               "got": hits[0].text if hits else None})
    n = len(ranks)
    return {"questions": n, "top1": sum(r == 1 for r in ranks) / n,
            "mrr": sum(1 / r for r in ranks if r) / n, "encoded": asked / n, "misses": misses}


def run(encoded: bool = True) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(evaluate(Path(tmp) / "facts.db", encoded))


if __name__ == "__main__":  # python -m bench.fact_lookup [--static]
    result = run(encoded="--static" not in sys.argv)
    print(f"top-1 {result['top1']:.1%}  MRR {result['mrr']:.3f}  ({result['questions']} questions,"
          f" {result['encoded']:.0%} of them encoded)")
    for miss in result["misses"]:  # type: ignore[attr-defined]
        print(" MISS", miss)
