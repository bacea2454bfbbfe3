"""Importing the 10,373 CLEF 2020 Task 2 verified claims as ClaimReview, as ``parley factcheck
import`` does: storing them (``import_reviews``: searchable by words from then on) and making
their vectors for the search by meaning (``knowledge.fill``: the integer graph batched, shortest
first, one thread a core). Wall and CPU time of each step (CPU counts every thread of this
process), and the load average, since the machine may be shared.

``python -m bench.claim_import [--quick] [--threads N] [--compare]``: ``--quick`` imports the
first 2,000 claims only (the embedding scales linearly with the claims); ``--compare`` then
encodes the same claims on one thread by the integer graph (``encode_fast``, what ``fill``
uses) and by the exact graph (``encode``, what it used before), for their CPU ratio in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.claim_matching import as_claimreview, verified_claims

QUICK = 2000


def _compare(texts: list[str]) -> dict[str, Any]:
    from parley.core.meaning import encode, encode_fast
    from parley.core.meaning.encoder import encoder

    encoder()  # loaded before it is timed, like the integer graph
    out: dict[str, Any] = {}
    for name, encoding in (("integer", encode_fast), ("exact", encode)):
        cpu = time.process_time()
        encoding(texts)
        out[f"{name}_cpu_s"] = round(time.process_time() - cpu, 2)
    out["integer_over_exact"] = round(out["integer_cpu_s"] / out["exact_cpu_s"], 3)
    return out


async def _run(count: int | None, threads: int | None, compare: bool) -> dict[str, Any]:
    from parley.core.factcheck import knowledge
    from parley.core.factcheck.claimreview import parse_document
    from parley.core.factcheck.link import import_reviews
    from parley.core.meaning.encoder import question_encoder
    from parley.core.services import utc_now
    from parley.core.workers import machine_cores
    from parley.store.db import Database

    claims = verified_claims()[:count]
    await asyncio.to_thread(question_encoder)  # loaded once a process; not the import's
    out: dict[str, Any] = {"claims": len(claims), "load_before": os.getloadavg()[0],
                           "threads": threads or machine_cores()}
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "import.db")
        try:
            document = json.loads(json.dumps([as_claimreview(c, t) for _, c, t in claims]))
            wall, cpu = time.perf_counter(), time.process_time()
            report = await import_reviews(db, parse_document(document), "import", utc_now())
            out["store"] = {"stored": report.unlinked,
                            "s": round(time.perf_counter() - wall, 2),
                            "cpu_s": round(time.process_time() - cpu, 2)}
            wall, cpu = time.perf_counter(), time.process_time()
            embedded = await knowledge.fill(db, threads=threads)
            seconds = time.perf_counter() - wall
            out["vectors"] = {"embedded": embedded, "s": round(seconds, 2),
                              "cpu_s": round(time.process_time() - cpu, 2),
                              "claims_per_s": round(embedded / seconds, 1) if seconds else None}
            if compare:
                texts = [knowledge.claim_text(c, t) for _, c, t in claims]
                out["one_thread"] = await asyncio.to_thread(_compare, texts)
        finally:
            await db.close()
    out["load_after"] = os.getloadavg()[0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.claim_import")
    parser.add_argument("--quick", action="store_true", help=f"the first {QUICK} claims only")
    parser.add_argument("--threads", type=int, default=None,
                        help="embedding threads (default: one a core)")
    parser.add_argument("--compare", action="store_true",
                        help="then the CPU of the integer and the exact graph, one thread")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(_run(QUICK if args.quick else None, args.threads,
                                      args.compare)), indent=1))


if __name__ == "__main__":
    main()
