"""Full-text retrieval with FTS5 (porter stemming, phrase matching) over an article's sentences
and the fact-check knowledge base. Query text never reaches FTS5 syntax: every phrase is quoted.

Ranking is not FTS5's ``bm25()``: that computes each phrase's IDF over the whole store (a scan of
its full doclist per query), which grows with the store and ranks one article's sentences by
other articles' statistics. ``bot.search.rank`` scores BM25 with the article's own statistics."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from store.db import Database

CANDIDATES = 200


class Candidate(BaseModel):
    """A sentence the index found."""

    sentence_id: str
    section: int
    text: str


class KnowledgeHit(BaseModel):
    """A fact check from the knowledge base that matches the question."""

    id: int
    claim_reviewed: str


def match_expression(phrases: Sequence[Sequence[str]]) -> str:
    """``"w1 w2" OR "w3"``: each phrase quoted, so no user text is read as FTS5 syntax."""
    quoted = []
    for phrase in phrases:
        cleaned = " ".join("".join(ch for ch in w if ch.isalnum() or ch == ".") for w in phrase)
        if cleaned.strip(" ."):
            quoted.append('"' + cleaned.replace('"', "") + '"')
    return " OR ".join(quoted)


async def rowid_range(db: Database, article_id: str) -> tuple[int, int] | None:
    """The rowids an article's sentences occupy (contiguous: they are inserted together)."""
    row = await db.fetchone("SELECT MIN(rowid) AS lo, MAX(rowid) AS hi FROM sentences"
                            " WHERE article_id = ?", (article_id,))
    return (int(row["lo"]), int(row["hi"])) if row and row["lo"] is not None else None


async def sentence_candidates(db: Database, article_id: str, phrases: Sequence[Sequence[str]],
                              rowids: tuple[int, int], limit: int = CANDIDATES
                              ) -> list[Candidate]:
    """The article's sentences that contain any phrase, in reading order."""
    expression = match_expression(phrases)
    if not expression:
        return []
    rows = await db.fetchall(
        "SELECT s.id, s.section, s.text FROM sentences_fts"
        " JOIN sentences s ON s.rowid = sentences_fts.rowid"
        " WHERE sentences_fts MATCH ? AND sentences_fts.rowid BETWEEN ? AND ?"
        " AND s.article_id = ? LIMIT ?",
        (expression, rowids[0], rowids[1], article_id, limit))
    return [Candidate(sentence_id=r["id"], section=r["section"], text=r["text"]) for r in rows]


async def knowledge_candidates(db: Database, phrases: Sequence[Sequence[str]],
                               limit: int = 10) -> list[KnowledgeHit]:
    """Fact checks on no stored claim (the knowledge base) whose wording matches the question."""
    expression = match_expression(phrases)
    if not expression:
        return []
    rows = await db.fetchall(
        "SELECT rowid AS id, claim_reviewed FROM knowledge_fts WHERE knowledge_fts MATCH ?"
        " ORDER BY bm25(knowledge_fts) LIMIT ?", (expression, limit))
    return [KnowledgeHit(id=r["id"], claim_reviewed=r["claim_reviewed"]) for r in rows]


async def similar_checks(db: Database, words: Sequence[str], exclude_article: str,
                         limit: int) -> list[int]:
    """Fact checks (on other articles' claims, or in the knowledge base) sharing wording."""
    expression = match_expression([(w,) for w in words])
    if not expression:
        return []
    rows = await db.fetchall(
        "SELECT f.id FROM factchecks_fts JOIN fact_checks f ON f.id = factchecks_fts.rowid"
        " WHERE factchecks_fts MATCH ? AND (f.claim_id IS NULL OR f.claim_id NOT LIKE ?)"
        " ORDER BY bm25(factchecks_fts) LIMIT ?", (expression, f"{exclude_article}#%", limit))
    return [int(r["id"]) for r in rows]
