"""Analysis CPU time against an older checkout, in alternating rounds of one run.

    git worktree add --detach ../pre18 "$(git rev-parse eae330f^1)"   # or git archive
    python -m bench.analysis_cpu ../pre18 [--rounds 6] [--repeats 5]

Each round runs one fresh process per version (``PYTHONPATH`` set to that checkout), old and
new alternating and the order swapped every round, so load on a shared machine hits both alike.
A process decodes, parses and analyses each article ``repeats`` times after one warm-up and
reports the median ``time.process_time`` (CPU time, not wall-clock); the report gives both the
median of the rounds' paired ratios and the ratio of the two versions' median times. The
per-text caches of ``tokens`` (folded text, words) are cleared before each repeat, in both
versions, since an article arriving is new text (the per-word stem cache stays warm, as in a
running bot). The articles are the example article and a ~100 KB article built by this checkout's
``bench.workloads``, written to temporary files so both versions read the same bytes. Nothing is
checked out by this script.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Run in the child: the version under test is whatever ``parley`` PYTHONPATH finds.
_CHILD = r"""
import json, statistics, sys, time
from parley.core.analysis import tokens
from parley.core.analysis.article import analyse
from parley.core.analysis.lexicon import load_lexicon
from parley.core.ingest.pipeline import decode, detect_format, parse

repeats = int(sys.argv[1])
out = {}
lexicon = load_lexicon()
for path in sys.argv[2:]:
    data = open(path, "rb").read()
    def once():
        text = decode(data)
        analyse(parse(text, detect_format(text, "a.txt")), lexicon)
    once()  # warm-up: model files read, caches filled
    times = []
    for _ in range(repeats):
        # Per-text caches would let a repeat skip the work: a real article is new text.
        tokens.fold.cache_clear()
        tokens._words.cache_clear()
        start = time.process_time()
        once()
        times.append((time.process_time() - start) * 1000)
    out[path] = statistics.median(times)
print(json.dumps(out))
"""


def _child(checkout: Path, repeats: int, paths: list[str]) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    result = subprocess.run([sys.executable, "-c", _CHILD, str(repeats), *paths], env=env,
                            capture_output=True, text=True, check=True, cwd=checkout)
    return {k: float(v) for k, v in json.loads(result.stdout).items()}


def run(old: Path, rounds: int, repeats: int) -> dict[str, object]:
    from bench.workloads import example_article, large_article

    with tempfile.TemporaryDirectory() as tmp:
        articles = {"example": example_article(), "large_100kb": large_article()}
        paths = {}
        for name, data in articles.items():
            path = Path(tmp) / f"{name}.txt"
            path.write_bytes(data)
            paths[name] = str(path)
        per_round: list[dict[str, dict[str, float]]] = []
        for r in range(rounds):
            order = [("old", old), ("new", REPO)] if r % 2 == 0 else [("new", REPO), ("old", old)]
            got = {label: _child(path, repeats, list(paths.values())) for label, path in order}
            per_round.append({name: {label: got[label][p] for label in ("old", "new")}
                              for name, p in paths.items()})
    report: dict[str, object] = {"rounds": rounds, "repeats": repeats, "old": str(old)}
    for name in paths:
        old_ms = [r[name]["old"] for r in per_round]
        new_ms = [r[name]["new"] for r in per_round]
        ratios = [n / o for o, n in zip(old_ms, new_ms, strict=True)]
        report[name] = {"old_ms_median": round(statistics.median(old_ms), 1),
                        "new_ms_median": round(statistics.median(new_ms), 1),
                        # Both statistics: the median of the paired ratios, and the ratio of
                        # the two versions' median times (the stricter under load).
                        "ratio_median": round(statistics.median(ratios), 3),
                        "ratio_of_medians": round(statistics.median(new_ms)
                                                  / statistics.median(old_ms), 3),
                        "ratio_range": [round(min(ratios), 3), round(max(ratios), 3)],
                        "kb": round(len(articles[name]) / 1000, 1)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("old", type=Path, help="a checkout of the version to compare with")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(run(args.old.resolve(), args.rounds, args.repeats), indent=1))


if __name__ == "__main__":
    main()
