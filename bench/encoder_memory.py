"""The sentence encoder's memory and one question's CPU, each way of loading it, in fresh processes.

``packaged`` is the package's graph as onnxruntime loads it (every weight folded to float32: how
Parley loaded it before), ``exact`` the graph with its embedding tables kept int8 (the same
vectors; ``encode``), ``integer`` the integer-matmul graph (``encode_question``), ``both`` what a
running Parley holds once ``/fact`` and ``/check`` have both run. RSS is after one encoding;
``base`` is the process with numpy, tokenizers and onnxruntime imported and nothing loaded.

    python -m bench.encoder_memory
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from bench.workloads import REPO

WAYS = ("base", "packaged", "exact", "integer", "both")
QUESTION = "How many kids have been taken from their parents so far?"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _one(way: str) -> dict[str, float]:
    import onnxruntime  # noqa: F401  (in the base too, so the deltas are the sessions')

    from parley.core.meaning import encoder as module

    loaded: list[module.Encoder] = []
    if way == "packaged":
        loaded.append(module.Encoder(module._tokenizer(), module._session(module._graph())))
    if way in ("exact", "both"):
        loaded.append(module.encoder())
    if way in ("integer", "both"):
        loaded.append(module.question_encoder())
    cpu = []
    for encoder in loaded:
        encoder.encode([QUESTION])
        started = time.process_time()
        for _ in range(20):
            encoder.encode([QUESTION])
        cpu.append(round((time.process_time() - started) * 1000 / 20, 2))
    return {"rss_mb": _rss_mb(), "question_cpu_ms": cpu[-1] if cpu else 0.0}


def run() -> dict[str, dict[str, float]]:
    out = {}
    for way in WAYS:
        done = subprocess.run([sys.executable, "-m", "bench.encoder_memory", "--one", way],
                              cwd=REPO, capture_output=True, text=True, check=True)
        out[way] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


if __name__ == "__main__":
    if "--one" in sys.argv:
        print(json.dumps(_one(sys.argv[sys.argv.index("--one") + 1])))
    else:
        print(json.dumps(run(), indent=1))
