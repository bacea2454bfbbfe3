"""Latency figures every benchmark reports the same way: p50 and p99 of a list of timings."""

from __future__ import annotations

import statistics


def p50_p99(times_ms: list[float]) -> dict[str, float]:
    """The median and the 99th percentile (nearest rank, lower), in ms, rounded to 0.01."""
    ordered = sorted(times_ms)
    return {"p50_ms": round(statistics.median(ordered), 2),
            "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 2)}
