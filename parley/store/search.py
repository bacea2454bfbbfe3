"""Full-text retrieval with FTS5 (porter stemming, phrase matching) over the fact checks: the
knowledge base and reviews similar to a new claim. Query text never reaches FTS5 syntax: every
phrase is quoted. (An article's own sentences are searched in memory: ``bot.search.lookup``.)"""

from __future__ import annotations

from collections.abc import Sequence

from parley.store.db import Database
from parley.store.factchecks import FactCheck, from_row


def match_expression(phrases: Sequence[Sequence[str]]) -> str:
    """``"w1 w2" OR "w3"``: each phrase quoted, so no user text is read as FTS5 syntax."""
    quoted = []
    for phrase in phrases:
        cleaned = " ".join("".join(ch for ch in w if ch.isalnum() or ch == ".") for w in phrase)
        if cleaned.strip(" ."):
            quoted.append('"' + cleaned.replace('"', "") + '"')
    return " OR ".join(quoted)


async def knowledge_candidates(db: Database, phrases: Sequence[Sequence[str]],
                               limit: int = 10) -> list[FactCheck]:
    """Fact checks on no stored claim (the knowledge base) whose wording matches the question,
    best match first."""
    expression = match_expression(phrases)
    if not expression:
        return []
    rows = await db.read(  # the knowledge base's own small index, on the hot path of /fact
        "SELECT f.* FROM knowledge_fts JOIN fact_checks f ON f.id = knowledge_fts.rowid"
        " WHERE knowledge_fts MATCH ? ORDER BY bm25(knowledge_fts) LIMIT ?", (expression, limit))
    return [from_row(r) for r in rows]


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


async def knowledge_matches(db: Database, terms: Sequence[str], limit: int
                            ) -> list[tuple[FactCheck, float]]:
    """Fact checks in the knowledge base sharing any of ``terms`` (claim or headline), best
    first, each with its BM25 relevance (positive, larger is better): the candidates a
    member's message is matched against."""
    expression = match_expression([(w,) for w in terms])
    if not expression:
        return []
    rows = await db.fetchall(
        "SELECT f.*, -bm25(knowledge_fts) AS relevance FROM knowledge_fts"
        " JOIN fact_checks f ON f.id = knowledge_fts.rowid"
        " WHERE knowledge_fts MATCH ? ORDER BY bm25(knowledge_fts) LIMIT ?", (expression, limit))
    return [(from_row(r), float(r["relevance"])) for r in rows]
