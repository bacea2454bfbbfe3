"""A liveness heartbeat: the running Parley touches a file beside its database; ``parley health``
(a container's HEALTHCHECK) checks it is fresh without opening the database."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from pathlib import Path

from parley.cli.common import EXIT_OK, EXIT_USER_ERROR
from parley.core.settings import Settings

BEAT_SECONDS = 30.0
STALE_SECONDS = 120.0


def heartbeat_path(db: Path) -> Path:
    return db.with_name(db.name + ".alive")


def _touch(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{time.time():.0f}\n", encoding="ascii")


async def beat(path: Path, stop: asyncio.Event, every_s: float = BEAT_SECONDS) -> None:
    """Touch ``path`` every ``every_s`` seconds until ``stop`` is set, then remove it."""
    try:
        while not stop.is_set():
            # a read-only or full disk must not stop the bot; health will say so
            with contextlib.suppress(OSError):
                await asyncio.to_thread(_touch, path)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every_s)
    finally:
        with contextlib.suppress(OSError):
            await asyncio.to_thread(path.unlink, missing_ok=True)


def check(path: Path, now: float | None = None, stale_s: float = STALE_SECONDS) -> str | None:
    """None when the heartbeat is fresh, else the one-line reason it is not."""
    try:
        age = (time.time() if now is None else now) - path.stat().st_mtime
    except OSError:
        return f"no heartbeat at {path}: is `parley run` running?"
    if age > stale_s:
        return f"the heartbeat at {path} is {age:.0f} s old (more than {stale_s:.0f} s)"
    return None


async def health(settings: Settings, args: argparse.Namespace) -> int:
    """``parley health``: never opens (or creates) the database."""
    problem = check(heartbeat_path(Path(settings.parley_db)))
    if problem:
        print(f"parley: {problem}", file=sys.stderr)
        return EXIT_USER_ERROR
    print("parley: alive")
    return EXIT_OK
