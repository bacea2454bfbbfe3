"""Reproducible workloads built from the project's own test articles (nothing is downloaded)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from parley.core.settings import Settings
from parley.core.workers import Workers

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "articles"
EXAMPLE_FILE = "peru-immigration-breakingcentral-2025-04-08.txt"


def bench_settings(db: Path, **values: Any) -> Settings:
    """Settings for a load test: no ``.env``, and no rate limits (floods are the workload)."""
    unlimited: dict[str, Any] = {f"parley_rate_{scope}_per_minute": 0
                                 for scope in ("member", "channel", "contributions")}
    return Settings(_env_file=None, parley_db=db, **unlimited, **values)


@asynccontextmanager
async def worker_pool() -> AsyncIterator[Workers]:
    """The analysis worker pool, as the running services own it, for benchmarks without them."""
    workers = Workers()
    try:
        yield workers
    finally:
        await workers.close()


def example_article() -> bytes:
    return (resources.files("parley.core.data") / "articles" / EXAMPLE_FILE).read_bytes()


def large_article(target_bytes: int = 100_000, seed: int = 7) -> bytes:
    """A plain-text article of about ``target_bytes``: paragraphs of the test articles, shuffled
    with a fixed seed, figures varied so no two paragraphs are identical."""
    from parley.core.ingest.pipeline import decode, detect_format, parse

    paragraphs: list[str] = []
    sources = [example_article(), *(p.read_bytes() for p in sorted(FIXTURES.iterdir()))]
    for data in sources:
        text = decode(data)
        article = parse(text, detect_format(text))
        for section in article.sections:
            by_para: dict[int, list[str]] = {}
            for s in section.sentences:
                by_para.setdefault(s.paragraph, []).append(s.text)
            paragraphs += [" ".join(v) for v in by_para.values()]
    rng = random.Random(seed)
    out = ["A Long Report on Borders, Bridges, Wages and Carbon", "",
           "Published: March 3, 2025", "", "Written by Bench Mark", ""]
    size, n = 0, 0
    while size < target_bytes:
        if n % 6 == 0:
            out += [f"Part {n // 6 + 1}", ""]
        para = rng.choice(paragraphs).replace("2023", str(1990 + n % 35))
        para = para.replace(" 7 ", f" {n % 97 + 3} ")
        out += [para, ""]
        size += len(para) + 2
        n += 1
    return "\n".join(out).encode("utf-8")
