"""Rate-limit buckets in the database: saved across restarts, or shared by many processes.

One table, two ways of using it. A lone process keeps its buckets in memory and saves them
(``load``/``save``), so a restart does not refill anyone's allowance. Processes sharing a
PostgreSQL database spend from the rows themselves (``take``): one statement refills and spends
a bucket atomically (an upsert), so N processes let exactly as many requests through as one.
"""

from __future__ import annotations

from collections.abc import Iterable

from parley.store.db import Database

# A bucket refills completely within a minute; older rows say nothing a full bucket does not.
KEEP_SECONDS = 120.0

Row = tuple[str, str, float, float]  # scope, key, tokens, updated (Unix time)

# The bucket's tokens after refilling for the time since it was last counted, capped.
_ELAPSED = ("CASE WHEN excluded.updated_at > rate_buckets.updated_at"
            " THEN excluded.updated_at - rate_buckets.updated_at ELSE 0 END")
_REFILLED = (f"CASE WHEN rate_buckets.tokens + ({_ELAPSED}) * ? > ? THEN ?"
             f" ELSE rate_buckets.tokens + ({_ELAPSED}) * ? END")
_TAKE = (
    "INSERT INTO rate_buckets (scope, key, tokens, updated_at, spent) VALUES (?, ?, ?, ?, 1)"
    " ON CONFLICT (scope, key) DO UPDATE SET"
    f" tokens = CASE WHEN {_REFILLED} >= 1 THEN {_REFILLED} - 1 ELSE {_REFILLED} END,"
    f" spent = CASE WHEN {_REFILLED} >= 1 THEN 1 ELSE 0 END,"
    " updated_at = CASE WHEN excluded.updated_at > rate_buckets.updated_at"
    " THEN excluded.updated_at ELSE rate_buckets.updated_at END"
    " RETURNING tokens, spent")


async def load(db: Database, now: float) -> list[Row]:
    """The buckets spent from recently enough to still matter."""
    rows = await db.fetchall("SELECT scope, key, tokens, updated_at FROM rate_buckets"
                             " WHERE updated_at > ?", (now - KEEP_SECONDS,))
    return [(r["scope"], r["key"], r["tokens"], r["updated_at"]) for r in rows]


async def save(db: Database, rows: Iterable[Row], now: float) -> None:
    """Upsert the buckets and drop the stale ones, in one transaction."""
    batch = [(scope, key, float(tokens), float(updated)) for scope, key, tokens, updated in rows]
    if not batch:
        return
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO rate_buckets (scope, key, tokens, updated_at) VALUES (?,?,?,?)"
            " ON CONFLICT (scope, key) DO UPDATE SET tokens = excluded.tokens,"
            " updated_at = excluded.updated_at", batch)
        await conn.execute("DELETE FROM rate_buckets WHERE updated_at <= ?",
                           (now - KEEP_SECONDS,))


async def take(db: Database, scope: str, key: str, capacity: float, per_second: float,
               now: float) -> float:
    """Spend a token from the shared bucket: 0.0 if one was spent, else seconds until one is."""
    refill = (float(per_second), float(capacity), float(capacity), float(per_second))
    row = await db.fetchone(_TAKE, (scope, key, float(capacity) - 1.0, float(now),
                                    *(refill * 4)))
    if row is None or int(row["spent"]) == 1:
        return 0.0
    return max(1.0 - float(row["tokens"]), 0.0) / per_second


async def prune(db: Database, now: float) -> int:
    """Forget buckets untouched for long enough to be full again (nothing is lost)."""
    return await db.write("DELETE FROM rate_buckets WHERE updated_at <= ?",
                          (float(now) - KEEP_SECONDS,))
