"""Whether a topic-term bar on /counterpoint's *on-point* passages would help: every passage a
kept store offers on a point, its pair's topic-term cosine (``match.topic_similarity``) against
the corpus labels, by half.

``python -m bench.coverage_gate --db COPY [--bars 0,0.1,0.12,0.15,0.26] [--list]`` reads a copy
of a store kept by ``python -m bench.coverage --only quality --keep STORE`` (the services open
it, so never the kept file itself) and changes nothing. For each bar: the passages kept, how
many carry the article's own topic label and how many another, and the articles still offered
one; ``--list`` prints every passage whose article carries another label, with its cosine, both
titles and the passage, to be read by hand (labels overlap: Benghazi is both *middle_east* and
*foreign_policy*).
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from pathlib import Path

from bench.coverage import _stored_ids, corpus, halves
from bench.workloads import bench_settings
from parley.cli.app import open_services
from parley.core.coverage import match
from parley.core.coverage.find import other_coverage
from parley.store import articles as article_store
from parley.store import coverage as coverage_store

BARS = (0.0, 0.05, 0.10, 0.12, 0.15, 0.18, 0.20, 0.26)


@dataclass(frozen=True)
class Offered:
    half: str
    on_label: bool
    cosine: float
    article: str
    other: str
    text: str


async def offered(db_path: Path) -> tuple[list[Offered], dict[str, str]]:
    """Every on-point passage the store offers, with its pair's topic cosine; titles by id."""
    rows = corpus()
    tune, _ = halves(rows)
    async with open_services(bench_settings(db_path)) as services:
        ids = await _stored_ids(services, rows)
        topic = {i: r["topic"] for i, r in zip(ids, rows, strict=True)}
        titles = {i: r["title"] for i, r in zip(ids, rows, strict=True)}
        profiles = await coverage_store.profiles(services.db, ids)
        found = []
        for article_id in ids:
            article = await article_store.get(services.db, article_id)
            assert article is not None
            for item in await other_coverage(services.db, article):
                found.append(Offered(
                    "tune" if topic[article_id] in tune else "report",
                    topic[article_id] == topic.get(item.article),
                    match.topic_similarity(profiles[article_id], profiles[item.article]),
                    article_id, item.article, item.text))
    return found, titles


def report(found: list[Offered], bars: list[float]) -> list[str]:
    """Per half and bar: passages kept, on and off the article's label, articles offered."""
    lines = []
    for half in ("tune", "report"):
        items = [o for o in found if o.half == half]
        lines.append(f"{half}: {len(items)} passages, {sum(o.on_label for o in items)} on label")
        for bar in bars:
            kept = [o for o in items if o.cosine >= bar]
            on = sum(o.on_label for o in kept)
            lines.append(f"  bar {bar:.2f}: kept {len(kept)} (on label {on},"
                         f" other {len(kept) - on}); articles offered"
                         f" {len({o.article for o in kept})}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--bars", default=",".join(str(b) for b in BARS))
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    found, titles = asyncio.run(offered(args.db))
    print("\n".join(report(found, [float(b) for b in args.bars.split(",")])))
    if args.list:
        for o in sorted((o for o in found if not o.on_label), key=lambda o: (o.half, o.cosine)):
            print(f"{o.half} {o.cosine:.3f} | {titles[o.article][:60]} <- {titles[o.other][:60]}"
                  f" | {o.text[:100]}")


if __name__ == "__main__":
    main()
