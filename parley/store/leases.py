"""Named leases: work one process at a time does (a refit, a command sync), across processes.

A lease is a row claimed in one statement; it expires, so a killed holder blocks nobody for
longer than its lease.
"""

from __future__ import annotations

from datetime import datetime

from parley.store.db import Database


async def acquire(db: Database, name: str, holder: str, now: datetime, until: datetime) -> bool:
    """Take (or renew) the lease ``name`` until ``until``; False while another holds it."""
    return await db.write(
        "INSERT INTO leases (name, holder, expires) VALUES (?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires"
        " WHERE leases.expires <= ? OR leases.holder = excluded.holder",
        (name, holder, until.isoformat(), now.isoformat())) == 1


async def release(db: Database, name: str, holder: str) -> None:
    await db.write("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))


async def holder(db: Database, name: str, now: datetime) -> str | None:
    """Who holds the lease now, if anyone."""
    row = await db.fetchone("SELECT holder FROM leases WHERE name = ? AND expires > ?",
                            (name, now.isoformat()))
    return str(row["holder"]) if row else None
