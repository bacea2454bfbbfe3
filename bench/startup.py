"""Start-up: ``python -m parley --help``, ``--version`` and ``ask /help`` on a stored database,
each a fresh process, as ratios against ``python -c pass`` (and, given ``--against`` a checkout
of an older Parley, against its start-up), with ranges over repeated runs.

``python -m bench.startup [--repeats N] [--against PATH]``. Wall time counts everything the
command waits for; CPU time (user + system) is the command's and that of every process it
started (its worker pool's fork server and workers are reaped here: this process is made their
subreaper on Linux).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent  # not bench.workloads: the timer stays light

COMMANDS: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "parley --help": ["-m", "parley", "--help"],
    "parley --version": ["-m", "parley", "--version"],
    "parley ask /help": ["-m", "parley", "ask", "/help"],
}


def _env(checkout: Path, db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PARLEY_", "DISCORD_", "SLACK_"))}
    env.update({"PYTHONPATH": str(checkout), "PARLEY_DB": str(db)})
    return env


PR_SET_CHILD_SUBREAPER = 36


def _adopt_orphans() -> None:
    """Become the parent of the processes a command leaves behind (its fork server), so their
    CPU is counted once they are reaped."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def timed(argv: list[str]) -> None:
    """Run ``argv`` and print its wall and CPU seconds, its descendants' CPU included: only
    ever in a process of its own (it waits for every child it has)."""
    _adopt_orphans()
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps([wall, used.ru_utime + used.ru_stime]))


def _once(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process and everything it started."""
    # The timer comes from this checkout; the command sees only its own (``env``).
    timer = (f"import sys; sys.path.insert(0, {str(REPO)!r}); from bench.startup import timed;"
             " timed(sys.argv[1:])")
    done = subprocess.run([sys.executable, "-c", timer, sys.executable, *args], env=env,
                          cwd=cwd, check=True, capture_output=True, text=True)
    wall, cpu = json.loads(done.stdout)
    return float(wall), float(cpu)


def measure(checkout: Path, repeats: int, commands: dict[str, list[str]] | None = None
            ) -> dict[str, dict[str, list[float]]]:
    """Each command ``repeats`` times, interleaved so the machine's load hits them alike."""
    commands = commands or COMMANDS
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        env = _env(checkout, cwd / "parley.db")
        if any("ask" in args for args in commands.values()):
            subprocess.run([sys.executable, "-m", "parley", "articles"], env=env, cwd=cwd,
                           check=True, capture_output=True)  # the first start: not measured
        runs: dict[str, dict[str, list[float]]] = {
            name: {"wall_s": [], "cpu_s": []} for name in commands}
        for _ in range(repeats):
            for name, args in commands.items():
                wall, cpu = _once(args, env, cwd)
                runs[name]["wall_s"].append(round(wall, 3))
                runs[name]["cpu_s"].append(round(cpu, 3))
    return runs


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def run(quick: bool = False, against: Path | None = None, repeats: int = 0) -> dict[str, Any]:
    """This checkout's start-up (and ``against``'s), as ratios to ``python -c pass``."""
    repeats = repeats or (3 if quick else 7)
    ours = measure(REPO, repeats)
    result: dict[str, Any] = {"repeats": repeats, "runs": ours}
    base = _median(ours["python -c pass"]["cpu_s"])
    result["cpu_ratio_to_python"] = {
        name: [round(min(r["cpu_s"]) / base, 1), round(max(r["cpu_s"]) / base, 1)]
        for name, r in ours.items()}
    if against is not None:
        theirs = measure(against, repeats)
        result["against"] = {"checkout": str(against), "runs": theirs}
        result["ratio_to_against"] = {
            name: {kind: round(_median(ours[name][kind]) / _median(theirs[name][kind]), 2)
                   for kind in ("wall_s", "cpu_s")}
            for name in COMMANDS if name != "python -c pass"}
    return result


def rows(result: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """One table row per command: CPU ms (range), ratio to ``python -c pass``, to the older."""
    out = []
    for name, runs in result["runs"].items():
        if name == "python -c pass":
            continue
        low, high = result["cpu_ratio_to_python"][name]
        older = result.get("ratio_to_against", {}).get(name)
        out.append((f"Start-up: {name}, CPU ms (range over {result['repeats']} runs)",
                    f"{min(runs['cpu_s']) * 1000:.0f}–{max(runs['cpu_s']) * 1000:.0f}",
                    f"× python -c pass: {low}–{high}",
                    f"× the older: CPU {older['cpu_s']}, wall {older['wall_s']}" if older
                    else "—"))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    parser.add_argument("--repeats", type=int, default=0, help="runs of each command")
    parser.add_argument("--quick", action="store_true", help="3 runs of each")
    parser.add_argument("--against", type=Path, help="a checkout of an older Parley")
    args = parser.parse_args(argv)
    result = run(args.quick, args.against, args.repeats)
    print(json.dumps(result, indent=1))
    for row in rows(result):
        print(" | ".join(row))


if __name__ == "__main__":
    main()
