"""``parley bench``: ``python -m bench`` in a subprocess (the suite lives in a source checkout)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from parley.cli.common import EXIT_USAGE, fail

CHECKOUT = Path(__file__).resolve().parents[2]


def bench(args: argparse.Namespace) -> int:
    if not (CHECKOUT / "bench" / "__main__.py").is_file():
        return fail("the benchmarks need a source checkout; run `python -m bench` in it",
                    EXIT_USAGE)
    command = [sys.executable, "-m", "bench", *(["--quick"] if args.quick else [])]
    return subprocess.run(command, cwd=CHECKOUT, check=False).returncode
