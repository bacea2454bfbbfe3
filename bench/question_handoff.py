"""How a new question's encoding can overlap the event loop's work (issue #19), measured.

1. ``start``: how long after the loop hands a job to a thread that thread really starts, when
   the loop goes straight on with 1.5 ms of Python (the question's terms take about that):
   ``asyncio.to_thread`` against the warm hand-off thread ``/fact`` uses
   (``parley/core/meaning/handoff.py``).
2. ``sessions``: the integer graph's CPU and wall for one question under onnxruntime's session
   options (one intra-op thread as shipped; the memory arena on; two intra-op threads, spinning
   and not), each in a block of its own over the question table (process CPU, every thread),
   and whether each gives the same vector bit for bit.

    python -m bench.question_handoff
"""

from __future__ import annotations

import asyncio
import statistics
import time
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


if __name__ == "__main__":
    import json

    print(json.dumps({"start": asyncio.run(start()), "sessions": sessions()}, indent=1))
