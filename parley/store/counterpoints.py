"""Counterpoints, their ratings and their bridging scores."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, Field

from parley.store.db import Connection, Database, Row


class Counterpoint(BaseModel):
    """A stored counterpoint with its current standing."""

    id: int
    article_id: str | None
    claim_id: str | None
    topic: str
    text: str
    evidence: str
    sources: list[str] = Field(default_factory=list)
    origin: str  # curated, topic, community
    author: str
    pack: str | None
    key: str | None
    hidden: bool
    hidden_reason: str
    created_at: datetime
    intercept: float | None = None
    factor: float | None = None
    ratings: int = 0
    status: str | None = None
    author_proof: str | None = None

    @property
    def ref(self) -> str:
        return f"cp{self.id}"


_SELECT = ("SELECT c.*, s.intercept, s.factor, s.ratings AS rated, s.status FROM counterpoints c"
           " LEFT JOIN counterpoint_scores s ON s.counterpoint_id = c.id")


def _row(r: Row) -> Counterpoint:
    return Counterpoint(
        id=r["id"], article_id=r["article_id"], claim_id=r["claim_id"], topic=r["topic"],
        text=r["text"], evidence=r["evidence"], sources=json.loads(r["sources"]),
        origin=r["origin"], author=r["author"], pack=r["pack"], key=r["key"],
        hidden=bool(r["hidden"]), hidden_reason=r["hidden_reason"],
        created_at=datetime.fromisoformat(r["created_at"]), intercept=r["intercept"],
        factor=r["factor"], ratings=r["rated"] or 0, status=r["status"],
        author_proof=r["author_proof"])


async def add_in(conn: Connection, *, article_id: str | None, claim_id: str | None,
                 topic: str, text: str, evidence: str, sources: list[str], origin: str,
                 author: str, at: datetime, pack: str | None = None, key: str | None = None
                 ) -> int:
    """Insert one counterpoint (a pack item already present for the article is left alone)."""
    row = await conn.fetchone(
        "INSERT INTO counterpoints (article_id, claim_id, topic, text, evidence, sources, origin,"
        " author, pack, key, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT (article_id, key) WHERE key IS NOT NULL DO NOTHING RETURNING id",
        (article_id, claim_id, topic, text, evidence, json.dumps(sources), origin, author, pack,
         key, at.isoformat()))
    return int(row["id"]) if row else 0


async def for_article(db: Database, article_id: str, include_hidden: bool = False
                      ) -> list[Counterpoint]:
    """An index probe on /counterpoint's path, read on the loop (``Database.read``)."""
    sql = _SELECT + " WHERE c.article_id = ?" + ("" if include_hidden else " AND c.hidden = 0")
    return [_row(r) for r in await db.read(sql + " ORDER BY c.id", (article_id,))]


async def get(db: Database, counterpoint_id: int) -> Counterpoint | None:
    row = await db.fetchone(_SELECT + " WHERE c.id = ?", (counterpoint_id,))
    return _row(row) if row else None


async def hide_in(conn: Connection, counterpoint_id: int, reason: str) -> None:
    await conn.execute("UPDATE counterpoints SET hidden = 1, hidden_reason = ? WHERE id = ?",
                       (reason, counterpoint_id))


async def rate_in(conn: Connection, counterpoint_id: int, rater: str, value: float,
                  at: datetime) -> bool:
    """Record a rating, replacing the rater's earlier one; ``True`` if it replaced one."""
    existed = await conn.fetchone("SELECT 1 FROM ratings WHERE counterpoint_id = ?"
                                  " AND rater = ?", (counterpoint_id, rater)) is not None
    await conn.execute(
        "INSERT INTO ratings (counterpoint_id, rater, value, created_at) VALUES (?,?,?,?)"
        " ON CONFLICT (counterpoint_id, rater) DO UPDATE SET value = excluded.value,"
        " created_at = excluded.created_at", (counterpoint_id, rater, value, at.isoformat()))
    return existed


async def all_ratings(db: Database) -> list[tuple[str, int, float]]:
    rows = await db.fetchall("SELECT rater, counterpoint_id, value FROM ratings"
                             " ORDER BY counterpoint_id, rater")
    return [(r["rater"], r["counterpoint_id"], r["value"]) for r in rows]


