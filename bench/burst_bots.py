"""One Discord bot of the burst benchmark in a process of its own, as in production: Parley or
the fair cog (``bench/fair_peers.py``), connected to the benchmark's fake Discord, serving all
of it or one shard.

``python -m bench.burst_bots parley|cog API_URL GATEWAY_URL DIR [--shard ID/COUNT]
--guilds ID,ID,… [--profile FILE]`` runs until SIGTERM; ``DIR`` holds its SQLite files
(Parley's shard processes share one, as ``parley run --role discord`` processes share their
database). ``--profile`` writes a cProfile of the event loop's thread (on ``time.thread_time``)
at exit. The fake and the driver sending the burst run in the benchmark's own process
(``bench/platforms_fair.py``), so neither shares a core's event loop with a bot.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import signal
import time
from pathlib import Path

import discord
from discord.ext import commands

from bench.fair_peers import FactCog, Lookup, build_index
from bench.platforms_e2e import TOKEN
from bench.workloads import bench_settings
from parley.adapters.discord.client import configure_endpoints
from parley.adapters.discord.client import serve as serve_discord
from parley.cli.app import open_services
from parley.cli.run import freeze_startup


def _stop_on_term() -> asyncio.Event:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    return stop


async def parley(args: argparse.Namespace) -> None:
    """Parley's Discord adapter (its shard, with ``--shard``, as ``DISCORD_SHARD_IDS`` does)."""
    stop = _stop_on_term()
    shard: dict[str, object] = {}
    if args.shard is not None:
        shard = {"discord_shard_count": args.shard[1], "discord_shard_ids": [args.shard[0]]}
    settings = bench_settings(args.dir / "parley.db", discord_token=TOKEN,
                              discord_api_base_url=args.api, discord_gateway_url=args.gateway,
                              discord_guild_ids=args.guilds, **shard)
    async with open_services(settings) as services:
        freeze_startup()  # as ``parley run`` does
        await serve_discord(services, stop)


async def cog(args: argparse.Namespace) -> None:
    """The fair cog: one FTS5 query and an embed per ``/fact`` (a shard of it with
    ``--shard``)."""
    stop = _stop_on_term()
    configure_endpoints(args.api, args.gateway)
    await build_index(args.dir / "peer.db")
    lookup = await Lookup.open(args.dir / "peer.db")
    shard = {} if args.shard is None else {"shard_id": args.shard[0],
                                           "shard_count": args.shard[1]}
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.none(),
                       **shard)
    await bot.add_cog(FactCog(lookup))
    await bot.login(TOKEN)
    runner = asyncio.create_task(bot.connect(reconnect=False))
    await stop.wait()
    await bot.close()
    runner.cancel()
    await lookup.close()


BOTS = {"parley": parley, "cog": cog}


def _shard(text: str) -> tuple[int, int]:
    shard, count = (int(n) for n in text.split("/"))
    return shard, count


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.burst_bots")
    parser.add_argument("bot", choices=sorted(BOTS))
    parser.add_argument("api")
    parser.add_argument("gateway")
    parser.add_argument("dir", type=Path)
    parser.add_argument("--shard", type=_shard, default=None, help="ID/COUNT")
    # required, so this module imports nothing of the fake's (it needs orjson, which a
    # --no-orjson bot must not find)
    parser.add_argument("--guilds", type=lambda t: [int(g) for g in t.split(",")],
                        required=True, help="the servers Parley serves (comma-separated ids)")
    parser.add_argument("--profile", type=Path, default=None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.ERROR)
    args = parse(argv)
    profile = cProfile.Profile(time.thread_time) if args.profile else None
    if profile is not None:
        profile.enable()
    try:
        asyncio.run(BOTS[args.bot](args))
    finally:
        if profile is not None:
            profile.disable()
            profile.dump_stats(args.profile)


if __name__ == "__main__":
    main()
