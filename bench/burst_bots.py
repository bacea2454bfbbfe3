"""One Discord bot of the burst benchmark in a process of its own, as in production: Parley or
the fair cog (``bench/fair_peers.py``), connected to the benchmark's fake Discord.

``python -m bench.burst_bots parley|cog API_URL GATEWAY_URL DIR`` runs until SIGTERM; ``DIR``
holds its SQLite files. The fake and the driver sending the burst run in the benchmark's own
process (``bench/platforms_fair.py``), so neither shares a core's event loop with a bot.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from pathlib import Path

from bench.fair_peers import Lookup, build_index, discord_peer
from bench.platforms_e2e import TOKEN
from bench.workloads import bench_settings
from parley.adapters.discord.client import configure_endpoints
from parley.adapters.discord.client import serve as serve_discord
from parley.cli.app import open_services
from parley.cli.run import freeze_startup
from tests.fakes.discord_server import GUILD_ID


def _stop_on_term() -> asyncio.Event:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    return stop


async def parley(api: str, gateway: str, where: Path) -> None:
    """Parley's Discord adapter, on a store of its own."""
    stop = _stop_on_term()
    settings = bench_settings(where / "parley.db", discord_token=TOKEN,
                              discord_api_base_url=api, discord_gateway_url=gateway,
                              discord_guild_ids=[int(GUILD_ID)])
    async with open_services(settings) as services:
        freeze_startup()  # as ``parley run`` does
        await serve_discord(services, stop)


async def cog(api: str, gateway: str, where: Path) -> None:
    """The fair cog: one FTS5 query and an embed per ``/fact``."""
    stop = _stop_on_term()
    configure_endpoints(api, gateway)
    await build_index(where / "peer.db")
    lookup = await Lookup.open(where / "peer.db")
    bot = await discord_peer(lookup)
    await bot.login(TOKEN)
    runner = asyncio.create_task(bot.connect(reconnect=False))
    await stop.wait()
    await bot.close()
    runner.cancel()
    await lookup.close()


BOTS = {"parley": parley, "cog": cog}


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR)
    name, api_url, gateway_url, folder = sys.argv[1:5]
    asyncio.run(BOTS[name](api_url, gateway_url, Path(folder)))
