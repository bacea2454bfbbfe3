"""Token buckets in the database, so every process spends from the same bucket.

One statement refills and spends a bucket atomically (an upsert), so N processes let exactly
as many requests through as one would.
"""

from __future__ import annotations

from parley.store.db import Database

# The bucket's tokens after refilling for the time since it was last counted, capped.
_ELAPSED = ("CASE WHEN excluded.updated > rate_buckets.updated"
            " THEN excluded.updated - rate_buckets.updated ELSE 0 END")
_REFILLED = (f"CASE WHEN rate_buckets.tokens + ({_ELAPSED}) * ? > ? THEN ?"
             f" ELSE rate_buckets.tokens + ({_ELAPSED}) * ? END")
_TAKE = (
    "INSERT INTO rate_buckets (key, tokens, updated, spent) VALUES (?, ?, ?, 1)"
    " ON CONFLICT (key) DO UPDATE SET"
    f" tokens = CASE WHEN {_REFILLED} >= 1 THEN {_REFILLED} - 1 ELSE {_REFILLED} END,"
    f" spent = CASE WHEN {_REFILLED} >= 1 THEN 1 ELSE 0 END,"
    " updated = CASE WHEN excluded.updated > rate_buckets.updated THEN excluded.updated"
    " ELSE rate_buckets.updated END"
    " RETURNING tokens, spent")


async def take(db: Database, key: str, capacity: float, per_second: float, now: float
               ) -> float:
    """Spend a token from ``key``'s bucket: 0.0 if one was spent, else seconds until one is."""
    refill = (float(per_second), float(capacity), float(capacity), float(per_second))
    row = await db.fetchone(_TAKE, (key, float(capacity) - 1.0, float(now), *(refill * 4)))
    if row is None or int(row["spent"]) == 1:
        return 0.0
    return max(1.0 - float(row["tokens"]), 0.0) / per_second


async def prune(db: Database, before: float) -> int:
    """Forget buckets untouched since ``before`` (full again by now, so nothing is lost)."""
    return await db.write("DELETE FROM rate_buckets WHERE updated < ?", (float(before),))
