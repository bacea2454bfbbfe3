"""How a new question's encoding can overlap the event loop's work (issue #19), measured.

1. ``start``: how long after the loop hands a job to a thread that thread really starts, when
   the loop goes straight on with 1.5 ms of Python (the question's terms take about that):
   ``asyncio.to_thread`` against the warm hand-off thread ``/fact`` uses
   (``parley/core/meaning/handoff.py``).
2. ``sessions``: the integer graph's CPU and wall for one question under onnxruntime's session
   options (one intra-op thread as shipped; the memory arena on; two intra-op threads, spinning
   and not), each in a block of its own over the question table (process CPU, every thread),
   and whether each gives the same vector bit for bit.
3. ``per_call``: the one-thread ways to run the same graph, interleaved question by question
   (so a loaded machine slows each alike): as shipped (``Encoder.pooled``: ``session.run`` and
   numpy's pooling), the run alone, the run with an ``IOBinding`` (the inputs bound, the output
   into a buffer made beforehand), and sessions with denormals flushed to zero, with
   onnxruntime's graph optimisation at "basic" and "extended" instead of "all", and with the
   memory arena on; each way's thread CPU (p50/p99) and whether its vector (the run's output,
   pooled the shipped way) is the same bit for bit; the run's CPU by the question's tokens; and
   the pooling's, right after a run (its caches swept by the graph's weights) and again.

4. ``graphs``: the two question graphs interleaved question by question: the whole integer
   graph (``encode_question``: ``/check``'s, and ``/fact``'s before the fifteenth session) and
   ``/fact``'s own (``encode_fact_question``: 5 layers and the shipped map), each one's thread
   CPU for the whole encoding (run, pooling, map) and by the question's tokens.

    python -m bench.question_handoff
    python -m bench.question_handoff --per-call    # only the third
    python -m bench.question_handoff --graphs      # only the fourth
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from bench.fact_lookup import questions
from bench.timing import p50_p99
from parley.core.meaning import encoder as encoder_module
from parley.core.meaning.handoff import HandOff

BUSY_MS = 1.5


def _stamp(_: object) -> float:
    return time.perf_counter()


def _busy(ms: float) -> None:
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass


async def start(times: int = 200) -> dict[str, dict[str, float]]:
    """Milliseconds from handing the job over to the thread's first line (p50/p99), each way."""
    thread = HandOff("bench-handoff")
    out = {}
    for name in ("to_thread", "handoff"):
        delays = []
        for _ in range(times):
            t0 = time.perf_counter()
            future: asyncio.Future[float]
            if name == "to_thread":
                future = asyncio.ensure_future(asyncio.to_thread(_stamp, None))
                await asyncio.sleep(0)  # the task runs, and submits the job
            else:
                future = asyncio.wrap_future(thread.submit(_stamp, None))
            _busy(BUSY_MS)
            delays.append((await future - t0) * 1000)
        out[name] = p50_p99(delays)
    return out


def sessions(rounds: int = 8) -> dict[str, dict[str, Any]]:
    """CPU and wall ms of one question's encoding under each set of session options."""
    import onnxruntime

    data = encoder_module._rewritten(exact=False)
    tokenizer = encoder_module._tokenizer()

    def made(intra: int = 1, arena: bool = False, spinning: str | None = None
             ) -> encoder_module.Encoder:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = intra
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.enable_cpu_mem_arena = arena
        if spinning is not None:
            options.add_session_config_entry("session.intra_op.allow_spinning", spinning)
        session = onnxruntime.InferenceSession(data, options, providers=["CPUExecutionProvider"])
        return encoder_module.Encoder(tokenizer, session)

    # Each way in a block of its own, its session made for it and dropped after: a session's
    # spinning pool threads would otherwise burn CPU while the others are measured.
    ways: dict[str, dict[str, Any]] = {
        "one intra-op thread (shipped)": {}, "memory arena on": {"arena": True},
        "two intra-op threads, spinning": {"intra": 2},
        "two intra-op threads, no spinning": {"intra": 2, "spinning": "0"}}
    asked = [q["ask"] for q in questions()]
    shipped = made()
    reference = {q: shipped.encode([q])[0] for q in asked}
    del shipped
    cpu: dict[str, list[float]] = {name: [] for name in ways}
    wall: dict[str, list[float]] = {name: [] for name in ways}
    same = dict.fromkeys(ways, 0)
    for name, chosen in ways.items():
        way = made(**chosen)
        way.encode([asked[0]])  # onnxruntime's first run is not measured
        for _ in range(rounds):
            for q in asked:
                c0, t0 = time.process_time(), time.perf_counter()
                vector = way.encode([q])[0]
                wall[name].append((time.perf_counter() - t0) * 1000)
                cpu[name].append((time.process_time() - c0) * 1000)
                same[name] += bool(np.array_equal(vector, reference[q]))
        del way
    return {name: {"cpu": p50_p99(cpu[name]), "wall": p50_p99(wall[name]),
                   "cpu_mean_ms": round(statistics.fmean(cpu[name]), 2),
                   "same_vector_share": round(same[name] / (rounds * len(asked)), 3)}
            for name in ways}


