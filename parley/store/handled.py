"""Platform requests already handled (a Slack request, a Discord interaction), so a replay or a
redelivery runs once, across restarts too."""

from __future__ import annotations

from parley.store.db import Database


async def first_time(db: Database, key: str, now: float, keep_s: float) -> bool:
    """Record ``key``; False if it was already recorded within ``keep_s`` seconds.

    One statement (a record older than ``keep_s`` counts as new and is renewed); old records
    are removed by :func:`prune`, not here, so a request costs one write and no scan."""
    return await db.write(
        "INSERT INTO handled_requests (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE"
        " SET seen_at = excluded.seen_at WHERE handled_requests.seen_at < ?",
        (key, now, now - keep_s)) == 1


async def prune(db: Database, before: float) -> int:
    """Forget the requests recorded before ``before`` (Unix time); how many."""
    return await db.write("DELETE FROM handled_requests WHERE seen_at < ?", (before,))
