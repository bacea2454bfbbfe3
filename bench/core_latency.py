"""Core latency: /summary, /fact and /counterpoint through the registry's dispatch, with 1,
1,000 and 10,000 articles in the store (p50 and p99, warm), beside the floor of the same path
(``/help fact``: parsing, the role check and the activity note, no article work)."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bench.fact_latency import _fill
from bench.fact_lookup import questions
from bench.timing import p50_p99
from bench.workloads import bench_settings
from parley.cli.app import open_services
from parley.core.models import Request
from parley.core.registry import run_line

ROUNDS = 20


async def _measure(total: int, rounds: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(Path(tmp) / "core.db")
        async with open_services(settings, load_example=True) as services:
            if total > 1:
                await _fill(services.db, total)
            base = Request(command="help", channel="bench")
            asks = [q["ask"] for q in questions() if q["article"] == "peru-illegal-immigration"]
            lines = {"/help": ["/help fact"],  # the floor: parse, role check, activity note
                     "/summary": ["/summary"], "/fact": [f"/fact {a}" for a in asks],
                     "/counterpoint": ["/counterpoint", "/counterpoint border enforcement",
                                       "/counterpoint trade figures"]}
            out = {}
            for name, variants in lines.items():
                for line in variants:  # warm caches, as a running bot would be
                    await run_line(services.registry, line, base, services)
                times = []
                for i in range(rounds * len(variants)):
                    t0 = time.perf_counter()
                    await run_line(services.registry, variants[i % len(variants)], base, services)
                    times.append((time.perf_counter() - t0) * 1000)
                out[name] = p50_p99(times)
    return out


def run(quick: bool) -> dict[int, dict[str, dict[str, float]]]:
    sizes = (1, 1_000) if quick else (1, 1_000, 10_000)
    return {n: asyncio.run(_measure(n, 5 if quick else ROUNDS)) for n in sizes}


if __name__ == "__main__":
    print(run(quick=True))
