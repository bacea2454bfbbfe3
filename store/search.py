"""Full-text retrieval with FTS5 (porter stemming, phrase matching) over the fact checks: the
knowledge base and reviews similar to a new claim. Query text never reaches FTS5 syntax: every
phrase is quoted. (An article's own sentences are searched in memory: ``bot.search.lookup``.)"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from store.db import Database


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
