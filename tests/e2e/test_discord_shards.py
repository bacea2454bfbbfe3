"""Discord sharded across processes: each process runs its shard range of the real discord.py
AutoShardedClient against the local fake Discord, IDENTIFY is paced across them through the
database, and the command definitions are uploaded once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from parley.adapters.discord.client import ShardedParleyDiscord, new_client, serve
from parley.cli.app import open_services
from parley.core.settings import Settings
from tests.conftest import make_settings
from tests.fakes.discord_server import GUILD_ID, running_fake_discord

TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAy.shard.token"


def _settings(tmp_path: Path, api: str, gateway: str, shard: int) -> Settings:
    return make_settings(tmp_path, discord_token=TOKEN, discord_api_base_url=api,
                         discord_gateway_url=gateway, discord_guild_ids=[int(GUILD_ID)],
                         discord_shard_count=2, discord_shard_ids=[shard])


async def test_two_shard_processes_identify_paced_and_sync_once(tmp_path: Path) -> None:
    async with running_fake_discord() as fake:
        one, two = (_settings(tmp_path, fake.api, fake.gateway, n) for n in (0, 1))
        async with open_services(one) as first, open_services(two) as second:
            client = new_client(second)
            assert isinstance(client, ShardedParleyDiscord)
            assert client.shard_ids == [1] and client.shard_count == 2
            stop = asyncio.Event()
            started = time.monotonic()
            tasks = [asyncio.create_task(serve(s, stop)) for s in (first, second)]
            try:
                await fake.wait(lambda: fake.identifies >= 2, within=30)
                paced = time.monotonic() - started
                await fake.wait(lambda: bool(fake.commands))
                await asyncio.sleep(0.5)  # the second shard's sync, had it uploaded again
            finally:
                stop.set()
                await asyncio.wait_for(asyncio.gather(*tasks), 30)
    assert paced >= 5.0  # one IDENTIFY per 5 s, though the shards run in different clients
    assert len([r for r in fake.requests if r[0] == "PUT"]) == 1
