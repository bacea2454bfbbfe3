"""Digests from the command line: the console digest, and a poster killed mid-post."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from parley.cli.app import open_services
from parley.core.models import Request, Role
from parley.core.registry import run_line
from parley.core.settings import Settings
from parley.store import digests
from tests.conftest import cli_env, make_settings
from tests.e2e.conftest import Cli
from tests.fakes.slack_server import running_fake_slack

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


def test_console_digest_once_per_slot(tmp_path: Path, in_process: Cli) -> None:
    sub = in_process("ask", "--json", "--as", "moderator", "/digest subscribe daily 09:00")
    assert sub.returncode == 0, sub.stdout
    due = datetime.fromisoformat(json.loads(sub.stdout)["data"]["next_run_at"])
    at = (due + timedelta(minutes=10)).isoformat()
    first = in_process("digest", "tick", "--at", at)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("--- digest for #console ---") == 1
    assert "Digest: Peru Shuts Down Illegal Immigration" in first.stdout
    second = in_process("digest", "tick", "--at", at)
    assert second.returncode == 0 and second.stdout == ""
    bad = in_process("digest", "tick", "--at", "tomorrow-ish")
    assert bad.returncode == 2 and "ISO-8601" in bad.stderr


async def _subscribed_on_slack(settings: Settings) -> tuple[int, datetime]:
    async with open_services(settings) as services:
        request = Request(platform="slack", workspace="T1", channel="C1", user="mod",
                          role=Role.MODERATOR, command="x")
        reply = await run_line(services.registry, "/digest subscribe daily 09:00", request,
                               services)
        return int(reply.data["id"]), datetime.fromisoformat(reply.data["next_run_at"])


async def _slack_tick(tmp_path: Path, fake_api: str, at: datetime
                      ) -> asyncio.subprocess.Process:
    env = cli_env(tmp_path, SLACK_BOT_TOKEN="xoxb-digest", SLACK_API_BASE_URL=fake_api)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "parley", "digest", "tick", "--at", at.isoformat(),
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, start_new_session=True)


@pytest.mark.parametrize("accepted", [False, True], ids=["before-acceptance",
                                                         "after-acceptance"])
async def test_killed_mid_post_then_restarted_posts_exactly_once(tmp_path: Path,
                                                                 accepted: bool) -> None:
    """SIGKILL while Slack holds the post, either before storing it or after (the message is
    in the channel, the delivery not recorded); the restart, at once, leaves exactly one."""
    settings = make_settings(tmp_path)
    sub_id, slot = await _subscribed_on_slack(settings)
    async with running_fake_slack() as fake:
        fake.hold_after_accept, fake.hold_posts = accepted, not accepted
        at = slot + timedelta(minutes=1)
        fake.clock_offset_s = (at - datetime.now(UTC)).total_seconds()  # Slack's "now" is --at
        proc = await _slack_tick(tmp_path, fake.api, at)
        for _ in range(300):
            if fake.post_attempts:
                break
            await asyncio.sleep(0.05)
        if accepted:
            await asyncio.wait_for(fake.accepted.wait(), 15)
        assert fake.post_attempts == 1 and len(fake.posted) == int(accepted)
        os.killpg(proc.pid, signal.SIGKILL)  # the process and any worker it started
        await proc.wait()
        fake.hold_posts = fake.hold_after_accept = False
        fake.released.set()
        async with open_services(settings) as services:
            assert await digests.deliveries(services.db, sub_id) == [
                (slot.isoformat(), "claimed", 1)]
        # The dead process's lease has minutes to run, but its process is gone (this host,
        # its pid ended): the restart takes the slot over at once, looks in the channel first
        # and posts only what Slack does not have.
        late = await _slack_tick(tmp_path, fake.api, slot + timedelta(minutes=2))
        _, err = await late.communicate()
        assert late.returncode == 0, err.decode()
        again = await _slack_tick(tmp_path, fake.api, slot + timedelta(minutes=3))
        await again.wait()
        assert len(fake.history["C1"]) == 1 and len(fake.posted) == 1
        assert fake.posted[0]["metadata"]["event_payload"]["key"].startswith(f"digest:{sub_id}:")
        assert fake.history_calls == 1  # only the retry looked
    async with open_services(settings) as services:
        assert await digests.deliveries(services.db, sub_id) == [(slot.isoformat(), "sent", 2)]
        sub = await digests.get(services.db, sub_id)
        assert sub is not None and sub.next_run_at == slot + timedelta(days=1)
        assert sub.last_sent_at is not None and sub.last_sent_at.tzinfo == UTC


async def test_a_live_holders_lease_is_respected(tmp_path: Path) -> None:
    """A claim held by a process that may still run (another host) waits out its lease."""
    settings = make_settings(tmp_path)
    sub_id, slot = await _subscribed_on_slack(settings)
    async with open_services(settings) as services:
        assert await digests.claim(services.db, sub_id, slot, "elsewhere:1:abc",
                                   slot + timedelta(minutes=1), slot + timedelta(minutes=6))
    async with running_fake_slack() as fake:
        early = await _slack_tick(tmp_path, fake.api, slot + timedelta(minutes=2))
        await early.wait()
        assert fake.posted == [] and fake.post_attempts == 0
        late = await _slack_tick(tmp_path, fake.api, slot + timedelta(minutes=7))
        await late.wait()
        assert len(fake.posted) == 1 and fake.history_calls == 1  # a retry: it looked first


async def test_two_scheduler_processes_on_one_database(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    async with open_services(settings) as services:
        slot = None
        for i in range(30):
            request = Request(platform="console", workspace="local", channel=f"room{i}",
                              user="mod", role=Role.MODERATOR, command="x")
            reply = await run_line(services.registry, "/digest subscribe daily 09:00", request,
                                   services)
            slot = datetime.fromisoformat(reply.data["next_run_at"])
    assert slot is not None
    at = (slot + timedelta(minutes=3)).isoformat()
    procs = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "parley", "digest", "tick", "--at", at, cwd=tmp_path,
        env=cli_env(tmp_path), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        for _ in range(2)]
    outputs = [await p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1].decode()[-500:] for o in outputs]
    printed = sum(o[0].decode().count("--- digest for #") for o in outputs)
    assert printed == 30
