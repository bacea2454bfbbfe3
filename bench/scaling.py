"""Many Parley processes on one PostgreSQL: Slack HTTP ``/fact`` throughput with 1, 2 and 4
worker processes (``parley run --role slack``, requests spread over them as a load balancer
would) beside 1 process on SQLite; and 10,000 due digests fanned out by 1 and 4 scheduler
processes. A throwaway PostgreSQL server (``tests/pg_server.py``) runs on loopback."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from bench.platforms_e2e import QUESTION, SECRET, _port
from bench.workloads import REPO, bench_settings
from parley.cli.app import open_services
from tests.e2e.many_worker import SLOT, fill
from tests.fakes.slack_server import form, running_fake_slack, sign, slash_payload
from tests.pg_server import Server, throwaway_server

UNLIMITED = {f"PARLEY_RATE_{s}_PER_MINUTE": "0" for s in ("MEMBER", "CHANNEL", "CONTRIBUTIONS")}
_names = itertools.count(1)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PARLEY_", "DISCORD_", "SLACK_"))}
    env.update({"PYTHONPATH": str(REPO), "PARLEY_LOG_LEVEL": "WARNING", **UNLIMITED, **extra})
    return env


async def _database(server: Server) -> str:
    name = f"bench{next(_names)}"
    conn = await asyncpg.connect(server.url())
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return server.url(name)


async def _healthy(port: int, within: float = 180.0) -> None:
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(f"http://127.0.0.1:{port}/health") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"no worker on port {port}")
            await asyncio.sleep(0.2)


async def _slack_workers(store: dict[str, str], workers: int, requests: int,
                         concurrency: int = 16) -> dict[str, float]:
    """Start the workers, spread signed /fact POSTs over them; answers per second."""
    async with running_fake_slack() as fake:
        ports = [_port() for _ in range(workers)]
        with tempfile.TemporaryDirectory() as tmp:
            procs = [await asyncio.create_subprocess_exec(
                sys.executable, "-m", "parley", "run", "--role", "slack", cwd=tmp,
                env=_env(**store, SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET=SECRET,
                         SLACK_API_BASE_URL=fake.api, PARLEY_SLACK_PORT=str(port),
                         PARLEY_SLACK_HOST="127.0.0.1"),
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
                for port in ports]
            try:
                for port in ports:
                    await _healthy(port)
                bodies = [form(slash_payload(fake, "/fact", QUESTION)) for _ in range(requests)]
                urls = itertools.cycle(f"http://127.0.0.1:{p}/slack/events" for p in ports)
                queue = [(next(urls), b) for b in bodies]
                started = time.perf_counter()

                async def client(session: aiohttp.ClientSession) -> None:
                    while queue:
                        url, body = queue.pop()
                        async with session.post(url, data=body,
                                                headers=sign(SECRET, body)) as resp:
                            await resp.read()
                            assert resp.status == 200, resp.status

                async with aiohttp.ClientSession() as session:
                    await asyncio.gather(*(client(session) for _ in range(concurrency)))
                await fake.wait_responses(requests, within=300)
                wall = time.perf_counter() - started
            finally:
                for proc in procs:
                    proc.terminate()
                for proc in procs:
                    await proc.wait()
    return {"workers": workers, "requests": requests, "seconds": round(wall, 2),
            "answers_per_second": round(requests / wall, 1)}


async def _digests(server: Server, workers: int, total: int) -> dict[str, float]:
    url = await _database(server)
    with tempfile.TemporaryDirectory() as tmp:
        await fill(bench_settings(Path(tmp) / "unused.db", parley_database_url=url), total)
        procs = [await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.e2e.many_worker", "digest", url,
            str(Path(tmp) / f"posts-{n}.txt"), str(time.time()), "300", "wait", env=_env(),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL) for n in range(workers)]
        for proc in procs:  # every worker started and connected: time only the fan-out
            assert proc.stdout is not None
            assert (await asyncio.wait_for(proc.stdout.readline(), 120)).strip() == b"ready"
        started = time.perf_counter()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write(b"go\n")
            await proc.stdin.drain()
        for proc in procs:
            await proc.wait()
        wall = time.perf_counter() - started
        posted = sum(len((Path(tmp) / f"posts-{n}.txt").read_text().split())
                     for n in range(workers) if (Path(tmp) / f"posts-{n}.txt").exists())
    assert posted == total, (posted, total)
    return {"workers": workers, "subscriptions": total, "seconds": round(wall, 2),
            "per_second": round(total / wall)}


async def _run(quick: bool) -> dict[str, Any]:
    requests = 200 if quick else 1000
    digests = 1000 if quick else 10_000
    results: dict[str, Any] = {"slack": {}, "digests": {}}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        async with open_services(bench_settings(db)):
            pass  # migrated, example loaded: the workers start alike
        results["slack"]["sqlite x1"] = await _slack_workers({"PARLEY_DB": str(db)}, 1,
                                                             requests)
    with throwaway_server() as server, tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2, 4):
            url = await _database(server)
            async with open_services(bench_settings(Path(tmp) / "unused.db",
                                                    parley_database_url=url)):
                pass
            results["slack"][f"postgresql x{workers}"] = await _slack_workers(
                {"PARLEY_DATABASE_URL": url}, workers, requests)
        for workers in (1, 4):
            results["digests"][f"postgresql x{workers}"] = await _digests(server, workers,
                                                                          digests)
    results["digest_slot"] = SLOT.isoformat()
    return results


def run(quick: bool) -> dict[str, Any]:
    return asyncio.run(_run(quick))


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=1))
