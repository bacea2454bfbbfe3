"""Platform requests already handled (a Slack request, a Discord interaction), so a replay or a
redelivery runs once, across restarts too."""

from __future__ import annotations

from parley.store.db import Database


async def first_time(db: Database, key: str, now: float, keep_s: float) -> bool:
    """Record ``key``; False if it was already recorded within ``keep_s`` seconds."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM handled_requests WHERE seen_at < ?", (now - keep_s,))
        return bool(await conn.execute("INSERT INTO handled_requests (id, seen_at) VALUES (?, ?)"
                                       " ON CONFLICT (id) DO NOTHING", (key, now)))
