"""The fake Discord times a first response from when its bytes were read, not from when its
busy event loop got round to the request (the burst benchmark's "late" must not count the
fake's own delays against a bot)."""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import urlsplit

from tests.fakes.discord_server import running_fake_discord

BLOCKED_S = 0.3


def _callback(interaction_id: str) -> bytes:
    body = json.dumps({"type": 5}).encode()
    return (f"POST /api/v10/interactions/{interaction_id}/tok-{interaction_id}/callback "
            f"HTTP/1.1\r\nHost: fake\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def _hold_the_loop(seconds: float) -> None:
    """The event loop's thread busy (on purpose: what a starved or busy fake does)."""
    time.sleep(seconds)


async def _response(reader: asyncio.StreamReader) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length"))
    await reader.readexactly(length)


async def test_a_callback_is_timed_when_read_even_if_the_fakes_loop_is_busy_then() -> None:
    async with running_fake_discord() as fake:
        address = urlsplit(fake.base)
        reader, writer = await asyncio.open_connection(address.hostname, address.port)
        writer.write(_callback("1"))  # the connection is accepted and kept alive
        await _response(reader)
        loop = asyncio.get_running_loop()
        sent = time.perf_counter()
        writer.transport.write(_callback("2"))
        _hold_the_loop(BLOCKED_S / 10)  # the kernel hands it to the fake's socket meanwhile
        # Due now: runs in the loop's next turn right after the fake reads the request, before
        # the request's handler gets its turn, and holds the loop as a busy fake's would be.
        loop.call_later(0, _hold_the_loop, BLOCKED_S)
        await _response(reader)
        answered = time.perf_counter()
        writer.close()
        assert answered - sent >= BLOCKED_S  # the handler did wait behind the busy loop
        assert fake.first_response["2"] - sent < BLOCKED_S / 3  # timed before that wait
