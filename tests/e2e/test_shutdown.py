"""``parley run`` stops within seconds on SIGTERM whatever the network does (real subprocesses)."""

from __future__ import annotations

import asyncio
import signal
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from tests.conftest import PYTHON, cli_env

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


STOP_WITHIN_S = 8.0


def closed_port() -> int:
    """A loopback port nothing listens on: connections are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def silent_server() -> AsyncIterator[int]:
    """A loopback server that accepts connections and never answers (a black hole)."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        for writer in held:
            writer.close()
        server.close()


async def _stops_on_sigterm(tmp_path: Path, api: str) -> None:
    env = cli_env(tmp_path, SLACK_BOT_TOKEN="xoxb-test", SLACK_APP_TOKEN="xapp-1-test",
                  SLACK_API_BASE_URL=api, PARLEY_LOG_LEVEL="INFO")
    proc = await asyncio.create_subprocess_exec(
        PYTHON, "-m", "parley", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    heartbeat = tmp_path / "parley.db.alive"
    try:
        for _ in range(600):  # started: the heartbeat is written before Slack is reached
            if heartbeat.exists() or proc.returncode is not None:
                break
            await asyncio.sleep(0.05)
        assert heartbeat.exists(), "parley run never started"
        await asyncio.sleep(1.5)  # let it try (and retry) Slack
        assert proc.returncode is None, "it should still be trying to reach Slack"
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), STOP_WITHIN_S)
        assert time.monotonic() - started < STOP_WITHIN_S
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert not heartbeat.exists()  # removed on a clean stop


async def test_socket_mode_stops_while_slack_refuses_connections(tmp_path: Path) -> None:
    await _stops_on_sigterm(tmp_path, f"http://127.0.0.1:{closed_port()}/api/")


async def test_socket_mode_stops_while_slack_accepts_and_never_answers(tmp_path: Path) -> None:
    async with silent_server() as port:
        await _stops_on_sigterm(tmp_path, f"http://127.0.0.1:{port}/api/")

