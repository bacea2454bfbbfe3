"""The knowledge base's vectors: each fact check's claim embedded once, tagged with its model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from parley.store.db import Database
from parley.store.factchecks import FactCheck, from_row


async def stamp(db: Database) -> tuple[int, int]:
    """(newest fact check id, newest vector id): two primary-key probes, cheap enough to ask
    on every check whether the vectors held in memory are still the stored ones."""
    rows = await db.read("SELECT (SELECT coalesce(max(id), 0) FROM fact_checks) AS f,"
                         " (SELECT coalesce(max(fact_check_id), 0) FROM claim_vectors) AS v")
    return int(rows[0]["f"]), int(rows[0]["v"])


async def missing(db: Database, model: str) -> list[tuple[int, str, str]]:
    """(id, claim, headline) of the knowledge base's fact checks (those on no stored claim)
    with no vector by ``model``."""
    rows = await db.fetchall(
        "SELECT f.id, f.claim_reviewed, f.title FROM fact_checks f LEFT JOIN claim_vectors v"
        " ON v.fact_check_id = f.id AND v.model = ? WHERE v.fact_check_id IS NULL"
        " AND f.claim_id IS NULL ORDER BY f.id", (model,))
    return [(int(r["id"]), r["claim_reviewed"], r["title"]) for r in rows]


async def stale(db: Database, model: str) -> int:
    """How many stored vectors were made by another model than ``model`` (an older encoder)."""
    rows = await db.fetchall("SELECT count(*) AS n FROM claim_vectors WHERE model <> ?",
                             (model,))
    return int(rows[0]["n"])


async def save(db: Database, model: str, vectors: Iterable[tuple[int, bytes]]) -> None:
    """Store (or replace) vectors, in one transaction."""
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO claim_vectors (fact_check_id, model, vector) VALUES (?,?,?)"
            " ON CONFLICT (fact_check_id) DO UPDATE SET model = excluded.model,"
            " vector = excluded.vector", [(i, model, v) for i, v in vectors])


async def load(db: Database, model: str) -> list[tuple[int, bytes]]:
    """Every stored vector by ``model``, by fact check id."""
    rows = await db.fetchall("SELECT fact_check_id, vector FROM claim_vectors WHERE model = ?"
                             " ORDER BY fact_check_id", (model,))
    return [(int(r["fact_check_id"]), bytes(r["vector"])) for r in rows]


async def checks(db: Database, ids: Sequence[int]) -> dict[int, FactCheck]:
    """The knowledge base's fact checks with these ids (those still in it)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = await db.read(f"SELECT * FROM fact_checks WHERE id IN ({marks})"
                         " AND claim_id IS NULL", list(ids))
    return {int(r["id"]): from_row(r) for r in rows}
