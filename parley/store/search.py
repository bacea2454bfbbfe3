"""Full-text retrieval over the fact checks: the knowledge base and reviews similar to a new
claim. SQLite uses FTS5 (porter stemming, bm25), PostgreSQL a tsvector index ('english'
stemming, ts_rank); one query expression serves both, since FTS5's quoted phrases joined by OR
are also ``websearch_to_tsquery`` syntax. Query text never reaches either syntax unquoted. (An
article's own sentences are searched in memory: ``parley.core.search.lookup``.)"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from parley.store.db import Database
from parley.store.factchecks import FactCheck, from_row
from parley.store.fresh import remembered

# The indexed expressions of PostgreSQL's migrations 0003 and 0012 (a query must repeat them
# exactly to use the index).
_KNOWLEDGE = "to_tsvector('english', f.claim_reviewed || ' ' || f.title)"
_CHECKS = "to_tsvector('english', f.claim_reviewed || ' ' || f.explanation)"


# What a query word keeps: letters, digits and dots (``\w`` is str.isalnum plus "_").
_DROPPED = re.compile(r"[^\w.]|_")


# The largest knowledge base whose /fact query runs on the loop. A question's OR query of a
# dozen phrases held the loop for about 1 ms at 10-300 entries, 2.5-3 ms at 1,000 and 4.5-5.4
# ms at 10,378; in the store's thread the loop's part is 0.5-1.2 ms and that one answer comes
# 0.5-1 ms later (``python -m bench.knowledge_query``, quiet): a small delay for one member
# rather than a held loop for all of them.
LOOP_KNOWLEDGE = 300


def phrase_text(phrase: Sequence[str]) -> str:
    """What FTS5 is given of one phrase ("" when nothing searchable is left of it)."""
    return _phrase_text(tuple(phrase))


@lru_cache(maxsize=8192)
def _phrase_text(phrase: tuple[str, ...]) -> str:
    """(the thesaurus's phrases recur in question after question)"""
    cleaned = " ".join(_DROPPED.sub("", w) for w in phrase)
    return cleaned.replace('"', "") if cleaned.strip(" .") else ""


def match_expression(phrases: Sequence[Sequence[str]]) -> str:
    """``"w1 w2" OR "w3"``: each phrase quoted, so no user text is read as FTS5 syntax."""
    return " OR ".join([f'"{text}"' for text in map(phrase_text, phrases) if text])


async def knowledge_candidates(db: Database, phrases: Sequence[Sequence[str]],
                               limit: int = 10) -> list[FactCheck]:
    """Fact checks on no stored claim (the knowledge base) whose wording matches the question,
    best match first."""
    expression = match_expression(phrases)
    if not expression:
        return []
    if db.dialect == "postgresql":
        sql = ("SELECT f.* FROM fact_checks f, websearch_to_tsquery('english', ?) q"
               f" WHERE f.claim_id IS NULL AND {_KNOWLEDGE} @@ q"
               f" ORDER BY ts_rank({_KNOWLEDGE}, q) DESC, f.id LIMIT ?")
    else:
        sql = ("SELECT f.* FROM knowledge_fts JOIN fact_checks f ON f.id = knowledge_fts.rowid"
               " WHERE knowledge_fts MATCH ? ORDER BY bm25(knowledge_fts), f.id LIMIT ?")

    async def read() -> list[FactCheck]:
        # On SQLite a small knowledge base is an index probe run on the loop (``Database.read``);
        # a large one's OR query over many entries takes milliseconds, so it goes to the store's
        # thread and the loop answers others meanwhile (elsewhere the two are the same read).
        on_loop = db.dialect != "postgresql" and await knowledge_size(db) <= LOOP_KNOWLEDGE
        query = db.read if on_loop else db.fetchall
        return [from_row(r) for r in await query(sql, (expression, limit))]

    # remembered until a fact check changes (parley/store/fresh.py)
    return list(await remembered(db, ("knowledge", expression, limit), read))


async def knowledge_size(db: Database) -> int:
    """How many fact checks the knowledge base holds (those on no stored claim), remembered
    until a fact check changes."""
    async def count() -> int:
        rows = await db.read("SELECT count(*) AS n FROM fact_checks WHERE claim_id IS NULL")
        return int(rows[0]["n"])
    return await remembered(db, ("knowledge size",), count)


async def similar_checks(db: Database, words: Sequence[str], exclude_article: str,
                         limit: int) -> list[int]:
    """Fact checks (on other articles' claims, or in the knowledge base) sharing wording."""
    expression = match_expression([(w,) for w in words])
    if not expression:
        return []
    if db.dialect == "postgresql":
        sql = ("SELECT f.id FROM fact_checks f, websearch_to_tsquery('english', ?) q"
               f" WHERE {_CHECKS} @@ q AND (f.claim_id IS NULL OR f.claim_id NOT LIKE ?)"
               f" ORDER BY ts_rank({_CHECKS}, q) DESC, f.id LIMIT ?")
    else:
        sql = ("SELECT f.id FROM factchecks_fts JOIN fact_checks f"
               " ON f.id = factchecks_fts.rowid"
               " WHERE factchecks_fts MATCH ? AND (f.claim_id IS NULL OR f.claim_id NOT LIKE ?)"
               " ORDER BY bm25(factchecks_fts), f.id LIMIT ?")
    rows = await db.fetchall(sql, (expression, f"{exclude_article}#%", limit))
    return [int(r["id"]) for r in rows]


async def knowledge_ranked(db: Database, terms: Sequence[str], limit: int
                           ) -> list[tuple[int, float]]:
    """As :func:`knowledge_matches`, ids only (no fact check read): what a ranking needs."""
    expression = match_expression([(w,) for w in terms])
    if not expression:
        return []
    if db.dialect == "postgresql":
        sql = (f"SELECT f.id, ts_rank({_KNOWLEDGE}, q) AS relevance"
               " FROM fact_checks f, websearch_to_tsquery('english', ?) q"
               f" WHERE f.claim_id IS NULL AND {_KNOWLEDGE} @@ q"
               f" ORDER BY ts_rank({_KNOWLEDGE}, q) DESC, f.id LIMIT ?")
    else:
        sql = ("SELECT rowid AS id, -bm25(knowledge_fts) AS relevance FROM knowledge_fts"
               " WHERE knowledge_fts MATCH ? ORDER BY bm25(knowledge_fts), rowid LIMIT ?")
    rows = await db.fetchall(sql, (expression, limit))  # a search, not a probe: off the loop
    return [(int(r["id"]), float(r["relevance"])) for r in rows]


async def knowledge_matches(db: Database, terms: Sequence[str], limit: int
                            ) -> list[tuple[FactCheck, float]]:
    """Fact checks in the knowledge base sharing any of ``terms`` (claim or headline), best
    first, each with its BM25 relevance (positive, larger is better): the candidates a
    member's message is matched against."""
    expression = match_expression([(w,) for w in terms])
    if not expression:
        return []
    if db.dialect == "postgresql":  # ts_rank's scale is not bm25's; callers use it relatively
        sql = (f"SELECT f.*, ts_rank({_KNOWLEDGE}, q) AS relevance"
               " FROM fact_checks f, websearch_to_tsquery('english', ?) q"
               f" WHERE f.claim_id IS NULL AND {_KNOWLEDGE} @@ q"
               f" ORDER BY ts_rank({_KNOWLEDGE}, q) DESC, f.id LIMIT ?")
    else:
        sql = ("SELECT f.*, -bm25(knowledge_fts) AS relevance FROM knowledge_fts"
               " JOIN fact_checks f ON f.id = knowledge_fts.rowid"
               " WHERE knowledge_fts MATCH ? ORDER BY bm25(knowledge_fts), f.id LIMIT ?")
    rows = await db.fetchall(sql, (expression, limit))
    return [(from_row(r), float(r["relevance"])) for r in rows]
