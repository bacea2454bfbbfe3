"""Platform requests already handled (a Slack request, a Discord interaction), so a replay or a
redelivery runs once, across restarts too."""

from __future__ import annotations

from collections.abc import Sequence

from parley.store.db import Database


def _after(prefix: str) -> str:
    """The first key past every key that starts with ``prefix`` (for a range of the index)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


async def seen_since(db: Database, key: str, since: float) -> bool:
    """Whether ``key`` was recorded at ``since`` or later (one primary-key probe, on the read
    connection: another process's record of a request)."""
    return bool(await db.read("SELECT 1 FROM handled_requests WHERE id = ? AND seen_at >= ?",
                              (key, since)))


async def record_many(db: Database, rows: Sequence[tuple[str, float]]) -> None:
    """Record many (key, Unix time) at once, in one transaction (the latest time kept)."""
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO handled_requests (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE"
            " SET seen_at = excluded.seen_at WHERE handled_requests.seen_at < excluded.seen_at",
            rows)


async def recent(db: Database, prefix: str, since: float) -> list[tuple[str, float]]:
    """The keys starting with ``prefix`` recorded at ``since`` or later, oldest first (a range
    of the primary key: the table holds only the last minutes' requests)."""
    rows = await db.fetchall(
        "SELECT id, seen_at FROM handled_requests WHERE id >= ? AND id < ? AND seen_at >= ?"
        " ORDER BY seen_at", (prefix, _after(prefix), since))
    return [(str(r["id"]), float(r["seen_at"])) for r in rows]


async def prune(db: Database, before: float, prefix: str = "") -> int:
    """Forget the requests (those whose key starts with ``prefix``) recorded before ``before``
    (Unix time); how many."""
    if not prefix:
        return await db.write("DELETE FROM handled_requests WHERE seen_at < ?", (before,))
    return await db.write("DELETE FROM handled_requests WHERE id >= ? AND id < ? AND seen_at < ?",
                          (prefix, _after(prefix), before))