async def save_scores(db: Database, scores: Iterable[tuple[int, float, float, int, str]],
                      at: datetime) -> None:
    """Replace every bridging score in one transaction (an upsert, so two refits that overlap
    on PostgreSQL leave the later one's scores rather than a unique violation)."""
    rows = [(*s, at.isoformat()) for s in scores]
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM counterpoint_scores WHERE fitted_at != ?",
                           (at.isoformat(),))
        await conn.executemany(
            "INSERT INTO counterpoint_scores (counterpoint_id, intercept, factor, ratings, status,"
            " fitted_at) VALUES (?,?,?,?,?,?) ON CONFLICT (counterpoint_id) DO UPDATE SET"
            " intercept = excluded.intercept, factor = excluded.factor,"
            " ratings = excluded.ratings, status = excluded.status,"
            " fitted_at = excluded.fitted_at", rows)


async def packs_applied(db: Database, article_id: str) -> set[str]:
    rows = await db.read("SELECT pack FROM article_packs WHERE article_id = ?", (article_id,))
    return {r["pack"] for r in rows}


async def mark_pack_in(conn: Connection, article_id: str, pack: str) -> None:
    await conn.execute("INSERT INTO article_packs (article_id, pack) VALUES (?, ?)"
                       " ON CONFLICT DO NOTHING", (article_id, pack))


async def _salt(conn: Connection | Database) -> bytes:
    row = await conn.fetchone("SELECT value FROM instance_secrets WHERE name = 'author_salt'")
    return bytes(row[0]) if row else b""


async def author_proof(db: Database, author: str) -> str:
    """The keyed hash an anonymised counterpoint keeps of its author."""
    return _proof(await _salt(db), author)


def _proof(salt: bytes, author: str) -> str:
    return hmac.new(salt, author.encode("utf-8"), hashlib.sha256).hexdigest()


async def is_author(db: Database, cp: Counterpoint, member: str) -> bool:
    """Whether ``member`` wrote ``cp``, by name or, once anonymised, by the kept proof."""
    if cp.origin != "community":
        return False
    if cp.author == member:
        return True
    return cp.author_proof is not None and hmac.compare_digest(
        cp.author_proof, await author_proof(db, member))


async def forget_rater(db: Database, rater: str, remove_contributions: bool) -> tuple[int, int]:
    """Delete a member's ratings, and remove or anonymise their counterpoints, in one
    transaction; returns (ratings deleted, counterpoints removed or anonymised).

    An anonymised counterpoint keeps a keyed hash of its author (never the name), so its author
    still cannot rate it.
    """
    async with db.transaction() as conn:
        ratings = await conn.execute("DELETE FROM ratings WHERE rater = ?", (rater,))
        if remove_contributions:
            changed = await conn.execute("DELETE FROM counterpoints WHERE origin = 'community'"
                                     " AND author = ?", (rater,))
        else:
            changed = await conn.execute("UPDATE counterpoints SET author = 'a former member',"
                                     " author_proof = ? WHERE origin = 'community' AND author = ?",
                                     (_proof(await _salt(conn), rater), rater))
        return ratings, changed


async def save_rater_factors(db: Database, factors: dict[str, float], at: datetime) -> None:
    """Replace every rater's fitted viewpoint factor in one transaction."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM rater_factors")
        await conn.executemany(
            "INSERT INTO rater_factors (rater, factor, ratings, fitted_at) VALUES (?,?,0,?)",
            [(rater, factor, at.isoformat()) for rater, factor in sorted(factors.items())])


async def rater_factor(db: Database, rater: str) -> float | None:
    rows = await db.read("SELECT factor FROM rater_factors WHERE rater = ?", (rater,))
    return float(rows[0]["factor"]) if rows else None


async def rater_sides(db: Database, counterpoint_ids: list[int], epsilon: float
                      ) -> dict[int, tuple[int, int]]:
    """Per counterpoint, how many of its raters lean each way (factor above ``epsilon``, below
    minus ``epsilon``)."""
    if not counterpoint_ids:
        return {}
    marks = ",".join("?" * len(counterpoint_ids))
    rows = await db.fetchall(
        "SELECT r.counterpoint_id AS id,"
        " SUM(CASE WHEN f.factor > ? THEN 1 ELSE 0 END) AS pos,"
        " SUM(CASE WHEN f.factor < ? THEN 1 ELSE 0 END) AS neg"
        f" FROM ratings r JOIN rater_factors f ON f.rater = r.rater"
        f" WHERE r.counterpoint_id IN ({marks}) GROUP BY r.counterpoint_id",
        [epsilon, -epsilon, *counterpoint_ids])
    return {r["id"]: (int(r["pos"] or 0), int(r["neg"] or 0)) for r in rows}
