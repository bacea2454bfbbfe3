"""/fact's remembered check statuses and knowledge base: a verdict written through another
connection (as another process would write it) shows in the next /fact, on both backends; a
repeated /fact reads no fact check rows."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest

from parley.core.factcheck.claimreview import Review
from parley.core.models import Role
from parley.core.services import Services
from parley.store import factchecks
from parley.store.db import Database
from parley.store.sqlite import SqliteDatabase
from tests.conftest import Ask

NOW = datetime(2100, 1, 1, tzinfo=UTC)  # after the pack's own verdicts
TRADE = "/fact how much is trade between the two countries"


async def _settle(services: Services) -> None:
    """What the backend's stated bound allows: none on SQLite, the read interval on
    PostgreSQL (another process's write is seen at most that late)."""
    if services.db.dialect == "postgresql":
        from parley.store.postgres import FRESH_INTERVAL_S

        await asyncio.sleep(FRESH_INTERVAL_S)


async def test_a_verdict_written_elsewhere_shows_in_the_next_fact(ask: Ask,
                                                                services: Services) -> None:
    first = await ask(TRADE)
    best = first.data["hits"][0]
    assert best["status"] == "unsupported"
    again = await ask(TRADE)  # remembered now
    assert again.data["hits"][0]["status"] == "unsupported"
    other = await Database.open(services.db.target)  # another process's own connections
    try:
        async with other.transaction() as conn:
            await factchecks.add_in(conn, best["id"], Review(
                claim_reviewed=best["text"], status="false", explanation="A newer count.",
                sources=["https://example.org/newer"]), "moderator", NOW)
            await factchecks.add_in(conn, None, Review(
                claim_reviewed="Trade between the two countries fell by half last year.",
                status="misleading", explanation="Only one month fell."), "import", NOW)
    finally:
        await other.close()
    await _settle(services)
    reply = await ask(TRADE)
    hits = reply.data["hits"]
    assert hits[0]["id"] == best["id"] and hits[0]["status"] == "false"
    assert hits[0]["sources"] == ["https://example.org/newer"]
    assert "❌ **False**" in reply.text
    known = [h for h in hits if h["kind"] == "factcheck"]
    assert [h["status"] for h in known if "fell by half" in h["text"]] == ["misleading"]


async def test_this_process_own_verdict_shows_at_once(ask: Ask, services: Services) -> None:
    best = (await ask(TRADE)).data["hits"][0]
    await ask("/factcheck c24 supported The customs figures agree. https://example.org/c",
              role=Role.MODERATOR)
    reply = await ask(TRADE)  # no wait on either backend
    assert reply.data["hits"][0]["id"] == best["id"]
    assert reply.data["hits"][0]["status"] == "supported"


@pytest.mark.sqlite_only("counts the statements on SQLite's read connection")
async def test_a_repeated_fact_reads_no_fact_check_rows(ask: Ask, services: Services) -> None:
    await ask(TRADE)
    assert isinstance(services.db, SqliteDatabase)
    reader = services.db._read_connection()
    assert isinstance(reader, sqlite3.Connection)
    seen: list[str] = []
    reader.set_trace_callback(seen.append)
    try:
        await ask(TRADE)
        await ask(TRADE)
    finally:
        reader.set_trace_callback(None)
    assert not [s for s in seen if "fact_checks" in s and "change_markers" not in s]
    assert len(services.db.fresh) >= 2  # the statuses and the knowledge base, remembered


async def test_the_marker_moves_when_a_claim_loses_its_verdicts_to_the_knowledge_base(
        services: Services) -> None:
    db = services.db
    from parley.store.fresh import generation

    before = await generation(db)
    # a re-analysed article's claims are replaced: their verdicts' claim_id is set to NULL
    async with db.transaction() as conn:
        await factchecks.add_in(conn, "peru-illegal-immigration#c24", Review(
            claim_reviewed="x", status="false"), "moderator", NOW)
    middle = await generation(db)
    await db.write("UPDATE fact_checks SET claim_id = NULL WHERE claim_id = ?",
                   ("peru-illegal-immigration#c24",))
    assert before < middle < await generation(db)
