"""Feeds and their items: each item claimed with a lease before it is fetched, so restarts and
two pollers on one database ingest it once."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from parley.store.db import Connection, Database, Row


class Feed(BaseModel):
    id: int
    url: str
    title: str
    etag: str
    last_modified: str
    added_by: str
    active: bool
    failures: int
    last_error: str
    disabled_reason: str
    next_poll_at: datetime
    last_polled_at: datetime | None
    ingested: int = 0

    @property
    def ref(self) -> str:
        return f"feed-{self.id}"


def _feed(r: Row) -> Feed:
    return Feed(id=r["id"], url=r["url"], title=r["title"], etag=r["etag"],
                last_modified=r["last_modified"], added_by=r["added_by"],
                active=bool(r["active"]), failures=r["failures"], last_error=r["last_error"],
                disabled_reason=r["disabled_reason"],
                next_poll_at=datetime.fromisoformat(r["next_poll_at"]),
                last_polled_at=datetime.fromisoformat(r["last_polled_at"])
                if r["last_polled_at"] else None, ingested=r["ingested"])


_SELECT = ("SELECT f.*, (SELECT COUNT(*) FROM feed_items i WHERE i.feed_id = f.id"
           " AND i.status = 'ingested') AS ingested FROM feeds f")


async def add_in(conn: Connection, url: str, by: str, at: datetime) -> int | None:
    """A new feed, polled at once; None if that address is already followed."""
    row = await conn.fetchone(
        "INSERT INTO feeds (url, added_by, added_at, next_poll_at) VALUES (?,?,?,?)"
        " ON CONFLICT (url) DO NOTHING RETURNING id", (url, by, at.isoformat(), at.isoformat()))
    return int(row["id"]) if row else None


async def all_feeds(db: Database) -> list[Feed]:
    return [_feed(r) for r in await db.fetchall(_SELECT + " ORDER BY f.id")]


async def get(db: Database, feed_id: int) -> Feed | None:
    row = await db.fetchone(_SELECT + " WHERE f.id = ?", (feed_id,))
    return _feed(row) if row else None


async def remove_in(conn: Connection, feed_id: int) -> None:
    await conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))


async def due(db: Database, now: datetime) -> list[Feed]:
    rows = await db.fetchall(_SELECT + " WHERE f.active = 1 AND f.next_poll_at <= ?"
                             " ORDER BY f.next_poll_at, f.id", (now.isoformat(),))
    return [_feed(r) for r in rows]


async def claim_poll(db: Database, feed_id: int, holder: str, now: datetime,
                     lease_until: datetime) -> bool:
    """Take the feed's poll for this moment; False if another poller holds it or it is not due."""
    changed = await db.write(
        "UPDATE feeds SET poll_holder = ?, poll_lease = ? WHERE id = ? AND active = 1"
        " AND next_poll_at <= ? AND poll_lease <= ?",
        (holder, lease_until.isoformat(), feed_id, now.isoformat(), now.isoformat()))
    return changed == 1


async def polled(db: Database, feed_id: int, title: str, etag: str, last_modified: str,
                 now: datetime, next_poll_at: datetime) -> None:
    await db.write(
        "UPDATE feeds SET title = CASE WHEN ? = '' THEN title ELSE ? END, etag = ?,"
        " last_modified = ?, failures = 0, last_error = '', last_polled_at = ?,"
        " next_poll_at = ?, poll_holder = '', poll_lease = '' WHERE id = ?",
        (title, title, etag, last_modified, now.isoformat(), next_poll_at.isoformat(), feed_id))


async def poll_failed(db: Database, feed_id: int, error: str, now: datetime,
                      next_poll_at: datetime) -> int:
    """Count a failed poll; returns the failures in a row."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE feeds SET failures = failures + 1, last_error = ?, last_polled_at = ?,"
            " next_poll_at = ?, poll_holder = '', poll_lease = '' WHERE id = ?",
            (error[:300], now.isoformat(), next_poll_at.isoformat(), feed_id))
        row = await conn.fetchone("SELECT failures FROM feeds WHERE id = ?", (feed_id,))
    return int(row["failures"]) if row else 0


async def disable_in(conn: Connection, feed_id: int, reason: str) -> None:
    await conn.execute("UPDATE feeds SET active = 0, disabled_reason = ? WHERE id = ?",
                       (reason[:300], feed_id))


async def known_url(db: Database, url: str) -> bool:
    """An article from this address is stored, or a feed item with it was ingested."""
    row = await db.fetchone(
        "SELECT 1 AS x FROM articles WHERE url = ? UNION ALL SELECT 1 AS x FROM feed_items"
        " WHERE url = ? AND status = 'ingested' LIMIT 1", (url, url))
    return row is not None


async def claim_item(db: Database, feed_id: int, key: str, url: str, holder: str, now: datetime,
                     lease_until: datetime) -> bool:
    """Claim one item for fetching, in one atomic statement. False when it was ingested or given
    up, or a lease (another poller's, or a failure's back-off) holds it."""
    changed = await db.write(
        "INSERT INTO feed_items (feed_id, item_key, url, status, claimed_by, lease_expires,"
        " attempts, seen_at) VALUES (?, ?, ?, 'claimed', ?, ?, 1, ?)"
        " ON CONFLICT (feed_id, item_key) DO UPDATE SET status = 'claimed',"
        " claimed_by = excluded.claimed_by, lease_expires = excluded.lease_expires,"
        " attempts = feed_items.attempts + 1 WHERE feed_items.status IN ('claimed', 'failed')"
        " AND feed_items.lease_expires <= ?",
        (feed_id, key, url, holder, lease_until.isoformat(), now.isoformat(), now.isoformat()))
    return changed == 1


async def item_done(db: Database, feed_id: int, key: str, article_id: str | None) -> None:
    await db.write("UPDATE feed_items SET status = 'ingested', article_id = ?, error = ''"
                   " WHERE feed_id = ? AND item_key = ?", (article_id, feed_id, key))


async def item_failed(db: Database, feed_id: int, key: str, error: str, retry_after: datetime,
                      max_attempts: int) -> None:
    """Back off before the next try; after ``max_attempts`` the item is skipped for good."""
    await db.write(
        "UPDATE feed_items SET status = CASE WHEN attempts >= ? THEN 'skipped' ELSE 'failed'"
        " END, error = ?, lease_expires = ? WHERE feed_id = ? AND item_key = ?",
        (max_attempts, error[:300], retry_after.isoformat(), feed_id, key))


async def release_claims(db: Database, holder: str, now: datetime) -> int:
    """Give up what ``holder`` claimed but never finished (a poller stopping mid-poll)."""
    await db.write("UPDATE feeds SET poll_holder = '', poll_lease = '' WHERE poll_holder = ?",
                   (holder,))
    return await db.write("UPDATE feed_items SET status = 'failed', lease_expires = ?"
                          " WHERE claimed_by = ? AND status = 'claimed'",
                          (now.isoformat(), holder))


async def items(db: Database, feed_id: int) -> list[tuple[str, str, int, str | None]]:
    rows = await db.fetchall("SELECT item_key, status, attempts, article_id FROM feed_items"
                             " WHERE feed_id = ? ORDER BY item_key", (feed_id,))
    return [(r["item_key"], r["status"], r["attempts"], r["article_id"]) for r in rows]
