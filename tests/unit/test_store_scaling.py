"""Ingestion's cost does not grow with the store: free slugs and the start-up check read index
ranges, and no statement of an ingest scans a table that grows with the articles."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from parley.core.ingest.pipeline import ingest_bytes
from parley.core.services import Services
from parley.store import analysis as analysis_store
from parley.store.articles import _free_id
from parley.store.db import Database

NOW = datetime(2025, 5, 1, tzinfo=UTC)
GROWING = ("articles", "sections", "sentences", "claims", "rhetoric_marks", "opposing_views",
           "summaries", "activity")
TEXT = (b"Storm Hits Coast\n\nWinds reached 120 km/h on Monday, the weather service said, and "
        b"4,000 homes lost power across the three coastal districts before the evening. The "
        b"mayor said repairs would take a week.")


async def _add_ids(db: Database, ids: list[str]) -> None:
    async with db.transaction() as conn:
        for n, article_id in enumerate(ids):
            await conn.execute(
                "INSERT INTO articles (id, title, source_format, content_hash, ingested_at)"
                " VALUES (?, 't', 'text', ?, ?)", (article_id, f"h{n}", NOW.isoformat()))


async def test_a_taken_slug_gets_the_next_number_not_a_neighbours(services: Services) -> None:
    await _add_ids(services.db, ["storm", "storm-2", "storm-9", "storm-10", "storm-2025-review",
                                 "storm-3b", "stormy", "storm-"])
    async with services.db.transaction() as conn:
        assert await _free_id(conn, "storm") == "storm-11"  # numeric, not "storm-9" + 1
        assert await _free_id(conn, "stormy") == "stormy-2"
        assert await _free_id(conn, "calm") == "calm"
        assert await _free_id(conn, "storm-2025") == "storm-2025"


async def _plans(db: Database, statements: list[str]) -> list[str]:
    found = []
    for sql in statements:
        if not re.match(r"\s*(SELECT|UPDATE|DELETE)", sql, re.I):
            continue
        for row in await db.fetchall("EXPLAIN QUERY PLAN " + sql):
            found.append(f"{row['detail']}  <-  {sql[:120]}")
    return found


@pytest.mark.sqlite_only("reads the query plans through SQLite's trace callback")
async def test_no_ingest_statement_scans_a_growing_table(services: Services) -> None:
    await _add_ids(services.db, [f"filler-{n}" for n in range(50)])
    traced: list[str] = []
    await services.db.conn.set_trace_callback(traced.append)
    result = await ingest_bytes(services.db, services.workers, TEXT, NOW)
    stale = await analysis_store.stale_articles(services.db, 10**6)
    await services.db.conn.set_trace_callback(None)
    assert result.created and result.article.id in stale
    plans = await _plans(services.db, traced)
    assert any("SEARCH articles" in p for p in plans)  # the check below looks at real plans
    scans = [p for p in plans if re.match(rf"SCAN ({'|'.join(GROWING)})\b", p)]
    assert scans == []
