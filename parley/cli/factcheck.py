"""``parley factcheck import`` and ``export``: schema.org ClaimReview in and out."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

from parley.cli.common import EXIT_OK, EXIT_USER_ERROR, fail
from parley.core.services import Services


async def factcheck_import(services: Services, args: argparse.Namespace) -> int:
    from parley.core.factcheck import knowledge
    from parley.core.factcheck.claimreview import ClaimReviewError, parse_document
    from parley.core.factcheck.link import import_reviews
    from parley.core.meaning import EncoderUnavailable

    file: str = args.file
    try:
        raw = sys.stdin.read() if file == "-" else await asyncio.to_thread(
            Path(file).read_text, encoding="utf-8")
        reviews = parse_document(json.loads(raw))
    except OSError as exc:
        return fail(f"cannot read {file}: {exc.strerror}")
    except json.JSONDecodeError as exc:
        return fail(f"{file} is not JSON (line {exc.lineno}: {exc.msg})")
    except RecursionError:
        return fail(f"{file} is nested too deeply to be ClaimReview JSON-LD; nothing was "
                    "imported")
    except ClaimReviewError as exc:
        return fail(f"{file}: {exc}; nothing was imported")
    report = await import_reviews(services.db, reviews, "import", services.now())
    for claim_id, status in report.linked:
        print(f"{claim_id}\t{status}")
    print(f"imported {len(report.linked)} on claims, {report.unlinked} into the knowledge base, "
          f"{report.skipped} already present", file=sys.stderr)
    if report.unlinked:
        print("they are searchable by words now; making their vectors for the search by "
              "meaning (one thread a core; an interrupted run resumes where it stopped)",
              file=sys.stderr)
    started = time.perf_counter()
    try:
        embedded = await knowledge.fill(services.db)
    except EncoderUnavailable as error:
        print(f"not embedded for /check's search by meaning ({error}): checks match by words",
              file=sys.stderr)
        return EXIT_OK
    if embedded:
        print(f"embedded {embedded} claims for /check's search by meaning in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return EXIT_OK


async def factcheck_export(services: Services, args: argparse.Namespace) -> int:
    from parley.core.factcheck.claimreview import to_claimreview
    from parley.store import articles as article_store
    from parley.store import factchecks

    article_id: str | None = args.article
    if article_id and await article_store.get(services.db, article_id) is None:
        return fail(f"no article {article_id}", EXIT_USER_ERROR)
    checks = await factchecks.current_for_export(services.db, article_id)
    graph = [to_claimreview(c.review, c.claim_id) for c in checks]
    print(json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False,
                     indent=1))
    return EXIT_OK
