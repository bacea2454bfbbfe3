"""One of several Parley processes sharing a PostgreSQL database (for the multi-process tests).

``python -m tests.e2e.many_worker digest URL POSTS T0 LEASE_S`` runs the real scheduler until
no digest of the test's slot is due, appending each post's channel to POSTS (one line per
post, written before the post is recorded, as a platform would have received it); its clock is
the slot plus the seconds since T0. With a fifth argument ``wait`` it prints ``ready`` once
connected and starts when a line arrives on standard input (the bench times only the work).
``… ratelimit URL ATTEMPTS START`` spends from one shared bucket (20 a minute, the clock held
still) ATTEMPTS times from START and prints how many were let through.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import UTC, datetime, timedelta

from parley.cli.app import open_services
from parley.core.digest.scheduler import tick
from parley.core.models import Reply
from parley.core.platform import PostKey
from parley.core.ratelimit import SharedBuckets
from parley.core.settings import Settings
from parley.store.db import Database

SLOT = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


async def fill(settings: Settings, total: int) -> None:
    """The example article and ``total`` daily subscriptions on it, all due at SLOT."""
    async with open_services(settings) as services:
        row = await services.db.fetchone("SELECT id FROM articles")
        assert row is not None
        async with services.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO digest_subscriptions (platform, workspace, channel, article_id,"
                " schedule, label, timezone, next_run_at, created_by, created_at)"
                " VALUES ('console', 'w', ?, ?, '0 9 * * *', 'daily 09:00', 'UTC', ?, 'mod', ?)",
                [(f"c{i}", row["id"], SLOT.isoformat(), SLOT.isoformat())
                 for i in range(total)])


class FilePoster:
    """Writes each post's channel to a file, one atomic append per post."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    async def post(self, channel: str, reply: Reply, key: PostKey | None = None) -> str:
        os.write(self.fd, f"{channel}\n".encode())
        return channel


async def digest(url: str, posts: str, t0: float, lease_s: float, wait: bool = False) -> None:
    db = await Database.open(url)
    poster = FilePoster(posts)
    if wait:
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)

    def clock() -> datetime:
        return SLOT + timedelta(seconds=30 + time.time() - t0)

    try:
        while True:
            await tick(db, {"console": poster}, clock(), timedelta(hours=1),
                       holder=f"worker-{os.getpid()}", lease=timedelta(seconds=lease_s),
                       clock=clock)
            row = await db.fetchone("SELECT COUNT(*) AS n FROM digest_subscriptions"
                                    " WHERE next_run_at <= ?", (SLOT.isoformat(),))
            if row is None or row["n"] == 0:
                return
            await asyncio.sleep(0.2)  # what is left is held by a lease: wait it out
    finally:
        await db.close()


async def ratelimit(url: str, attempts: int, start: float) -> None:
    db = await Database.open(url)
    buckets = SharedBuckets(db, "member", 20, clock=lambda: 1_000_000.0)
    await asyncio.sleep(max(start - time.time(), 0.0))
    allowed = 0
    for _ in range(attempts):
        allowed += await buckets.take("console:w:u1") == 0.0
    print(allowed)
    await db.close()


if __name__ == "__main__":
    kind, url, *rest = sys.argv[1:]
    if kind == "digest":
        asyncio.run(digest(url, rest[0], float(rest[1]), float(rest[2]), rest[3:] == ["wait"]))
    else:
        asyncio.run(ratelimit(url, int(rest[0]), float(rest[1])))
