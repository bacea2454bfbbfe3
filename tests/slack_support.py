"""Parley's Slack server against the fake Slack, for the end-to-end tests: one helper, the
port and the extra settings as parameters."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from parley.adapters.slack.server import serve
from parley.cli.app import open_services
from parley.core.services import Services
from tests.conftest import make_settings
from tests.fakes.loopback import wait_until_up
from tests.fakes.slack_server import FakeSlack

SECRET = "test-signing-secret-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def serving_slack(tmp_path: Path, fake: FakeSlack, port: int | None = None, *,
                        socket_mode: bool = False, **extra: object
                        ) -> AsyncIterator[tuple[str, Services]]:
    """Serve Slack (over HTTP, or Socket Mode) on services opened on ``tmp_path``'s database
    until the block ends; yields the events address and the services."""
    port = port or free_port()
    if socket_mode:
        extra = {"slack_app_token": "xapp-1-test", **extra}
    settings = make_settings(tmp_path, slack_bot_token="xoxb-test-token",
                             slack_signing_secret=SECRET, slack_api_base_url=fake.api,
                             parley_slack_port=port, parley_slack_host="127.0.0.1", **extra)
    async with open_services(settings) as services:
        stop = asyncio.Event()
        task = asyncio.create_task(serve(services, stop))
        url = f"http://127.0.0.1:{port}/slack/events"
        if socket_mode:
            await asyncio.wait_for(fake.socket_ready.wait(), 10)
        else:
            await wait_until_up(url.replace("/slack/events", "/health"))
        try:
            yield url, services
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)
