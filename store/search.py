"""Full-text retrieval with FTS5 (porter stemming, BM25) over an article's sentences and the
fact-check knowledge base. Query text never reaches FTS5 syntax: every phrase is quoted."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from store.db import Database

CANDIDATES = 40


class Candidate(BaseModel):
    """A sentence the index found, with its BM25 score (higher is better)."""

    sentence_id: str
    position: int
    section: int
    text: str
    bm25: float


class KnowledgeHit(BaseModel):
    """A fact check from the knowledge base that matches the question."""

    id: int
    claim_id: str | None
    claim_reviewed: str
    bm25: float


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
    """The article's sentences that contain any phrase, best BM25 first."""
    expression = match_expression(phrases)
    if not expression:
        return []
    rows = await db.fetchall(
        "SELECT s.id, s.position, s.section, s.text, -bm25(sentences_fts) AS score"
        " FROM sentences_fts JOIN sentences s ON s.rowid = sentences_fts.rowid"
        " WHERE sentences_fts MATCH ? AND sentences_fts.rowid BETWEEN ? AND ?"
        " AND s.article_id = ? ORDER BY bm25(sentences_fts) LIMIT ?",
        (expression, rowids[0], rowids[1], article_id, limit))
    return [Candidate(sentence_id=r["id"], position=r["position"], section=r["section"],
                      text=r["text"], bm25=r["score"]) for r in rows]


async def knowledge_candidates(db: Database, phrases: Sequence[Sequence[str]],
                               limit: int = 10) -> list[KnowledgeHit]:
    """Fact checks not tied to any stored claim whose wording matches the question."""
    expression = match_expression(phrases)
    if not expression:
        return []
    rows = await db.fetchall(
        "SELECT f.id, f.claim_id, f.claim_reviewed, -bm25(factchecks_fts) AS score"
        " FROM factchecks_fts JOIN fact_checks f ON f.id = factchecks_fts.rowid"
        " WHERE factchecks_fts MATCH ? AND f.claim_id IS NULL"
        " ORDER BY bm25(factchecks_fts) LIMIT ?", (expression, limit))
    return [KnowledgeHit(id=r["id"], claim_id=r["claim_id"], claim_reviewed=r["claim_reviewed"],
                         bm25=r["score"]) for r in rows]
