"""Digests from the command line: the console digest, and a poster killed mid-post."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from parley.cli.app import open_services
from parley.core.models import Request, Role
from parley.core.registry import run_line
from parley.store import digests
from tests.conftest import PYTHON, cli_env, make_settings
from tests.fakes.slack_server import running_fake_slack

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


def parley(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PYTHON, "-m", "parley", *args], cwd=tmp_path,
                          env=cli_env(tmp_path, **env),
                          capture_output=True, text=True, timeout=60)


def test_console_digest_once_per_slot(tmp_path: Path) -> None:
    sub = parley(tmp_path, "ask", "--json", "--as", "moderator", "/digest subscribe daily 09:00")
    assert sub.returncode == 0, sub.stdout
    due = datetime.fromisoformat(json.loads(sub.stdout)["data"]["next_run_at"])
    at = (due + timedelta(minutes=10)).isoformat()
    first = parley(tmp_path, "digest", "tick", "--at", at)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("--- digest for #console ---") == 1
    assert "Digest: Peru Shuts Down Illegal Immigration" in first.stdout
    second = parley(tmp_path, "digest", "tick", "--at", at)
    assert second.returncode == 0 and second.stdout == ""
    bad = parley(tmp_path, "digest", "tick", "--at", "tomorrow-ish")
    assert bad.returncode == 2 and "ISO-8601" in bad.stderr


async def test_killed_mid_post_then_restarted_posts_exactly_once(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    async with open_services(settings) as services:
        request = Request(platform="slack", workspace="T1", channel="C1", user="mod",
                          role=Role.MODERATOR, command="x")
        reply = await run_line(services.registry, "/digest subscribe daily 09:00", request,
                               services)
        sub_id = int(reply.data["id"])
        slot = datetime.fromisoformat(reply.data["next_run_at"])

    async def tick(fake_api: str, at: datetime) -> asyncio.subprocess.Process:
        env = cli_env(tmp_path, SLACK_BOT_TOKEN="xoxb-digest", SLACK_API_BASE_URL=fake_api)
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "parley", "digest", "tick", "--at", at.isoformat(),
            cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, start_new_session=True)

    async with running_fake_slack() as fake:
        fake.hold_posts = True
        proc = await tick(fake.api, slot + timedelta(minutes=1))
        for _ in range(300):
            if fake.post_attempts:
                break
            await asyncio.sleep(0.05)
        assert fake.post_attempts == 1
        os.killpg(proc.pid, signal.SIGKILL)  # the process and any worker it started
        await proc.wait()
        fake.hold_posts = False
        fake.released.set()

        async with open_services(settings) as services:
            assert await digests.deliveries(services.db, sub_id) == [
                (slot.isoformat(), "claimed", 1)]
        # Restarted while the dead process's lease still holds: nothing is posted twice…
        early = await tick(fake.api, slot + timedelta(minutes=2))
        await early.wait()
        assert fake.posted == []
        # …and once the lease has expired (still within the grace window) it is delivered.
        late = await tick(fake.api, slot + timedelta(minutes=7))
        _, err = await late.communicate()
        assert late.returncode == 0, err.decode()
        again = await tick(fake.api, slot + timedelta(minutes=8))
        await again.wait()
        assert len(fake.posted) == 1 and fake.posted[0]["channel"] == "C1"
    async with open_services(settings) as services:
        assert await digests.deliveries(services.db, sub_id) == [(slot.isoformat(), "sent", 2)]
        sub = await digests.get(services.db, sub_id)
        assert sub is not None and sub.next_run_at == slot + timedelta(days=1)
        assert sub.last_sent_at is not None and sub.last_sent_at.tzinfo == UTC


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
