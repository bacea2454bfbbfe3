"""Rate-limit buckets saved across restarts, so a restart does not refill anyone's allowance."""

from __future__ import annotations

from collections.abc import Iterable

from parley.store.db import Database

# A bucket refills completely within a minute; older rows say nothing a full bucket does not.
KEEP_SECONDS = 120.0

Row = tuple[str, str, float, float]  # scope, key, tokens, updated (Unix time)


async def load(db: Database, now: float) -> list[Row]:
    """The buckets spent from recently enough to still matter."""
    rows = await db.fetchall("SELECT scope, key, tokens, updated_at FROM rate_buckets"
                             " WHERE updated_at > ?", (now - KEEP_SECONDS,))
    return [(r["scope"], r["key"], r["tokens"], r["updated_at"]) for r in rows]


async def save(db: Database, rows: Iterable[Row], now: float) -> None:
    """Upsert the buckets and drop the stale ones, in one transaction."""
    batch = list(rows)
    if not batch:
        return
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO rate_buckets (scope, key, tokens, updated_at) VALUES (?,?,?,?)"
            " ON CONFLICT (scope, key) DO UPDATE SET tokens = excluded.tokens,"
            " updated_at = excluded.updated_at", batch)
        await conn.execute("DELETE FROM rate_buckets WHERE updated_at <= ?",
                           (now - KEEP_SECONDS,))
