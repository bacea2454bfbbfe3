"""End to end through the real platform libraries, against the local fake Slack and Discord in
``tests/fakes``: Parley beside a bare slack-bolt app that only acks, and beside a bare discord.py
bot that answers "pong" — driven the same way over loopback in the same run."""

from __future__ import annotations

import asyncio
import socket
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import discord
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bench.timing import p50_p99
from bench.workloads import bench_settings
from parley.adapters.discord.client import configure_endpoints
from parley.adapters.discord.client import serve as serve_discord
from parley.adapters.slack.server import serve as serve_slack
from parley.adapters.slack.server import web_app
from parley.cli.app import open_services
from tests.fakes.discord_server import GUILD_ID, interaction, running_fake_discord
from tests.fakes.slack_server import form, running_fake_slack, sign, slash_payload

SECRET = "bench-signing-secret"
TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAy.bench.token"
QUESTION = "how much is trade between the two countries"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stats(times: list[float], wall: float) -> dict[str, float]:
    return {"requests": len(times), "per_second": round(len(times) / wall, 1),
            **p50_p99(times)}


async def _drive(url: str, bodies: list[str], concurrency: int) -> tuple[list[float], float]:
    """Post the bodies with ``concurrency`` clients; (each request's ms, wall seconds)."""
    times: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)

    async def worker(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            body = queue.get_nowait()
            t0 = time.perf_counter()
            async with session.post(url, data=body, headers=sign(SECRET, body)) as resp:
                await resp.read()
                assert resp.status == 200, resp.status
            times.append((time.perf_counter() - t0) * 1000)

    started = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return times, time.perf_counter() - started


async def slack(requests: int, concurrency: int = 8, rounds: int = 5
                ) -> dict[str, dict[str, float]]:
    """Both apps up at once, driven in alternating rounds so a noisy moment hits both; Parley's
    answers of a round are all delivered before the next round starts."""
    async with running_fake_slack() as fake:
        bodies = [form(slash_payload(fake, "/fact", QUESTION)) for _ in range(requests // rounds)]
        # The bare app: slack-bolt with a command that only acks, behind the same aiohttp server.
        bare = AsyncApp(client=AsyncWebClient(token="xoxb-bare", base_url=fake.api),
                        signing_secret=SECRET)

        @bare.command("/fact")
        async def _ack(ack: Callable[[], Awaitable[None]]) -> None:
            await ack()

        runner = web.AppRunner(web_app(bare))
        await runner.setup()
        bare_port = _port()
        await web.TCPSite(runner, "127.0.0.1", bare_port).start()
        measured: dict[str, tuple[list[float], float]] = {"bare": ([], 0.0), "ours": ([], 0.0)}
        with tempfile.TemporaryDirectory() as tmp:
            port = _port()
            settings = bench_settings(Path(tmp) / "s.db",
                                      slack_bot_token="xoxb-parley", slack_signing_secret=SECRET,
                                      slack_api_base_url=fake.api, parley_slack_port=port,
                                      parley_slack_host="127.0.0.1")
            async with open_services(settings) as services:
                stop = asyncio.Event()
                task = asyncio.create_task(serve_slack(services, stop))
                await asyncio.sleep(0.5)
                urls = {"bare": f"http://127.0.0.1:{bare_port}/slack/events",
                        "ours": f"http://127.0.0.1:{port}/slack/events"}
                for r in range(rounds):
                    # fresh requests each round: Parley runs a repeated signed request once
                    bodies = [form(slash_payload(fake, "/fact", QUESTION))
                              for _ in range(requests // rounds)]
                    for name in ("bare", "ours") if r % 2 == 0 else ("ours", "bare"):
                        times, wall = await _drive(urls[name], bodies, concurrency)
                        measured[name] = (measured[name][0] + times, measured[name][1] + wall)
                        if name == "ours":  # every answer delivered before going on
                            await fake.wait_responses(len(bodies) * (r + 1), within=120)
                stop.set()
                await task
        await runner.cleanup()
    return {"Parley": _stats(*measured["ours"]),
            "bare slack-bolt (ack only)": _stats(*measured["bare"])}


class _Pong(discord.Client):
    async def on_interaction(self, inter: discord.Interaction) -> None:
        await inter.response.send_message("pong")


FACT = {"id": "1", "name": "fact", "type": 1,
        "options": [{"name": "question", "type": 3, "value": QUESTION}]}
# The floor of Parley's own path: a short reply from the core's cheapest command.
HELP_FACT = {"id": "2", "name": "help", "type": 1,
             "options": [{"name": "command", "type": 3, "value": "fact"}]}


async def _one_round_trip(fake: Any, command: dict[str, Any]) -> None:
    before = len(fake.callbacks)
    await fake.dispatch("INTERACTION_CREATE", interaction(2, command))
    await fake.wait(lambda: len(fake.callbacks) > before)


async def _round_trips(fake: Any, count: int, command: dict[str, Any] = FACT,
                       warm_up: int = 10) -> dict[str, float]:
    for _ in range(warm_up):  # first interactions pay for discord.py's lazy setup: not measured
        await _one_round_trip(fake, command)
    times = []
    started = time.perf_counter()
    for _ in range(count):
        t0 = time.perf_counter()
        await _one_round_trip(fake, command)
        times.append((time.perf_counter() - t0) * 1000)
    return _stats(times, time.perf_counter() - started)


async def discord_round_trip(count: int) -> dict[str, dict[str, float]]:
    async with running_fake_discord() as fake:
        configure_endpoints(fake.api, fake.gateway)
        bare = _Pong(intents=discord.Intents.none())
        await bare.login(TOKEN)
        task = asyncio.create_task(bare.connect(reconnect=False))
        await asyncio.wait_for(fake.ready.wait(), 15)
        bare_stats = await _round_trips(fake, count)
        await bare.close()
        task.cancel()
    async with running_fake_discord() as fake:
        with tempfile.TemporaryDirectory() as tmp:
            settings = bench_settings(Path(tmp) / "d.db",
                                discord_token=TOKEN, discord_api_base_url=fake.api,
                                discord_gateway_url=fake.gateway,
                                discord_guild_ids=[int(GUILD_ID)])
            async with open_services(settings) as services:
                stop = asyncio.Event()
                runner = asyncio.create_task(serve_discord(services, stop))
                await asyncio.wait_for(fake.ready.wait(), 15)
                await fake.wait(lambda: bool(fake.commands))
                ours = await _round_trips(fake, count)
                floor = await _round_trips(fake, count, HELP_FACT)
                stop.set()
                await runner
    return {"Parley": ours, "Parley floor (/help fact)": floor,
            "bare discord.py (pong)": bare_stats}


def run(quick: bool) -> dict[str, Any]:
    return {"slack": asyncio.run(slack(200 if quick else 1000)),
            "discord": asyncio.run(discord_round_trip(30 if quick else 200))}


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=True), indent=1))
