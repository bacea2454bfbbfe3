"""What a new question's ``/fact`` wall time is made of, lookup by lookup (issue #19's p99).

The store of ``bench.fact_latency`` (10,000 articles; ``--quick`` 1,000), every question of the
table asked new (its answers and its vector forgotten) ``rounds`` times. Each lookup's timeline,
from probes wrapped around the functions it calls (the benchmark's own wrappers: the code
measured is unchanged): on the loop, the hand-off (``submit``), the work before the vector
(the question's terms and the evidence), the wait for it, and the ranking after it; on the
encoder's thread, its wake-up (submit to the job's first line), the tokenizer and Python around
``session.run``, the run itself, and its CPU; the tokens; the GC's pauses (``gc.callbacks``, on
either thread) inside the lookup. Printed: the median of each part over all lookups and over
the slowest 2 % (the p99's neighbourhood), and each question's median wall with its tokens;
``post_vector_loop_cpu`` is the loop's own CPU from the vector's arrival to the reply's hits.

    python -m bench.fact_tail            # 10,000 articles, 5 rounds
    python -m bench.fact_tail --quick    # 1,000 articles, 3 rounds
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from bench.fact_latency import _fill
from bench.fact_lookup import questions
from parley.core.meaning import encoder as encoder_module
from parley.core.meaning.encoder import forget_questions
from parley.core.meaning.handoff import question_thread
from parley.core.search import lookup as lookup_module
from parley.core.search.lookup import article_index, lookup
from parley.store.db import Database

Marks = dict[str, float]


class _Probe:
    """The current lookup's marks (perf_counter seconds), written from either thread."""

    def __init__(self) -> None:
        self.marks: Marks = {}
        self.gc_ms = 0.0
        self.gc_start: dict[int, float] = {}
        self.active = False

    def mark(self, name: str) -> None:
        if self.active:
            self.marks.setdefault(name, time.perf_counter())

    def on_gc(self, phase: str, info: dict[str, Any]) -> None:
        ident = threading.get_ident()
        if phase == "start":
            self.gc_start[ident] = time.perf_counter()
        elif ident in self.gc_start and self.active:
            self.gc_ms += (time.perf_counter() - self.gc_start.pop(ident)) * 1000


class _Session:
    """The question encoder's session, its ``run`` marked."""

    def __init__(self, inner: Any, probe: _Probe) -> None:
        self.inner, self.probe = inner, probe

    def run(self, outputs: None, feeds: dict[str, Any]) -> list[Any]:
        self.probe.mark("run_start")
        self.probe.marks["tokens"] = float(feeds["input_ids"].shape[1])
        out: list[Any] = self.inner.run(outputs, feeds)
        self.probe.mark("run_end")
        return out


class _Thread:
    """The hand-off thread, its ``submit`` marked and its job's first and last lines too."""

    def __init__(self, inner: Any, probe: _Probe) -> None:
        self.inner, self.probe = inner, probe

    def submit(self, fn: Callable[[str], Any], arg: str) -> Future[Any]:
        probe = self.probe

        def job(text: str) -> Any:
            probe.mark("thread_start")
            c0 = time.thread_time()
            try:
                return fn(text)
            finally:
                probe.marks["thread_cpu_ms"] = (time.thread_time() - c0) * 1000
                probe.mark("thread_end")

        probe.mark("submit")
        future: Future[Any] = self.inner.submit(job, arg)
        probe.mark("submitted")
        return future


def _probe_functions(probe: _Probe) -> None:
    evidence = lookup_module.evidence
    candidates = lookup_module.Evidence.candidates

    def marked_evidence(*args: Any, **kwargs: Any) -> Any:
        found = evidence(*args, **kwargs)
        probe.mark("pre_end")
        return found

    def marked_candidates(self: Any, encoded: Any = None) -> Any:
        probe.mark("post_start")
        probe.marks.setdefault("post_cpu", time.thread_time())
        return candidates(self, encoded)

    ranked = lookup_module._ranked

    async def marked_ranked(*args: Any, **kwargs: Any) -> Any:
        found = await ranked(*args, **kwargs)
        probe.mark("ranked_end")
        return found

    thread = question_thread()
    setattr(lookup_module, "_ranked", marked_ranked)  # noqa: B010 (a probe, for this run)
    setattr(lookup_module, "evidence", marked_evidence)  # noqa: B010
    setattr(lookup_module.Evidence, "candidates", marked_candidates)  # noqa: B010
    setattr(lookup_module, "question_thread", lambda: _Thread(thread, probe))  # noqa: B010
    encoder = encoder_module.fact_encoder()  # /fact's own graph
    encoder.session = _Session(encoder.session, probe)


