"""Four Parley processes on one PostgreSQL database: every digest slot posted once though one
process is SIGKILLed midway, and a rate limit exact across processes (real subprocesses)."""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from pathlib import Path

from parley.store.db import Database
from tests.conftest import PYTHON, cli_env, make_settings
from tests.e2e.many_worker import SLOT, fill

PROCESSES = 4
DIGESTS = 10_000  # the size
KILL_AFTER = 1_000  # posts by the first worker before it is killed (its share is about 2,500)
LEASE_S = 3.0


def _posts(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


async def test_every_digest_slot_is_posted_once_across_processes_and_a_kill(
        tmp_path: Path, pg_started_url: str) -> None:
    pg_url = pg_started_url  # the example article stored: fill adds the subscriptions only
    await fill(make_settings(tmp_path, parley_database_url=pg_url), DIGESTS)
    files = [tmp_path / f"posts-{n}.txt" for n in range(PROCESSES)]
    t0 = time.time()
    procs = [await asyncio.create_subprocess_exec(
        PYTHON, "-m", "tests.e2e.many_worker", "digest", pg_url, str(f), str(t0), str(LEASE_S),
        env=cli_env(tmp_path), stderr=asyncio.subprocess.PIPE) for f in files]
    victim = procs[0]
    try:
        deadline = time.monotonic() + 120
        while len(_posts(files[0])) < KILL_AFTER and victim.returncode is None:
            assert time.monotonic() < deadline, "the first worker never got going"
            await asyncio.sleep(0.02)
        victim.send_signal(signal.SIGKILL)  # midway through its batch, claims held
        # one generous bound for the whole run: a busy shared machine is slow, not wrong
        results = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in procs)), 600)
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode in (0, -signal.SIGKILL), err.decode()[-2000:]
    assert victim.returncode == -signal.SIGKILL

    posted = Counter(c for f in files for c in _posts(f))
    by_victim = set(_posts(files[0]))
    db = await Database.open(pg_url)
    try:
        rows = await db.fetchall("SELECT status, COUNT(*) AS n FROM digest_deliveries"
                                 " GROUP BY status")
        left = await db.fetchone("SELECT COUNT(*) AS n FROM digest_subscriptions"
                                 " WHERE next_run_at <= ?", (SLOT.isoformat(),))
    finally:
        await db.close()
    assert {r["status"]: r["n"] for r in rows} == {"sent": DIGESTS}  # recorded exactly once
    assert left is not None and left["n"] == 0
    assert set(posted) == {f"c{i}" for i in range(DIGESTS)}  # every slot posted
    assert len(by_victim) >= KILL_AFTER and sum(len(_posts(f)) > 0 for f in files[1:]) >= 2
    twice = [c for c, n in posted.items() if n > 1]
    # The one window no chat platform closes: posted, then killed before recording it.
    assert len(twice) <= 1 and set(twice) <= by_victim
    assert max(posted.values()) <= 2


async def test_a_rate_limit_is_exact_across_processes(tmp_path: Path, pg_url: str) -> None:
    start = time.time() + 2.0  # every worker connected before the first take
    procs = [await asyncio.create_subprocess_exec(
        PYTHON, "-m", "tests.e2e.many_worker", "ratelimit", pg_url, "40", str(start),
        env=cli_env(tmp_path), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE) for _ in range(PROCESSES)]
    allowed = []
    for proc in procs:
        out, err = await asyncio.wait_for(proc.communicate(), 180)
        assert proc.returncode == 0, err.decode()[-2000:]
        allowed.append(int(out))
    assert sum(allowed) == 20  # a 20-a-minute limit, 160 attempts from four processes
