"""Digest fan-out: many subscriptions due in the same minute, composed and handed to posters."""

from __future__ import annotations

import asyncio
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.workloads import bench_settings
from parley.cli.app import open_services
from parley.core.digest.scheduler import tick
from parley.core.models import Reply, Request, Role
from parley.core.platform import PostKey
from parley.store import digests

SLOT = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


class CountingPoster:
    def __init__(self) -> None:
        self.count = 0

    async def post(self, channel: str, reply: Reply, key: PostKey | None = None) -> str:
        self.count += 1
        return str(self.count)


async def _run(total: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(Path(tmp) / "fanout.db")
        async with open_services(settings) as services:
            async with services.db.transaction() as conn:
                for i in range(total):
                    request = Request(platform="console", workspace="w", channel=f"c{i}",
                                      user="mod", role=Role.MODERATOR, command="digest")
                    await digests.add_in(conn, request, None, "0 9 * * *", "daily 09:00", "UTC",
                                         SLOT, SLOT - timedelta(days=1))
            poster = CountingPoster()
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            report = await tick(services.db, {"console": poster}, SLOT + timedelta(seconds=30),
                                timedelta(hours=1))
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            # the floor: a cron job posting one fixed message to every channel
            fixed, naive = Reply(text="Today's digest."), CountingPoster()
            started = time.perf_counter()
            for sub in await digests.due(services.db, SLOT + timedelta(days=1, seconds=30)):
                await naive.post(sub.channel, fixed)
            floor = time.perf_counter() - started
    assert len(report.posted) == poster.count == total == naive.count
    return {"subscriptions": total, "seconds": round(seconds, 2),
            "floor_seconds": round(floor, 3),
            "per_second": round(total / seconds), "peak_rss_mb": round(peak / 1024, 1),
            "rss_growth_mb": round((peak - before) / 1024, 1)}


def run(quick: bool) -> dict[str, float]:
    return asyncio.run(_run(1_000 if quick else 10_000))


if __name__ == "__main__":
    print(run(quick=False))
