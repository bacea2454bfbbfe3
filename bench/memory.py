"""Memory: resident set size of a fresh process idle with both adapters connected (to the local
fake Slack and Discord), beside bare slack-bolt and discord.py apps doing the same; and Parley's
after 10,000 articles are stored and its cache of article indexes is full, beside rank-bm25
indexing the same store's sentences. ``python -m bench.memory asked`` (one process): Parley
idle as above once its articles are encoded and it has answered one ``/fact`` and one
``/check`` (every encoder graph loaded: the exact one, ``/check``'s integer one and ``/fact``'s
own)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.workloads import REPO

SETTLE_S = 1.0


def _rss_mb() -> dict[str, float]:
    """Current and peak resident set size of this process (Linux ``/proc``)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS", 0.0), "peak_mb": fields.get("VmHWM", 0.0)}


async def _bare() -> dict[str, float]:
    import discord
    from aiohttp import web
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    from parley.adapters.discord.client import configure_endpoints
    from parley.adapters.slack.server import web_app
    from tests.fakes.discord_server import running_fake_discord
    from tests.fakes.slack_server import running_fake_slack

    async with running_fake_slack() as slack, running_fake_discord() as fake:
        app = AsyncApp(client=AsyncWebClient(token="xoxb-bare", base_url=slack.api),
                       signing_secret="bench")
        runner = web.AppRunner(web_app(app))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        configure_endpoints(fake.api, fake.gateway)
        client = discord.Client(intents=discord.Intents.none())
        await client.login("MTEwMDAwMDAwMDAwMDAwMDAy.bench.token")
        task = asyncio.create_task(client.connect(reconnect=False))
        await asyncio.wait_for(fake.ready.wait(), 15)
        await asyncio.sleep(SETTLE_S)
        measured = _rss_mb()
        await client.close()
        task.cancel()
        await runner.cleanup()
    return measured


async def _asked(services: Any) -> dict[str, str]:
    """One ``/fact`` and one ``/check`` in the console channel, once the articles are encoded;
    each reply's kind (so a figure never hides a command that failed)."""
    from parley.core.ingest.encodings import encode_stored
    from parley.core.models import Request, Role
    from parley.core.registry import run_line

    await encode_stored(services.db, services.workers)
    base = Request(platform="console", channel="console", user="bench", role=Role.MEMBER,
                   command="help")
    kinds: dict[str, str] = {}
    for line in ("/fact how much do the two countries trade?",
                 "/check The new border wall cost taxpayers $25 billion"):
        kinds[line.split()[0]] = (await run_line(services.registry, line, base, services)).kind
    return kinds


async def _parley(articles: int, asked: bool = False) -> dict[str, Any]:
    from bench.fact_latency import _fill
    from bench.platforms_e2e import _port as _free_port
    from bench.workloads import bench_settings
    from parley.adapters.discord.client import serve as serve_discord
    from parley.adapters.slack.server import serve as serve_slack
    from parley.cli.app import open_services
    from parley.core.search.lookup import article_index
    from parley.store import articles as article_store
    from tests.fakes.discord_server import GUILD_ID, running_fake_discord
    from tests.fakes.slack_server import running_fake_slack

    async with running_fake_slack() as slack, running_fake_discord() as fake:
        with tempfile.TemporaryDirectory() as tmp:
            settings = bench_settings(
                Path(tmp) / "m.db", slack_bot_token="xoxb-bench", slack_signing_secret="bench",
                slack_api_base_url=slack.api,
                parley_slack_host="127.0.0.1", parley_slack_port=_free_port(),
                discord_token="MTEwMDAwMDAwMDAwMDAwMDAy.b.t",
                discord_api_base_url=fake.api, discord_gateway_url=fake.gateway,
                discord_guild_ids=[int(GUILD_ID)])
            async with open_services(settings) as services:
                stop = asyncio.Event()
                tasks = [asyncio.create_task(serve_slack(services, stop)),
                         asyncio.create_task(serve_discord(services, stop))]
                await asyncio.wait_for(fake.ready.wait(), 15)
                if articles > 1:
                    await _fill(services.db, articles)
                    # lookups fill the bounded cache of article indexes: fill it
                    for article in await article_store.list_all(services.db, limit=300):
                        await article_index(services.db, article.id)
                kinds = await _asked(services) if asked else None
                await asyncio.sleep(SETTLE_S)
                measured: dict[str, Any] = _rss_mb()
                if kinds is not None:
                    measured["replies"] = kinds
                stop.set()
                await asyncio.gather(*tasks)
    return measured


async def _bm25(articles: int) -> dict[str, float]:
    """The same store searched with rank-bm25: every sentence tokenised into one index."""
    from rank_bm25 import BM25Okapi

    from bench.fact_latency import _fill
    from parley.core.analysis.tokens import content_stems
    from parley.store.db import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "b.db")
        try:
            await _fill(db, articles)
            rows = await db.fetchall("SELECT text FROM sentences")
            index = BM25Okapi([content_stems(r["text"]) for r in rows])
            del rows
            await asyncio.sleep(SETTLE_S)
            measured = _rss_mb()
            assert index.corpus_size > 0
        finally:
            await db.close()
    return measured


def _child(mode: str) -> None:
    if mode.startswith("bm25-"):
        print(json.dumps(asyncio.run(_bm25(int(mode[5:])))))
        return
    work = (_bare() if mode == "bare" else _parley(1, asked=True) if mode == "asked"
            else _parley(int(mode)))
    print(json.dumps(asyncio.run(work)))


def _measure(mode: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-m", "bench.memory", mode], cwd=REPO,
                         capture_output=True, text=True, timeout=1200, check=True)
    parsed: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return parsed


def run(quick: bool) -> dict[str, Any]:
    stored = 1_000 if quick else 10_000
    return {"bare": _measure("bare"), "idle": _measure("1"), "stored": stored,
            "loaded": _measure(str(stored)), "bm25": _measure(f"bm25-{stored}")}


if __name__ == "__main__":
    if len(sys.argv) > 1:
        _child(sys.argv[1])
    else:
        print(json.dumps(run(quick=True), indent=1))
