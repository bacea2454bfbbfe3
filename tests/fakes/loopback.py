"""Serving a test aiohttp app on 127.0.0.1 (a free port), and waiting for a server to be up."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web


@asynccontextmanager
async def serving(app: web.Application | web.Server, backlog: int = 128
                  ) -> AsyncIterator[str]:
    """Run ``app`` (or a low-level server) on a free loopback port; yields its base URL
    (``http://127.0.0.1:PORT``).

    ``backlog`` is the listening socket's queue of connections not yet accepted (the kernel
    caps it at ``net.core.somaxconn``): a benchmark opening thousands at once raises it."""
    runner: web.BaseRunner = (web.AppRunner(app, access_log=None)
                                   if isinstance(app, web.Application)
                                   else web.ServerRunner(app))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=backlog)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def wait_until_up(url: str, attempts: int = 200, pause: float = 0.05) -> None:
    """Poll ``url`` until it answers 200 (a server starting in a task or a subprocess)."""
    for _ in range(attempts):
        try:
            async with aiohttp.ClientSession() as session, session.get(url) as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(pause)
    raise TimeoutError(f"{url} did not come up")
