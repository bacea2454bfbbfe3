"""Discord sharded across processes: each process runs its shard range of the real discord.py
AutoShardedClient against the local fake Discord, IDENTIFY is paced across them through the
database, the command definitions are uploaded once, and each guild's events (interactions
included) reach only the session of its shard, as Discord routes them."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import discord

from parley.adapters.discord.client import (
    ShardedParleyDiscord,
    configure_endpoints,
    new_client,
    serve,
)
from parley.cli.app import open_services
from parley.core.settings import Settings
from tests.conftest import make_settings
from tests.fakes.discord_server import (
    GUILD_ID,
    guild_on,
    interaction,
    running_fake_discord,
    shard_of,
)

TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAy.shard.token"


GUILDS = [guild_on(0, 2), GUILD_ID]  # one server on each of two shards
FACT = {"id": "1", "name": "fact", "type": 1,
        "options": [{"name": "question", "type": 3, "value": "how much?"}]}


def _settings(tmp_path: Path, api: str, gateway: str, shard: int) -> Settings:
    return make_settings(tmp_path, discord_token=TOKEN, discord_api_base_url=api,
                         discord_gateway_url=gateway,
                         discord_guild_ids=[int(g) for g in GUILDS],
                         discord_shard_count=2, discord_shard_ids=[shard],
                         discord_guild_ready_timeout_s=0.2)


class Recorder(discord.Client):
    """A bare discord.py client noting the guild of every interaction it is sent."""

    def __init__(self, expected: int = 0, **shard: Any) -> None:
        super().__init__(intents=discord.Intents(guilds=True), guild_ready_timeout=0.1, **shard)
        self.seen: list[int | None] = []
        self.expected = expected
        self.all_seen = asyncio.Event()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        self.seen.append(interaction.guild_id)
        if len(self.seen) >= self.expected:
            self.all_seen.set()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False
                                   ) -> None:
        """No 5 s pause between this process's shards: the fake does not rate-limit."""


async def _connected(client: discord.Client) -> asyncio.Task[None]:
    await client.login(TOKEN)
    task = asyncio.create_task(client.connect(reconnect=False))
    await asyncio.wait_for(client.wait_until_ready(), 15)
    return task


async def test_each_guilds_interactions_reach_only_its_shards_session() -> None:
    async with running_fake_discord() as fake:
        configure_endpoints(fake.api, fake.gateway)
        fake.guild_ids = [guild_on(0, 2), guild_on(1, 2), guild_on(0, 2, 1), guild_on(1, 2, 1)]
        shards = [Recorder(6, shard_id=n, shard_count=2) for n in (0, 1)]
        tasks = [await _connected(c) for c in shards]
        try:
            for n, client in enumerate(shards):  # READY and GUILD_CREATE: its guilds only
                assert sorted(g.id for g in client.guilds) == sorted(
                    int(g) for g in fake.guild_ids if shard_of(g, 2) == n)
            payloads = [interaction(2, FACT, guild_id=g) for g in fake.guild_ids * 3]
            await fake.deliver_routed(payloads)
            for client in shards:
                await asyncio.wait_for(client.all_seen.wait(), 10)
            await asyncio.sleep(0.1)  # a misrouted copy would have arrived by now
        finally:
            for client, task in zip(shards, tasks, strict=True):
                await client.close()
                task.cancel()
    for n, client in enumerate(shards):
        assert len(client.seen) == 6
        assert {shard_of(g, 2) for g in client.seen if g is not None} == {n}
        assert None not in client.seen


async def test_an_auto_sharded_client_launches_the_recommended_shards() -> None:
    async with running_fake_discord() as fake:
        configure_endpoints(fake.api, fake.gateway)
        fake.recommended_shards = 2
        fake.guild_ids = [guild_on(0, 2), guild_on(1, 2)]
        client = discord.AutoShardedClient(intents=discord.Intents(guilds=True),
                                            guild_ready_timeout=0.1)
        client.before_identify_hook = Recorder.before_identify_hook.__get__(client)  # type: ignore[method-assign]
        task = await _connected(client)
        try:
            limits = await client.fetch_session_start_limits()
            assert client.shard_count == 2 and sorted(client.shards) == [0, 1]
            assert sorted(fake.shards.values()) == [(0, 2), (1, 2)]
            assert {g.id: g.shard_id for g in client.guilds} == {
                int(g): shard_of(g, 2) for g in fake.guild_ids}
            assert (limits.total, limits.remaining, limits.max_concurrency) == (1000, 998, 1)
        finally:
            await client.close()
            task.cancel()


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
                await fake.wait(lambda: len(fake.commands) == 2)
                await asyncio.sleep(0.5)  # the second shard's sync, had it uploaded again
                # each server's /fact goes to its shard's process only, which answers it
                await fake.deliver_routed([interaction(2, FACT, guild_id=g) for g in GUILDS])
                await fake.wait(lambda: len(fake.answered) == 2)
            finally:
                stop.set()
                await asyncio.wait_for(asyncio.gather(*tasks), 30)
    assert paced >= 5.0  # one IDENTIFY per 5 s, though the shards run in different clients
    puts = [r[1] for r in fake.requests if r[0] == "PUT"]
    assert sorted(puts) == sorted(f"applications/1100000000000000001/guilds/{g}/commands"
                                  for g in GUILDS)  # once per server, by one process
    assert all(c["type"] == 4 for c in fake.callbacks)
