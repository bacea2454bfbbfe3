"""Fact checks: every verdict kept, the newest per claim current; the knowledge base."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime

from pydantic import BaseModel

from parley.core.factcheck.claimreview import Review
from parley.store.db import Connection, Database, Row
from parley.store.fresh import remembered

HOT_READ_IDS = 50  # at most this many claims are read on the loop (see latest)


class FactCheck(BaseModel):
    """A stored verdict on a claim (or, unlinked, in the knowledge base)."""

    id: int
    claim_id: str | None
    review: Review
    origin: str
    matched: bool
    created_at: datetime


def from_row(r: Row) -> FactCheck:
    """A ``fact_checks`` row as a model."""
    return FactCheck(
        id=r["id"], claim_id=r["claim_id"], origin=r["origin"], matched=bool(r["matched"]),
        created_at=datetime.fromisoformat(r["created_at"]),
        review=Review(
            claim_reviewed=r["claim_reviewed"], title=r["title"], status=r["status"],
            explanation=r["explanation"],
            sources=json.loads(r["sources"]), author=r["author"], publisher=r["publisher"],
            review_url=r["review_url"],
            date_published=date.fromisoformat(r["date_published"]) if r["date_published"]
            else None, appearance=json.loads(r["appearance"])))


async def add_in(conn: Connection, claim_id: str | None, review: Review, origin: str,
                 at: datetime, matched: bool = False) -> int:
    """Record one verdict inside the caller's transaction; returns its id."""
    row = await conn.fetchone(
        "INSERT INTO fact_checks (claim_id, claim_reviewed, title, verdict, status, explanation,"
        " sources, origin, author, publisher, review_url, date_published, appearance, matched,"
        " created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        (claim_id, review.claim_reviewed, review.title, review.status, review.status,
         review.explanation,
         json.dumps(review.sources), origin, review.author, review.publisher, review.review_url,
         review.date_published.isoformat() if review.date_published else None,
         json.dumps(review.appearance), int(matched), at.isoformat()))
    return int(row["id"]) if row else 0


Signature = tuple[str | None, str, str, str]


def signature(claim_id: str | None, review: Review) -> Signature:
    """What makes two verdicts the same one (for imports that must not repeat themselves)."""
    return (claim_id, review.claim_reviewed, review.status, review.explanation)


async def signatures(db: Database) -> set[Signature]:
    """The signature of every recorded verdict, in one read."""
    rows = await db.fetchall("SELECT claim_id, claim_reviewed, status, explanation"
                             " FROM fact_checks")
    return {(r["claim_id"], r["claim_reviewed"], r["status"], r["explanation"]) for r in rows}


async def latest(db: Database, claim_ids: Iterable[str]) -> dict[str, FactCheck]:
    """The current (newest) verdict of each claim that has one (the models are shared with
    other callers: read them, never change them)."""
    ids = list(dict.fromkeys(claim_ids))
    if not ids:
        return {}
    if len(ids) > HOT_READ_IDS:  # many (a digest's article): read on the thread, not kept
        return await _latest(db, ids, db.fetchall)
    # A few (a /fact answer's hits): remembered until a fact check changes (fresh.py); read
    # on the loop's read-only connection when they must be read.
    found = await remembered(db, ("latest", *ids), lambda: _latest(db, ids, db.read))
    return dict(found)


async def _latest(db: Database, ids: list[str],
                  read: Callable[[str, list[str]], Awaitable[list[Row]]]
                  ) -> dict[str, FactCheck]:
    rows = await read(
        "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY claim_id"
        " ORDER BY created_at DESC, id DESC) AS age FROM fact_checks"
        f" WHERE claim_id IN ({','.join('?' * len(ids))})) AS latest WHERE age = 1", ids)
    return {r["claim_id"]: from_row(r) for r in rows}


async def history(db: Database, claim_id: str) -> list[FactCheck]:
    rows = await db.fetchall("SELECT * FROM fact_checks WHERE claim_id = ?"
                             " ORDER BY created_at DESC, id DESC", (claim_id,))
    return [from_row(r) for r in rows]


async def get(db: Database, check_id: int) -> FactCheck | None:
    row = await db.fetchone("SELECT * FROM fact_checks WHERE id = ?", (check_id,))
    return from_row(row) if row else None


async def unlinked(db: Database) -> list[FactCheck]:
    rows = await db.fetchall("SELECT * FROM fact_checks WHERE claim_id IS NULL ORDER BY id")
    return [from_row(r) for r in rows]


async def current_for_export(db: Database, article_id: str | None = None) -> list[FactCheck]:
    """The newest verdict of every checked claim (and the knowledge base when no article)."""
    sql = ("SELECT f.* FROM fact_checks f WHERE f.id IN (SELECT MAX(id) FROM fact_checks"
           " WHERE claim_id IS NOT NULL GROUP BY claim_id)")
    params: list[str] = []
    if article_id:
        sql += " AND f.claim_id IN (SELECT id FROM claims WHERE article_id = ?)"
        params.append(article_id)
    rows = await db.fetchall(sql + " ORDER BY f.claim_id", params)
    checks = [from_row(r) for r in rows]
    return checks if article_id else checks + await unlinked(db)


async def any_recorded(db: Database) -> bool:
    """Whether any fact check exists (one index probe, however many there are)."""
    return await db.fetchone("SELECT 1 FROM fact_checks LIMIT 1") is not None


async def count(db: Database) -> int:
    row = await db.fetchone("SELECT COUNT(*) AS n FROM fact_checks")
    return int(row["n"]) if row else 0
