"""The Slack HTTP endpoint under attack, through the real slack-bolt app on a local Slack:
log floods, malformed and unsigned payloads, replays (across a restart too), idle and
half-sent connections."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from parley.cli.app import open_services
from parley.store import factchecks
from tests.conftest import make_settings
from tests.fakes.slack_server import FakeSlack, form, running_fake_slack, sign, slash_payload
from tests.slack_support import SECRET, free_port, serving_slack

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


def sign_bytes(body: bytes, timestamp: str | None = None,
               content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body,
                      hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}",
            "Content-Type": content_type}


class Endpoint:
    def __init__(self, fake: FakeSlack, url: str, tmp_path: Path) -> None:
        self.fake, self.url, self.tmp_path = fake, url, tmp_path

    async def post(self, body: bytes | str, headers: dict[str, str]) -> tuple[int, str]:
        async with aiohttp.ClientSession() as session, \
                session.post(self.url, data=body, headers=headers) as resp:
            return resp.status, await resp.text()


@pytest.fixture
async def endpoint(tmp_path: Path) -> AsyncIterator[Endpoint]:
    async with running_fake_slack() as fake, serving_slack(tmp_path, fake) as (url, _):
        yield Endpoint(fake, url, tmp_path)


async def test_unsigned_floods_log_a_few_bounded_lines_and_never_the_body(
        endpoint: Endpoint, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    marker = "SECRET-LOOKING-BODY-" * 10
    body = form({"text": marker + "x" * 900_000})
    for _ in range(20):
        status, _ = await endpoint.post(body, {"Content-Type":
                                               "application/x-www-form-urlencoded"})
        assert status == 401
    text = "\n".join(r.getMessage() + json.dumps(r.__dict__, default=str)
                     for r in caplog.records)
    assert marker not in text
    assert len(text) < 20_000, f"{len(text)} bytes of log for 20 refused requests"
    refused = [r for r in caplog.records if r.getMessage() == "slack request refused"]
    assert 1 <= len(refused) <= 5


@pytest.mark.parametrize(("body", "content_type"), [
    (b"text=\xff\xfe\xfa", "application/x-www-form-urlencoded"),
    (b"payload=not-json", "application/x-www-form-urlencoded"),
    (b"payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
    (b"[1, 2, 3]", "application/json"),
    (b'{"type": "url_verification", ', "application/json"),
    (b"payload=" + b"%5B" * 5000, "application/x-www-form-urlencoded"),
    (b"payload=%7B%7D&payload=%5B1%5D", "application/x-www-form-urlencoded"),
], ids=["invalid-utf8", "payload-not-json", "payload-a-list", "json-list", "malformed-json",
        "deep-json", "payload-twice-the-last-a-list"])
async def test_malformed_payloads_get_400_or_401_and_one_short_line(
        endpoint: Endpoint, caplog: pytest.LogCaptureFixture, body: bytes,
        content_type: str) -> None:
    caplog.set_level(logging.INFO)
    unsigned, _ = await endpoint.post(body, {"Content-Type": content_type})
    assert unsigned == 401
    signed, _ = await endpoint.post(body, sign_bytes(body, content_type=content_type))
    assert signed == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    refused = [r for r in caplog.records if r.getMessage() == "slack request refused"]
    assert refused and all(len(r.getMessage()) < 100 for r in refused)


async def test_a_non_numeric_timestamp_is_401_not_500(endpoint: Endpoint) -> None:
    body = form(slash_payload(endpoint.fake, "/help", ""))
    headers = {**sign(SECRET, body), "X-Slack-Request-Timestamp": "soon"}
    status, _ = await endpoint.post(body, headers)
    assert status == 401


async def test_a_replayed_signed_request_runs_once_even_across_a_restart(tmp_path: Path) -> None:
    async with running_fake_slack() as fake:
        port = free_port()
        text = "c24 false The figure is wrong. https://example.org/check"
        body = form(slash_payload(fake, "/factcheck", text, user="U9"))
        headers = sign(SECRET, body)
        fake.users["U9"] = {"is_admin": True}
        async with serving_slack(tmp_path, fake, port) as (url, _):
            first = Endpoint(fake, url, tmp_path)
            before = await _count_checks(first)
            for _ in range(5):
                assert (await first.post(body, headers))[0] == 200
            await fake.wait_responses(1)
            await asyncio.sleep(0.5)
            assert len(fake.responses) == 1
        async with serving_slack(tmp_path, fake) as (url, _):
            again = Endpoint(fake, url, tmp_path)
            assert (await again.post(body, headers))[0] == 200
            await asyncio.sleep(0.5)
            assert len(fake.responses) == 1
            assert await _count_checks(again) == before + 1


async def _count_checks(endpoint: Endpoint) -> int:
    async with open_services(make_settings(endpoint.tmp_path), load_example=False) as services:
        return await factchecks.count(services.db)


async def test_idle_and_half_sent_connections_are_closed_and_capped(tmp_path: Path) -> None:
    async with running_fake_slack() as fake:
        port = free_port()
        async with serving_slack(tmp_path, fake, port, parley_slack_request_timeout_s=1.0,
                                 parley_slack_max_connections=8) as (url, _):
            endpoint = Endpoint(fake, url, tmp_path)
            streams = []
            for i in range(24):
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                if i % 2:
                    writer.write(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Le")
                    await writer.drain()
                streams.append((reader, writer))
            started = time.monotonic()
            closed = await asyncio.wait_for(asyncio.gather(
                *(reader.read() for reader, _ in streams)), 10)
            assert all(data in (b"",) or data.startswith(b"HTTP/1.1 4") for data in closed)
            assert time.monotonic() - started < 5
            for _, writer in streams:
                writer.close()
            body = form(slash_payload(fake, "/help", ""))
            assert (await endpoint.post(body, sign(SECRET, body)))[0] == 200