def per_call(rounds: int = 10) -> dict[str, dict[str, Any]]:
    """Thread CPU ms of one question's run each way, interleaved; the same vector or not."""
    import onnxruntime

    data = encoder_module._rewritten(exact=False)
    shipped = encoder_module.question_encoder()
    asked = [q["ask"] for q in questions()]
    feeds = {q: shipped.feeds([q]) for q in asked}
    reference = {q: shipped.pooled(feeds[q]) for q in asked}
    level = onnxruntime.GraphOptimizationLevel

    def session(arena: bool = False, denormal: bool = False,
                optimisation: Any = level.ORT_ENABLE_ALL) -> Any:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.enable_cpu_mem_arena = arena
        options.graph_optimization_level = optimisation
        if denormal:
            options.add_session_config_entry("session.set_denormal_as_zero", "1")
        return onnxruntime.InferenceSession(data, options, providers=["CPUExecutionProvider"])

    def pooled(hidden: Any, q: str) -> Any:
        encoder = encoder_module.Encoder(shipped.tokenizer, _Fixed(hidden))
        return encoder.pooled(feeds[q])

    def bound(chosen: Any) -> Callable[[str], Any]:
        def run(q: str) -> Any:
            binding = chosen.io_binding()
            for name, value in feeds[q].items():
                binding.bind_cpu_input(name, value)
            out = np.empty((1, value.shape[1], encoder_module.ENCODER_DIMS), dtype=np.float32)
            binding.bind_output("last_hidden_state", "cpu", 0, np.float32, out.shape,
                                out.ctypes.data)
            chosen.run_with_iobinding(binding)
            return pooled(out, q)
        return run

    def plain(chosen: Any) -> Callable[[str], Any]:
        return lambda q: pooled(chosen.run(None, feeds[q])[0], q)

    ways: dict[str, Callable[[str], Any]] = {
        "shipped (run and pooling)": lambda q: shipped.pooled(feeds[q]),
        "run alone": lambda q: shipped.session.run(None, feeds[q]),
        "IOBinding": bound(shipped.session),
        "denormals as zero": plain(session(denormal=True)),
        "optimisation basic": plain(session(optimisation=level.ORT_ENABLE_BASIC)),
        "optimisation extended": plain(session(optimisation=level.ORT_ENABLE_EXTENDED)),
        "memory arena on": plain(session(arena=True))}
    cpu: dict[str, list[float]] = {name: [] for name in ways}
    same = dict.fromkeys(ways, 0)
    by_tokens: dict[int, list[float]] = {}
    pooling: dict[str, list[float]] = {"right after the run": [], "again": []}
    for way in ways.values():
        way(asked[0])  # onnxruntime's first run is not measured
    for _ in range(rounds):
        for q in asked:
            for name, way in ways.items():
                c0 = time.thread_time()
                vector = way(q)
                cpu[name].append((time.thread_time() - c0) * 1000)
                same[name] += bool(np.array_equal(vector, reference[q]))
                if name == "run alone":
                    by_tokens.setdefault(int(feeds[q]["input_ids"].shape[1]), []).append(
                        cpu[name][-1])
                    for when in pooling:  # the same numpy steps, caches swept by the run or not
                        c0 = time.thread_time()
                        shipped.pool(vector[0], feeds[q])
                        pooling[when].append((time.thread_time() - c0) * 1000)
    out: dict[str, dict[str, Any]] = {
        name: {"thread_cpu": p50_p99(cpu[name]),
               "cpu_mean_ms": round(statistics.fmean(cpu[name]), 3),
               "same_vector_share": round(same[name] / (rounds * len(asked)), 3)}
        for name in ways}
    out["run alone, p50 by tokens"] = {str(t): p50_p99(v)["p50_ms"]
                                       for t, v in sorted(by_tokens.items())}
    out["pooling (one question)"] = {when: p50_p99(v) for when, v in pooling.items()}
    return out


def graphs(rounds: int = 10) -> dict[str, Any]:
    """Thread CPU ms of one question's encoding by each question graph, interleaved."""
    small = encoder_module.fact_encoder()
    ways: dict[str, encoder_module.Encoder] = {
        "whole integer graph (6 layers, /check's)": encoder_module.question_encoder(),
        f"/fact's own: 5 layers and the map ({small.id})": small}
    asked = [q["ask"] for q in questions()]
    cpu: dict[str, list[float]] = {name: [] for name in ways}
    by_tokens: dict[str, dict[int, list[float]]] = {name: {} for name in ways}
    for way in ways.values():
        way.encode([asked[0]])  # onnxruntime's first run is not measured
    for _ in range(rounds):
        for q in asked:
            for name, way in ways.items():
                feeds = way.feeds([q])
                c0 = time.thread_time()
                way.pooled(feeds)
                spent = (time.thread_time() - c0) * 1000
                cpu[name].append(spent)
                by_tokens[name].setdefault(int(feeds["input_ids"].shape[1]), []).append(spent)
    out: dict[str, Any] = {
        name: {"thread_cpu": p50_p99(cpu[name]),
               "cpu_mean_ms": round(statistics.fmean(cpu[name]), 3),
               "p50 by tokens": {str(t): p50_p99(v)["p50_ms"]
                                 for t, v in sorted(by_tokens[name].items())}}
        for name in ways}
    first, second = (statistics.fmean(cpu[name]) for name in ways)
    out["ratio of the means (truncated / shipped)"] = round(second / first, 3)
    return out


class _Fixed:
    """A session whose run returns an output already made (to pool it the shipped way)."""

    def __init__(self, hidden: Any) -> None:
        self.hidden = hidden

    def run(self, outputs: None, feeds: dict[str, Any]) -> list[Any]:
        return [self.hidden]


if __name__ == "__main__":
    import json
    import sys

    if "--graphs" in sys.argv:
        print(json.dumps({"graphs": graphs()}, indent=1))
    elif "--per-call" in sys.argv:
        print(json.dumps({"per_call": per_call()}, indent=1))
    else:
        print(json.dumps({"start": asyncio.run(start()), "sessions": sessions(),
                          "per_call": per_call()}, indent=1))
