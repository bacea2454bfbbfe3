"""Memory for one huge article: peak RSS of a fresh process analysing the largest article
Parley accepts (``MAX_SENTENCES`` short sentences), beside the dense N×N NumPy similarity and
LexRank that the previous analysis (and sumy's LexRank) build for the same sentences."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.workloads import REPO

REPEATS = 3
WORDS = ("council budget bridge harbor repair vote tax school road police water park fund "
         "tariff trade wage port ferry rail clinic").split()


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def article(n: int) -> str:
    """``n`` short sentences, five to a paragraph (reproducible)."""
    rng = random.Random(1)
    sentences = [f"The {rng.choice(WORDS)} {rng.choice(WORDS)} plan {i} passed."
                 for i in range(n)]
    return "Report\n\n" + "\n\n".join(" ".join(sentences[i:i + 5]) for i in range(0, n, 5))


def _parley(n: int) -> dict[str, float]:
    from parley.core.analysis.article import analyse
    from parley.core.analysis.lexicon import load_lexicon
    from parley.core.ingest.pipeline import decode, parse

    parsed = parse(decode(article(n).encode("utf-8")), "text")
    lexicon = load_lexicon()
    before = _peak_mb()
    started = time.perf_counter()
    analyse(parsed, lexicon)
    return {"sentences": parsed.sentence_count, "before_mb": before, "peak_mb": _peak_mb(),
            "seconds": round(time.perf_counter() - started, 2)}


def _dense(n: int) -> dict[str, float]:
    import numpy as np

    from parley.core.analysis.similarity import tfidf_rows
    from parley.core.ingest.pipeline import decode, parse

    parsed = parse(decode(article(n).encode("utf-8")), "text")
    texts = [s.text for sec in parsed.sections for s in sec.sentences]
    before = _peak_mb()
    started = time.perf_counter()
    rows, vocabulary = tfidf_rows(texts)
    vectors = np.zeros((len(texts), max(1, vocabulary)))
    for i, row in enumerate(rows):
        for term, weight in row.items():
            vectors[i, term] = weight
    sim = vectors @ vectors.T
    np.fill_diagonal(sim, 0.0)
    totals = sim.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1.0
    transition, scores = sim / totals, np.full(len(texts), 1.0 / len(texts))
    for _ in range(50):
        scores = 0.15 / len(texts) + 0.85 * (transition.T @ scores)
    return {"sentences": len(texts), "before_mb": before, "peak_mb": _peak_mb(),
            "seconds": round(time.perf_counter() - started, 2)}


def _measure(mode: str, n: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-m", "bench.article_memory", mode, str(n)], cwd=REPO,
                         capture_output=True, text=True, timeout=1200, check=True)
    parsed: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return parsed


def run(quick: bool) -> dict[str, Any]:
    from parley.core.ingest.pipeline import MAX_SENTENCES

    n = 1_000 if quick else MAX_SENTENCES
    out: dict[str, Any] = {"sentences": n}
    for mode in ("parley", "dense"):
        runs = [_measure(mode, n) for _ in range(1 if quick else REPEATS)]
        peaks = [r["peak_mb"] for r in runs]
        out[mode] = {"peak_mb_min": min(peaks), "peak_mb_max": max(peaks),
                     "before_mb": runs[0]["before_mb"],
                     "seconds": sorted(r["seconds"] for r in runs)}
    return out


if __name__ == "__main__":
    if len(sys.argv) > 2:
        work = _parley if sys.argv[1] == "parley" else _dense
        print(json.dumps(work(int(sys.argv[2]))))
    else:
        print(json.dumps(run(quick="--quick" in sys.argv), indent=1))
