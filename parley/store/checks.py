"""The queue of messages members asked the moderators to check, and who asked each."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from parley.core.models import Request
from parley.store.db import Connection, Database, Row
from parley.store.factchecks import FactCheck, get


class CheckRequest(BaseModel):
    """One text asked about, with how many members asked and the verdict once answered."""

    id: int
    text: str
    channel: str
    asked: int
    created_at: datetime
    fact_check_id: int | None = None


def _from_row(r: Row) -> CheckRequest:
    return CheckRequest(id=r["id"], text=r["text"], channel=r["channel"], asked=r["asked"],
                        created_at=datetime.fromisoformat(r["created_at"]),
                        fact_check_id=r["fact_check_id"])


_SELECT = ("SELECT q.*, (SELECT COUNT(*) FROM check_requesters r WHERE r.request_id = q.id)"
           " AS asked FROM check_requests q")


async def draft(db: Database, key: str, text: str, request: Request, at: datetime) -> int:
    """The queue entry for ``key`` (made now if new, with nobody asking yet); its id."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO check_requests (key, text, platform, workspace, channel, created_at)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT(key) DO NOTHING",
            (key, text, request.platform, request.workspace, request.channel, at.isoformat()))
        row = await conn.fetchone("SELECT id FROM check_requests WHERE key = ?", (key,))
    assert row is not None
    return int(row[0])


async def find(db: Database, request_id: int) -> CheckRequest | None:
    row = await db.fetchone(_SELECT + " WHERE q.id = ?", (request_id,))
    return _from_row(row) if row else None


async def ask(db: Database, request_id: int, request: Request, at: datetime) -> bool:
    """Record that this member asked; False if they had asked already."""
    return await db.write(
        "INSERT INTO check_requesters (request_id, platform, workspace, \"user\", channel,"
        " asked_at)"
        " VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
        (request_id, request.platform, request.workspace, request.user, request.channel,
         at.isoformat())) > 0


async def queue(db: Database, limit: int = 20) -> list[CheckRequest]:
    """Unanswered requests somebody asked for, the most asked first, then the oldest."""
    rows = await db.fetchall(
        f"SELECT * FROM ({_SELECT} WHERE q.fact_check_id IS NULL) AS open WHERE asked > 0"
        " ORDER BY asked DESC, created_at, id LIMIT ?", (limit,))
    return [_from_row(r) for r in rows]


async def answer_in(conn: Connection, request_id: int, check_id: int, at: datetime
                    ) -> None:
    """Mark a request answered by a fact check, inside the caller's transaction."""
    await conn.execute("UPDATE check_requests SET fact_check_id = ?, answered_at = ?"
                       " WHERE id = ?", (check_id, at.isoformat(), request_id))


async def requesters(db: Database, request_id: int) -> list[tuple[str, str, str, str]]:
    """(platform, workspace, channel, user) of everyone who asked."""
    rows = await db.fetchall("SELECT platform, workspace, channel, \"user\" FROM check_requesters"
                             " WHERE request_id = ? ORDER BY asked_at", (request_id,))
    return [(r["platform"], r["workspace"], r["channel"], r["user"]) for r in rows]


async def untold(db: Database, request: Request) -> list[tuple[CheckRequest, FactCheck]]:
    """Answers this member asked for and has not been shown yet, oldest first."""
    rows = await db.fetchall(
        _SELECT + " JOIN check_requesters r ON r.request_id = q.id"
        " WHERE r.platform = ? AND r.workspace = ? AND r.\"user\" = ? AND r.told_at IS NULL"
        " AND q.fact_check_id IS NOT NULL ORDER BY q.answered_at, q.id",
        (request.platform, request.workspace, request.user))
    out = []
    for row in rows:
        found = _from_row(row)
        check = await get(db, int(row["fact_check_id"]))
        if check is not None:
            out.append((found, check))
    return out


async def mark_told(db: Database, request_ids: list[int], request: Request, at: datetime
                    ) -> None:
    if not request_ids:
        return
    await db.write(
        "UPDATE check_requesters SET told_at = ? WHERE platform = ? AND workspace = ?"
        f" AND \"user\" = ? AND request_id IN ({','.join('?' * len(request_ids))})",
        (at.isoformat(), request.platform, request.workspace, request.user, *request_ids))