def _parts(m: Marks, start: float, end: float) -> dict[str, float]:
    def ms(a: float, b: float) -> float:
        return (b - a) * 1000

    return {"wall": ms(start, end), "tokens": m["tokens"],
            "loop_before_submit": ms(start, m["submit"]),
            "submit_handoff": ms(m["submit"], m["submitted"]),
            "loop_pre_vector": ms(m["submitted"], m["pre_end"]),
            "thread_wakeup": ms(m["submit"], m["thread_start"]),
            "thread_to_run": ms(m["thread_start"], m["run_start"]),
            "run": ms(m["run_start"], m["run_end"]),
            "run_to_thread_end": ms(m["run_end"], m["thread_end"]),
            "thread_cpu": m["thread_cpu_ms"],
            "loop_wait": ms(m["pre_end"], m["post_start"]),
            "loop_wakeup": ms(m["thread_end"], m["post_start"]),
            "post_vector": ms(m["post_start"], end),
            "post_ranking": ms(m["post_start"], m["ranked_end"]),
            "post_statuses": ms(m["ranked_end"], end)}


async def _measure(total: int, rounds: int) -> dict[str, Any]:
    probe = _Probe()
    gc.callbacks.append(probe.on_gc)
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "many.db")
        try:
            await _fill(db, total)
            table = questions()
            for q in table:
                await lookup(db, q["article"], q["ask"])
            indexes = {q["article"]: await article_index(db, q["article"]) for q in table}
            _probe_functions(probe)
            rows: list[dict[str, Any]] = []
            for _ in range(rounds):
                for q in table:
                    indexes[q["article"]].forget_answers()
                    forget_questions()
                    probe.marks, probe.gc_ms, probe.active = {}, 0.0, True
                    start = time.perf_counter()
                    await lookup(db, q["article"], q["ask"])
                    end, end_cpu = time.perf_counter(), time.thread_time()
                    probe.active = False
                    row = _parts(probe.marks, start, end)
                    row["post_vector_loop_cpu"] = (end_cpu - probe.marks["post_cpu"]) * 1000
                    rows.append({"ask": q["ask"], "gc": probe.gc_ms, **row})
        finally:
            await db.close()
    return _summary(rows)


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [k for k in rows[0] if k != "ask"]
    ordered = sorted(rows, key=lambda r: r["wall"])
    slow = ordered[-max(1, len(rows) // 50):]

    def medians(some: list[dict[str, Any]]) -> dict[str, float]:
        return {k: round(statistics.median(r[k] for r in some), 3) for k in keys}

    by_question: dict[str, list[float]] = {}
    for r in rows:
        by_question.setdefault(r["ask"], []).append(r["wall"])
    tokens = {r["ask"]: int(r["tokens"]) for r in rows}
    worst = sorted(by_question, key=lambda a: -statistics.median(by_question[a]))[:8]
    return {"lookups": len(rows), "p99_wall_ms": round(ordered[int(0.99 * (len(rows) - 1))]
                                                       ["wall"], 2),
            "median_of_all": medians(rows), "median_of_slowest_2pct": medians(slow),
            "slowest_2pct_questions": sorted({r["ask"] for r in slow}),
            "gc_in_slowest_2pct": sum(r["gc"] > 0 for r in slow),
            "gc_in_all": sum(r["gc"] > 0 for r in rows),
            "slowest_questions_median_wall": {
                a: {"tokens": tokens[a], "wall_ms": round(statistics.median(by_question[a]), 2)}
                for a in worst}}


def run(quick: bool) -> dict[str, Any]:
    return asyncio.run(_measure(1_000 if quick else 10_000, 3 if quick else 5))


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=1))
