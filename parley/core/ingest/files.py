"""Reading an article file with a bounded reader: never more than the limit, never forever.

The size is never taken from ``stat`` (a device or a pipe reports none): the file is read up to
one byte past the limit. It is opened non-blocking, so a FIFO with no writer does not hang the
open, and a pipe or device that goes quiet is given up on after an idle timeout.
"""

from __future__ import annotations

import os
import select
import stat
import time
from pathlib import Path

from parley.core.ingest.errors import IngestError

IDLE_TIMEOUT_S = 15.0
CHUNK = 65536


def read_bounded(path: Path, limit: int, idle_timeout_s: float = IDLE_TIMEOUT_S) -> bytes:
    """At most ``limit`` bytes of the file, or IngestError (too large, too slow, unreadable)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise IngestError(f"I can't read {path}: {exc.strerror}.") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IngestError(f"{path} is a folder, not an article file.")
        if stat.S_ISREG(mode):
            os.set_blocking(fd, True)  # a regular file never blocks; read it plainly
        data = _read(fd, path, limit, idle_timeout_s)
    except OSError as exc:
        raise IngestError(f"I can't read {path}: {exc.strerror}.") from None
    finally:
        os.close(fd)
    return data


def _read(fd: int, path: Path, limit: int, idle_timeout_s: float) -> bytes:
    body = bytearray()
    deadline = time.monotonic() + idle_timeout_s
    while len(body) <= limit:
        try:
            chunk = os.read(fd, min(CHUNK, limit + 1 - len(body)))
        except BlockingIOError:  # a pipe or device with nothing yet: wait, but not forever
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise IngestError(f"{path.name} sent nothing for {idle_timeout_s:.0f} s; "
                                  "nothing was added.") from None
            continue
        if not chunk:
            return bytes(body)
        body.extend(chunk)
        deadline = time.monotonic() + idle_timeout_s
    raise IngestError(f"{path.name} is larger than {limit // 1_000_000} MB; articles are "
                      f"limited to {limit // 1_000_000} MB.")
