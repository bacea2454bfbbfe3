"""Members' requests for the other side of a claim: opened, listed for contributors, answered
when a counterpoint is added to the claim."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from parley.core.models import Request
from parley.store.db import Connection, Database


class OpenRequest(BaseModel):
    """A claim people asked the other side of, with how many asked and since when."""

    claim_id: str
    article_id: str
    text: str
    asked: int
    since: datetime


async def add_in(conn: Connection, request: Request, rater: str, article_id: str,
                 claim_id: str, at: datetime) -> bool:
    """Record a member's request; False if they already asked for this claim."""
    changed = await conn.execute(
        "INSERT INTO counterpoint_requests (article_id, claim_id, requester, platform, workspace,"
        " channel, created_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (claim_id, requester)"
        " DO NOTHING", (article_id, claim_id, rater, request.platform, request.workspace,
                        request.channel, at.isoformat()))
    return bool(changed)


async def open_requests(db: Database, article_id: str | None = None, limit: int = 50
                        ) -> list[OpenRequest]:
    """Claims with unanswered requests, the longest waiting first."""
    where = " AND r.article_id = ?" if article_id else ""
    rows = await db.fetchall(
        "SELECT r.claim_id, r.article_id, c.text, COUNT(*) AS asked, MIN(r.created_at) AS since"
        " FROM counterpoint_requests r JOIN claims c ON c.id = r.claim_id"
        f" WHERE r.answered_at IS NULL{where} GROUP BY r.claim_id, r.article_id, c.text"
        " ORDER BY since, r.claim_id LIMIT ?", [*([article_id] if article_id else []), limit])
    return [OpenRequest(claim_id=r["claim_id"], article_id=r["article_id"], text=r["text"],
                        asked=r["asked"], since=datetime.fromisoformat(r["since"]))
            for r in rows]


async def answer_in(conn: Connection, claim_id: str, counterpoint_id: int,
                    at: datetime) -> int:
    """Mark every open request on the claim answered by this counterpoint; how many were."""
    return await conn.execute(
        "UPDATE counterpoint_requests SET answered_at = ?, counterpoint_id = ?"
        " WHERE claim_id = ? AND answered_at IS NULL", (at.isoformat(), counterpoint_id, claim_id))


Waits = tuple[int, list[float], list[float]]  # opened, hours answered ones waited, still open


async def waits_for(db: Database, platform: str, workspace: str, channels: list[str],
                    since: datetime | None, now: datetime) -> dict[str, Waits]:
    """For each of a workspace's ``channels``' digests, in one query: requests opened since a
    moment, the hours answered ones waited, and the hours still-open ones have waited so far."""
    after = since.isoformat() if since else ""
    marks = ",".join("?" * len(channels))
    rows = await db.fetchall(
        "SELECT channel, created_at, answered_at FROM counterpoint_requests WHERE platform = ?"
        f" AND workspace = ? AND channel IN ({marks}) AND (answered_at IS NULL OR"
        " answered_at > ? OR created_at > ?)",
        (platform, workspace, *channels, after, after)) if channels else []
    opened = dict.fromkeys(channels, 0)
    answered: dict[str, list[float]] = {c: [] for c in channels}
    waiting: dict[str, list[float]] = {c: [] for c in channels}
    for r in rows:
        channel = r["channel"]
        created = datetime.fromisoformat(r["created_at"])
        if since is None or created > since:
            opened[channel] += 1
        if r["answered_at"]:
            answered[channel].append((datetime.fromisoformat(r["answered_at"]) - created)
                                     .total_seconds() / 3600)
        else:
            waiting[channel].append((now - created).total_seconds() / 3600)
    return {c: (opened[c], answered[c], waiting[c]) for c in channels}
