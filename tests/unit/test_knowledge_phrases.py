"""The knowledge base's candidates for /fact leave out the phrases no entry has: the same entries
in the same order as the query with every phrase, and a phrase added later is found at once."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime

import pytest

from parley.core.factcheck.claimreview import Review
from parley.core.ingest.pipeline import prepare
from parley.core.search.query import build_query
from parley.store import factchecks
from parley.store import search as fts
from parley.store.db import Database
from tests.conftest import ARTICLES, FIXTURES

NOW = datetime(2026, 1, 5, tzinfo=UTC)
_EVERY_PHRASE = ("SELECT f.id FROM knowledge_fts JOIN fact_checks f ON f.id = knowledge_fts.rowid"
                 " WHERE knowledge_fts MATCH ? ORDER BY bm25(knowledge_fts) LIMIT ?")


async def _add(db: Database, texts: list[str]) -> None:
    async with db.transaction() as conn:
        for text in texts:
            await factchecks.add_in(conn, None, Review(claim_reviewed=text, status="misleading"),
                                    "import", NOW)


@pytest.mark.sqlite_only("PostgreSQL's query keeps every phrase")
async def test_leaving_out_absent_phrases_changes_no_candidate_nor_its_place(
        db: Database) -> None:
    path = sorted(ARTICLES.iterdir())[0]
    parsed = prepare(path.read_bytes(), None, path.name, None)
    await _add(db, [s.text for sec in parsed.sections for s in sec.sentences][:60])
    questions = [q["ask"] for q in
                 tomllib.loads((FIXTURES / "questions.toml").read_text())["question"]]
    compared = dropped = 0
    for question in questions + [f"{q} in {1990 + i}" for i, q in enumerate(questions[:10])]:
        phrases = build_query(question).phrases()
        expression = fts.match_expression(phrases)
        every = [r["id"] for r in await db.read(_EVERY_PHRASE, (expression, 10))]
        found = [f.id for f in await fts.knowledge_candidates(db, phrases)]
        assert found == every, question
        compared += bool(every)
        have = [p for p in phrases if await db.read(_EVERY_PHRASE, (fts.match_expression([p]), 1))]
        dropped += len(have) < len([p for p in phrases if fts.phrase_text(p)])
    assert compared > 10 and dropped > 10  # both: matches found, and phrases left out


async def test_a_phrase_added_to_the_knowledge_base_is_found_at_once(db: Database) -> None:
    await _add(db, ["Bridges in the harbor are unsafe"])
    assert await fts.knowledge_candidates(db, [("tariffs",), ("bridges",)]) != []
    assert await fts.knowledge_candidates(db, [("tariffs",)]) == []  # (remembered absent)
    await _add(db, ["The tariffs doubled the price of steel"])
    found = await fts.knowledge_candidates(db, [("tariffs",)])
    assert [f.review.claim_reviewed for f in found] == ["The tariffs doubled the price of steel"]
