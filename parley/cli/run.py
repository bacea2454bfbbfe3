"""``parley run``: every configured platform at once, and the digest scheduler beside them; or,
with ``--role``, one part of that (several processes on one PostgreSQL share the work)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
from pathlib import Path

from parley.cli.common import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, fail
from parley.cli.health import beat, heartbeat_path
from parley.cli.platforms import every_platform, to_serve
from parley.core.coverage.rematch import rematch_forever
from parley.core.digest.scheduler import grace_period, run_forever
from parley.core.feeds.poller import limits_from
from parley.core.feeds.poller import run_forever as poll_feeds
from parley.core.ingest.encodings import encode_forever
from parley.core.platform import Platform, posters
from parley.core.services import Services
from parley.core.settings import Settings

log = logging.getLogger("parley.cli")


def for_role(role: str, platforms: list[Platform], settings: Settings
             ) -> tuple[list[Platform], list[Platform]]:
    """(the platforms this process serves, those whose digests its scheduler posts)."""
    if role == "all":
        return to_serve(platforms, settings), platforms
    if role == "scheduler":  # Slack posts without serving; Discord only from a gateway process
        return [], [p for p in platforms if p.name in ("console", "slack")]
    chosen = [p for p in platforms if p.name == role]
    return chosen, chosen if role == "discord" else []


# The collector's thresholds while serving (Python's are 700, 10, 10): a burst allocates
# tens of thousands of short-lived objects per second (gateway events, requests, replies),
# and at 700 the young generation was collected every few interactions.
SERVING_GC_THRESHOLDS = (50_000, 20, 100)


def freeze_startup() -> None:
    """Keep what start-up loaded (models, lexicon, registry, caches), which lives as long as
    the process, out of the garbage collector's full scans: under a burst of interactions those
    scans otherwise ran through all of it (0.4–1.2 s per 1,000 interactions, measured by the
    burst benchmark); and collect the young generation less often (``SERVING_GC_THRESHOLDS``:
    about 7 % less CPU per first response in the burst benchmark, docs/benchmarks.md)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_GC_THRESHOLDS)


async def run(services: Services, args: argparse.Namespace) -> int:
    """Serve until stopped (SIGTERM, Ctrl-C, or the end of the console's input)."""
    role = getattr(args, "role", "all")
    platforms = every_platform()
    serving, posting = for_role(role, platforms, services.settings)
    for platform in serving:
        if role != "all" and not platform.configured(services.settings):
            return fail(f"--role {role} needs {role.upper()}'s token "
                        f"({'DISCORD_TOKEN' if role == 'discord' else 'SLACK_BOT_TOKEN'})",
                        EXIT_USAGE)
        problem = platform.problem(services.settings)
        if problem:
            return fail(problem, EXIT_USAGE)
    stop = asyncio.Event()
    scheduler = asyncio.create_task(run_forever(
        services.db, lambda: posters(posting, services), services.now,
        grace_period(services.settings), stop,
        pictures=services.settings.parley_pictures)) if posting else None
    # feeds are polled where digests are scheduled (leases make several pollers ingest once)
    poller = asyncio.create_task(poll_feeds(services.db, services.workers, services.now,
                                            limits_from(services.settings), stop,
                                            lambda: services.lexicon)
                                 ) if role in ("all", "scheduler") else None
    alive = asyncio.create_task(beat(heartbeat_path(Path(services.settings.parley_db)), stop))
    # stored articles are encoded where feeds are polled: once, whatever the number of processes
    encoding = services.settings.parley_encoder and role in ("all", "scheduler")
    encoder = asyncio.create_task(
        encode_forever(services.db, services.workers, stop) if encoding else stop.wait())
    # …and their coverage matched again with the encoder's vectors as they arrive
    rematcher = asyncio.create_task(
        rematch_forever(services.db, services.workers, stop) if encoding else stop.wait())
    freeze_startup()
    try:
        return await _serve(services, serving, stop)
    finally:
        stop.set()
        for task in (scheduler, poller, alive):
            if task is not None:
                await task
        encoder.cancel()  # a piece being encoded is dropped: it is made again at next start
        rematcher.cancel()  # an article being matched again is matched again at next start
        await asyncio.gather(encoder, rematcher, return_exceptions=True)


async def _serve(services: Services, serving: list[Platform], stop: asyncio.Event) -> int:
    if not serving:  # the scheduler alone: until SIGTERM or Ctrl-C
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        log.info("scheduler running")
        await stop.wait()
        log.info("stopped")
        return EXIT_OK
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
