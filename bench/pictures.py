"""Chart rendering: time per picture, and the pictures of docs/pictures.md made again.

    python -m bench.pictures            # time each chart (p50 / p99 ms over repeated draws)
    python -m bench.pictures --write    # redraw docs/pictures/*.png from the example article

The docs' pictures come from the example article (its claims and their check statuses) and a
stored set of ratings: two groups of raters who disagree on most counterpoints and agree on
one, rated through ``/rate`` and fitted by the bridging refit, as a community would.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bench.timing import p50_p99
from parley.cli.app import open_services
from parley.core.charts import attach
from parley.core.charts.activity import activity_chart
from parley.core.charts.claim_status import claim_status_chart
from parley.core.charts.coverage import coverage_chart
from parley.core.charts.standings import Standing, standings_chart
from parley.core.counterpoints.refit import refit_now
from parley.core.models import Picture, Request, Role
from parley.core.registry import run_line
from parley.core.settings import Settings
from parley.store import counterpoints as counterpoint_store

DOCS = Path(__file__).resolve().parent.parent / "docs" / "pictures"
# Which raters find each counterpoint helpful (1.0), somewhat (0.5) or not (0.0): group A
# and group B split on every counterpoint but the first, which both find helpful.
GROUP_SIZE = 8


def _activity() -> Picture:
    days = [(date(2025, 4, 8) + timedelta(days=i), 4 + 3 * (i % 3), i % 4) for i in range(7)]
    return activity_chart(days, "general")


CHARTS: dict[str, Callable[[], Picture]] = {
    "claim status": lambda: claim_status_chart({"supported": 5, "partly supported": 6,
                                                "unsupported": 2, "unverified": 3}, "An article"),
    "coverage": lambda: coverage_chart({"left": ["Left Daily", "Left Weekly"],
                                        "center": ["Wire Desk"], "right": ["Right Post"]},
                                       "A story"),
    "standings": lambda: standings_chart([Standing(f"cp{i}", 0.1 * i - 0.3, 0.2 * i - 0.6,
                                                   3 + i) for i in range(8)], 0.4),
    "activity": _activity,
}


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    """Each chart drawn repeatedly after one warm-up (fonts loaded): p50 / p99 ms, size."""
    rounds = 10 if quick else 50
    out: dict[str, dict[str, float]] = {}
    for name, chart in CHARTS.items():
        size = len(chart().data)
        draws = []
        for _ in range(rounds):
            started = time.perf_counter()
            chart()
            draws.append((time.perf_counter() - started) * 1000)
        out[name] = {**p50_p99(draws), "bytes": size}
    return out


async def _example_pictures() -> list[Picture]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(parley_db=Path(tmp) / "parley.db")
        async with open_services(settings) as services:
            base = Request(command="help", platform="console", channel="docs")
            claims = await run_line(services.registry, "/claims", base, services)
            cps = await counterpoint_store.for_article(services.db, "peru-illegal-immigration")
            for i, cp in enumerate(sorted(cps, key=lambda c: c.id)[:5]):
                for g in range(2 * GROUP_SIZE):
                    side = g < GROUP_SIZE
                    helpful = "helpful" if i == 0 or side == (i % 2 == 0) else "not-helpful"
                    rater = base.model_copy(update={"user": f"rater-{g}", "role": Role.MEMBER})
                    await run_line(services.registry, f"/rate {cp.ref} {helpful}", rater,
                                   services)
            await refit_now(services.db, services.workers, services.now(),
                            services.settings.parley_helpful_intercept)
            article = await services.active_article(base)
            standing = await attach.standings(services.db, article,
                                              services.settings.parley_helpful_intercept)
            pictures = [p for p in (*claims.pictures, standing) if p]
    pictures.append(coverage_chart({"left": ["The Guardian", "Vox"], "center": ["Reuters"],
                                    "right": []}, "An example story"))
    pictures.append(_activity())
    return pictures


def write(folder: Path, pictures: list[Picture]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    for picture in pictures:
        (folder / picture.name).write_bytes(picture.data)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pictures")
    parser.add_argument("--write", action="store_true", help=f"redraw {DOCS}")
    args = parser.parse_args()
    if args.write:
        pictures = asyncio.run(_example_pictures())
        write(DOCS, pictures)
        for picture in pictures:
            print(f"{picture.name}  {len(picture.data):,} bytes  {picture.alt}")
        return
    for name, row in run().items():
        print(f"{name:13} p50 {row['p50_ms']:6.1f} ms  p99 {row['p99_ms']:6.1f} ms  "
              f"{row['bytes']:,} bytes")


if __name__ == "__main__":
    main()
