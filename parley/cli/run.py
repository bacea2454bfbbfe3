"""``parley run``: every configured platform at once, and the digest scheduler beside them."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from pathlib import Path

from parley.cli.common import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, fail
from parley.cli.health import beat, heartbeat_path
from parley.cli.platforms import every_platform, to_serve
from parley.core.digest.scheduler import grace_period, run_forever
from parley.core.feeds.poller import limits_from
from parley.core.feeds.poller import run_forever as poll_feeds
from parley.core.ingest.encodings import encode_forever
from parley.core.platform import Platform, posters
from parley.core.services import Services

log = logging.getLogger("parley.cli")


async def run(services: Services, args: argparse.Namespace) -> int:
    """Serve until stopped (SIGTERM, Ctrl-C, or the end of the console's input)."""
    platforms = every_platform()
    serving = to_serve(platforms, services.settings)
    for platform in serving:
        problem = platform.problem(services.settings)
        if problem:
            return fail(problem, EXIT_USAGE)
    stop = asyncio.Event()
    scheduler = asyncio.create_task(run_forever(
        services.db, lambda: posters(platforms, services), services.now,
        grace_period(services.settings), stop, pictures=services.settings.parley_pictures))
    poller = asyncio.create_task(poll_feeds(services.db, services.workers, services.now,
                                            limits_from(services.settings), stop,
                                            lambda: services.lexicon))
    alive = asyncio.create_task(beat(heartbeat_path(Path(services.settings.parley_db)), stop))
    encoder = asyncio.create_task(encode_forever(services.db, services.workers, stop)
                                  if services.settings.parley_encoder else stop.wait())
    try:
        return await _serve(services, serving, stop)
    finally:
        stop.set()
        await scheduler
        await poller
        await alive
        encoder.cancel()  # a piece being encoded is dropped: it is made again at next start
        await asyncio.gather(encoder, return_exceptions=True)


async def _serve(services: Services, serving: list[Platform], stop: asyncio.Event) -> int:
    if not all(p.fallback for p in serving):  # the console takes Ctrl-C itself
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    try:
        await asyncio.gather(*(p.serve(services, stop) for p in serving))
    except Exception as exc:  # a platform refused us (bad token, unreachable): one clear line
        log.error("adapter stopped", extra={"error": type(exc).__name__})
        message = str(exc)
        for secret in services.settings.secrets():
            message = message.replace(secret, "***")
        return fail(f"{type(exc).__name__}: {message}", EXIT_USER_ERROR)
    log.info("stopped")
    return EXIT_OK
