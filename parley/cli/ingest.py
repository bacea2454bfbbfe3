"""``parley ingest``, ``parley articles`` and ``parley reanalyze``: the store's articles."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from parley.cli.common import EXIT_OK, EXIT_USER_ERROR
from parley.core.errors import UserError
from parley.core.services import Services

INGEST_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
PROGRESS_THRESHOLD = 3


def expand(sources: list[str]) -> list[str]:
    """Each folder replaced by the article files under it, in name order."""
    out: list[str] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            out += sorted(str(p) for p in path.rglob("*")
                          if p.is_file() and p.suffix.lower() in INGEST_SUFFIXES)
        else:
            out.append(source)
    return out


async def ingest(services: Services, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from parley.core.ingest.fetch import policy_for
    from parley.core.ingest.pipeline import ingest_path, ingest_url, is_url

    items = expand(args.sources)
    failures = 0
    bar = tqdm(items, unit="article", disable=len(items) <= PROGRESS_THRESHOLD, file=sys.stderr)
    for item in bar:
        try:
            if is_url(item):
                result = await ingest_url(services.db, services.workers, item, services.now(),
                                          services.lexicon, policy=policy_for(services.settings))
            else:
                result = await ingest_path(services.db, services.workers, Path(item),
                                           services.now(), lexicon=services.lexicon)
        except UserError as exc:
            failures += 1
            tqdm.write(f"{item}: {exc}", file=sys.stderr)
            continue
        verb = "added" if result.created else "already stored"
        tqdm.write(f"{result.article.id}: {verb} — {result.article.title}", file=sys.stdout)
    return EXIT_USER_ERROR if failures else EXIT_OK


async def articles(services: Services, args: argparse.Namespace) -> int:
    from parley.store import articles as article_store

    for article in await article_store.list_all(services.db, limit=100_000):
        byline = article.byline()
        print(f"{article.id}\t{article.title}" + (f"\t{byline}" if byline else ""))
    return EXIT_OK


async def reanalyze(services: Services, args: argparse.Namespace) -> int:
    from parley.core.ingest.pipeline import reanalyse

    done = await reanalyse(services.db, services.workers, services.lexicon, everything=True)
    print(f"reanalysed {len(done)} article(s) with {services.lexicon.terms()} lexicon terms")
    return EXIT_OK
