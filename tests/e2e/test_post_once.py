"""A post the platform accepted is never posted again: crashes, restarts and dropped connections
between the platform's acceptance and Parley's record of it, through discord.py and slack_sdk."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord

from parley.adapters.discord.client import DiscordPoster, configure_endpoints
from parley.adapters.slack.app import make_client
from parley.adapters.slack.poster import SlackPoster
from parley.cli.app import open_services
from parley.core.models import Reply, Request, Role
from parley.core.platform import PostKey
from parley.core.registry import run_line
from parley.store import digests
from tests.conftest import cli_env, make_settings
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, FakeDiscord, running_fake_discord
from tests.fakes.slack_server import running_fake_slack

TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAy.fake.discord-token-for-tests"


async def _parley_run(tmp_path: Path, fake: FakeDiscord) -> asyncio.subprocess.Process:
    env = cli_env(tmp_path, DISCORD_TOKEN=TOKEN, DISCORD_API_BASE_URL=fake.api,
                  DISCORD_GATEWAY_URL=fake.gateway, DISCORD_GUILD_IDS=GUILD_ID)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "parley", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        start_new_session=True)


async def test_discord_digest_killed_after_acceptance_is_posted_once_after_restart(
        tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    async with open_services(settings) as services:
        request = Request(platform="discord", workspace=GUILD_ID, channel=CHANNEL_ID,
                          user="mod", role=Role.MODERATOR, command="x")
        reply = await run_line(services.registry, "/digest subscribe daily 09:00", request,
                               services)
        sub_id = int(reply.data["id"])
        slot = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
        await digests.advance(services.db, sub_id, slot)  # due now
    async with running_fake_discord() as fake:
        fake.hold_after_accept = True  # Discord creates the message; the answer never comes
        first = await _parley_run(tmp_path, fake)
        try:
            await asyncio.wait_for(fake.accepted.wait(), 60)
        finally:
            os.killpg(first.pid, signal.SIGKILL)  # between acceptance and the mark
            await first.wait()
        assert len(fake.channel_posts) == 1
        async with open_services(settings) as services:
            assert await digests.deliveries(services.db, sub_id) == [
                (slot.isoformat(), "claimed", 1)]
        fake.hold_after_accept = False
        fake.released.set()
        second = await _parley_run(tmp_path, fake)  # the lease is not over: taken over
        try:
            await fake.wait(lambda: fake.message_attempts >= 2, within=60)
            for _ in range(200):  # the mark follows the answer
                async with open_services(settings) as services:
                    if (await digests.deliveries(services.db, sub_id))[0][1] == "sent":
                        break
                await asyncio.sleep(0.1)
        finally:
            second.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(second.communicate(), 30)
        assert second.returncode == 0, err.decode()[-2000:]
        # The retry carried the same nonce: Discord answered with the message it had.
        assert len(fake.channel_posts) == 1 and fake.message_attempts == 2
        nonces = [body.get("nonce") for method, path, body in fake.requests
                  if method == "POST" and path == f"channels/{CHANNEL_ID}/messages"]
        assert len(set(nonces)) == 1 and nonces[0]
    async with open_services(settings) as services:
        assert await digests.deliveries(services.db, sub_id) == [(slot.isoformat(), "sent", 2)]


async def test_discord_nonce_dedupes_only_inside_its_window(tmp_path: Path) -> None:
    """What the fake does as Discord documents it; beyond the window a repeat is a new
    message (which is why a restart takes an ended process's claim over at once)."""
    async with running_fake_discord() as fake:
        configure_endpoints(fake.api, fake.gateway)
        client = discord.Client(intents=discord.Intents.none())
        await client.login(TOKEN)
        try:
            poster = DiscordPoster(client)
            key = PostKey(id="digest:1:2026-01-01T09:00:00+00:00",
                          since=datetime(2026, 1, 1, 9, tzinfo=UTC))
            first = await poster.post(CHANNEL_ID, Reply(title="Digest", text="One."), key)
            again = await poster.post(CHANNEL_ID, Reply(title="Digest", text="One."), key)
            assert first == again and len(fake.channel_posts) == 1
            other = await poster.post(CHANNEL_ID, Reply(text="Two."), PostKey(
                id="digest:1:2026-01-02T09:00:00+00:00", since=key.since))
            assert other != first and len(fake.channel_posts) == 2
            fake.nonce_window_s = 0.0
            await asyncio.sleep(0.01)
            await poster.post(CHANNEL_ID, Reply(title="Digest", text="One."), key)
            assert len(fake.channel_posts) == 3
        finally:
            await client.close()


async def test_slack_post_dropped_after_acceptance_is_not_retried_into_a_second(
        tmp_path: Path) -> None:
    async with running_fake_slack() as fake, \
            open_services(make_settings(tmp_path, slack_bot_token="xoxb-post",
                                        slack_api_base_url=fake.api)) as services:
        fake.drop_after_accept_next = 1  # Slack stores it, then the connection drops
        key = PostKey(id="digest:7:2026-01-01T09:00:00+00:00",
                      since=datetime.now(UTC) - timedelta(minutes=1))
        ts = await SlackPoster(make_client(services)).post("C1", Reply(text="Digest."), key)
        assert ts and fake.post_attempts == 1 and len(fake.history["C1"]) == 1
        assert fake.history_calls == 1 and ts == fake.history["C1"][0]["ts"]
        # Unkeyed, a drop before acceptance is still retried as before.
        fake.drop_after_accept_next = 0
        fake.server_error_next = 1
        assert await SlackPoster(make_client(services)).post("C1", Reply(text="Other."))
        assert len(fake.history["C1"]) == 2
