"""The knowledge base's words held in memory rank as SQLite's FTS5 ranks them (the same ids in
the same order, the same bm25), hand back to the store for a term FTS5 reads as a phrase, and
follow the store: a fact check added is found by its words on the very next ranking."""

from __future__ import annotations

from typing import Any

import pytest

from parley.core.factcheck import lexical
from parley.core.factcheck.claimreview import parse_document
from parley.core.factcheck.link import import_reviews
from parley.core.factcheck.retrieval import clean_message, search_terms
from parley.core.services import Services
from parley.store import search
from parley.store.knowledge_terms import Terms

# Reviews written for these tests (not from any data set); many share words, so the idf, the
# lengths and ties all count, and "dogs" is in over half of them (FTS5's idf floor).
REVIEWS = [
    ("Dogs were banned from the parks of Springfield.", "Did Springfield ban dogs?"),
    ("Running dogs run faster than cats run.", ""),
    ("Dogs can see in the dark better than people.", "Can dogs see in the dark?"),
    ("Eating carrots lets people see in the dark.", "Do carrots give night vision?"),
    ("The wall cost $25 billion.", "Did the border wall cost $25 billion?"),
    ("Dogs dogs dogs: the mayor said dogs rule.", ""),
    ("Cats.", "Cats rule the parks, the mayor said"),
    ("Dogs and cats are banned from the parks.", ""),
]
QUERIES = [
    "dogs banned from the parks in Springfield", "running dogs", "dog dogs dogged",
    "the mayor said cats rule", "see in the dark", "wall $25 billion border",
    "nothing about anything", "carrots!!! #NightVision https://t.co/x",
]


async def _load(services: Services) -> Terms:
    if services.db.dialect != "sqlite":
        pytest.skip("FTS5's ranking: PostgreSQL ranks by its own search")
    doc: list[dict[str, Any]] = [
        {"@type": "ClaimReview", "claimReviewed": claim, "name": title,
         "reviewRating": {"@type": "Rating", "alternateName": "false"}}
        for claim, title in REVIEWS]
    await import_reviews(services.db, parse_document(doc), "import", services.now())
    await lexical.ready(services.db)
    held: Terms | None = services.db.memos.memo(lexical.MEMO, 1).get(lexical.MEMO)
    assert held is not None
    return held


async def test_the_held_words_rank_as_fts5_does(services: Services) -> None:
    held = await _load(services)
    for query in QUERIES:
        terms = search_terms(clean_message(query))
        for limit in (50, 2):
            stored = await search.knowledge_ranked(services.db, terms, limit)
            mine = held.ranked(lexical.tokenizer(services.db), terms, limit)
            assert mine is not None
            assert [i for i, _ in mine] == [i for i, _ in stored], query
            assert [s for _, s in mine] == [s for _, s in stored], query
    assert held.ranked(lexical.tokenizer(services.db), ["running", "dogs"], 50)


async def test_a_term_fts5_reads_as_a_phrase_is_left_to_the_store(services: Services) -> None:
    held = await _load(services)
    terms = ["u.s", "dogs"]  # FTS5 reads "u.s" as the phrase "u s"
    assert held.ranked(lexical.tokenizer(services.db), terms, 50) is None
    assert (await lexical.ranked(services.db, terms, 50)
            == await search.knowledge_ranked(services.db, terms, 50))


async def test_a_fact_check_added_is_found_by_its_words_at_once(services: Services) -> None:
    await _load(services)
    doc = [{"@type": "ClaimReview", "claimReviewed": "Penguins migrate to the desert.",
            "reviewRating": {"@type": "Rating", "alternateName": "false"}}]
    await import_reviews(services.db, parse_document(doc), "import", services.now())
    first = await lexical.ranked(services.db, ["penguins"], 5, services.background)
    assert len(first) == 1  # the store's search, while the words are read again
    running = services.db.memos.memo(lexical.REFRESH, 1).get(lexical.REFRESH)
    await running
    held: Terms | None = services.db.memos.memo(lexical.MEMO, 1).get(lexical.MEMO)
    assert held is not None
    assert held.ranked(lexical.tokenizer(services.db), ["penguins"], 5) == first
    assert await lexical.ranked(services.db, ["penguins"], 5) == first
