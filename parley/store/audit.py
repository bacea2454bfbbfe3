"""The audit log: every moderator write records who did what, in the same transaction."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from parley.core.models import Request
from parley.store.db import Connection, Database


class AuditEntry(BaseModel):
    """One recorded moderator action."""

    id: int
    at: datetime
    platform: str
    workspace: str
    channel: str
    actor: str
    role: str
    action: str
    target: str
    detail: dict[str, Any]


async def record(
    conn: Connection, request: Request, action: str, target: str,
    detail: dict[str, Any], at: datetime,
) -> None:
    """Write one audit entry in the caller's transaction, so action and record commit together."""
    await conn.execute(
        "INSERT INTO audit_log (at, platform, workspace, channel, actor, role, action, target,"
        " detail) VALUES (?,?,?,?,?,?,?,?,?)",
        (at.isoformat(), request.platform, request.workspace, request.channel, request.user,
         request.role.label, action, target, json.dumps(detail, ensure_ascii=False)),
    )


async def recent(db: Database, limit: int = 50) -> list[AuditEntry]:
    rows = await db.fetchall("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
    return [AuditEntry(id=r["id"], at=datetime.fromisoformat(r["at"]), platform=r["platform"],
                       workspace=r["workspace"], channel=r["channel"], actor=r["actor"],
                       role=r["role"], action=r["action"], target=r["target"],
                       detail=json.loads(r["detail"])) for r in rows]
