"""What `/fact`'s knowledge-base query costs the event loop as the knowledge base grows, run on
the loop (``Database.read``) or in the store's thread (``Database.fetchall``): the numbers
behind ``parley.store.search.LOOP_KNOWLEDGE``.

``python -m bench.knowledge_query [--sizes 10,1000,10378] [--rounds 3]`` stores the example
article and the first N verified claims of CLEF 2020 Task 2
(``../shared/eval/claim-matching/clef2020-task2/verified_claims.docs.tsv``) as knowledge-base
fact checks in a fresh SQLite file, then asks the 38 questions of
``tests/fixtures/questions.toml`` once each, both ways, the remembered results cleared before
each round: the loop thread's CPU per question (``time.thread_time``) and wall p50 / max.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import statistics
import tempfile
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.workloads import bench_settings
from parley.cli.app import open_services
from parley.core.factcheck.claimreview import Review
from parley.core.search.lookup import article_index, question_query
from parley.store import factchecks
from parley.store import search as store_search
from parley.store.db import Database

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = ROOT.parent / "shared/eval/claim-matching/clef2020-task2/verified_claims.docs.tsv"
QUESTIONS = ROOT / "tests/fixtures/questions.toml"


def claims(n: int) -> list[tuple[str, str]]:
    """The first ``n`` verified claims: (claim, title)."""
    with CLAIMS.open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    return [(r[1][:400], r[2][:200] if len(r) > 2 else "") for r in rows[:n]]


async def _one_way(db: Database, phrases: list[list[tuple[str, ...]]], on_loop: bool
                   ) -> dict[str, float]:
    """Ask every question's knowledge-base query once, the memo cleared first."""
    db.fresh._values.clear()
    cap = store_search.LOOP_KNOWLEDGE
    store_search.LOOP_KNOWLEDGE = 10**9 if on_loop else -1
    try:
        walls = []
        cpu = time.thread_time()
        for asked in phrases:
            started = time.perf_counter()
            await store_search.knowledge_candidates(db, asked)
            walls.append((time.perf_counter() - started) * 1000)
        cpu = (time.thread_time() - cpu) * 1000 / len(phrases)
    finally:
        store_search.LOOP_KNOWLEDGE = cap
    return {"loop_cpu_ms": round(cpu, 3), "wall_p50_ms": round(statistics.median(walls), 3),
            "wall_max_ms": round(max(walls), 3)}


async def measure(size: int, rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        async with open_services(bench_settings(Path(tmp) / "kb.db")) as services:
            db = services.db
            at = datetime(2026, 1, 5, tzinfo=UTC)
            async with db.transaction() as conn:
                for claim, title in claims(size):
                    await factchecks.add_in(conn, None, Review(
                        claim_reviewed=claim, title=title, status="misleading"), "import", at)
            article = (await db.read("SELECT id FROM articles LIMIT 1"))[0]["id"]
            index = await article_index(db, article)
            asked = [q["ask"] for q in tomllib.loads(QUESTIONS.read_text())["question"]]
            phrases = [question_query(index, q).phrases() for q in asked]
            await _one_way(db, phrases, True)  # warm the pages
            out: dict[str, Any] = {"knowledge base": await store_search.knowledge_size(db)}
            for name, on_loop in (("on the loop", True), ("in the store's thread", False)):
                runs = [await _one_way(db, phrases, on_loop) for _ in range(rounds)]
                out[name] = {k: [r[k] for r in runs] for k in runs[0]}
            return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,1000,10378")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results = {size: asyncio.run(measure(int(size), args.rounds))
               for size in args.sizes.split(",")}
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
