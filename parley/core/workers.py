"""The process pool that runs CPU-heavy work (analysis, refits) off the event loop."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import TypeVar

log = logging.getLogger("parley.core")
T = TypeVar("T")
# Imported once by the fork server, so each worker forked from it starts with the analysis
# engine, its models and its word tables already loaded (see parley.core.warm).
PRELOAD = ["parley.core.warm"]
CLOSE_GRACE_S = 5.0


def machine_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def one_blas_thread() -> None:
    """Matrix products (numpy's BLAS) run on the calling thread alone. The ones Parley makes are
    small (a message against 10,000 claims, a question against an article's words), and
    OpenBLAS's own threads (one a core by default) cost more than they share: the caller waits
    for a helper thread to get a core that the loop and the worker pool are using. On the
    shared 2-core machine, 10,373 × 384 by a vector took 23 ms of wall and 7.2 ms of CPU with
    two BLAS threads, 11 ms and 2.6 ms with one (one run, load 10). An operator's own
    ``OPENBLAS_NUM_THREADS`` is kept."""
    if "OPENBLAS_NUM_THREADS" in os.environ:
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # numpy loaded later, and child processes
    if "numpy" in sys.modules:  # loaded already: its BLAS read the variable when it was
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")


def machine_size() -> int:
    """Worker processes for this machine: one core is left to the event loop (at least one)."""
    return max(1, machine_cores() - 1)


def _context() -> multiprocessing.context.BaseContext:
    # Forking a process that runs threads (aiosqlite's) is unsafe; a fork server is not, and
    # forks each worker from a clean, preloaded process in milliseconds.
    if sys.platform == "linux":
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def start_fork_server() -> None:
    """Start the (preloaded) fork server now, in the background, rather than with the first
    pool: for a process that knows it will analyse articles soon (the test suite's)."""
    if sys.platform == "linux":
        from multiprocessing import forkserver

        _context()
        forkserver.ensure_running()


def _join_all(processes: list[multiprocessing.process.BaseProcess], within_s: float) -> None:
    deadline = time.monotonic() + within_s
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))


class Workers:
    """A lazily started process pool owned by the running services; :meth:`close` ends it.

    Everything sent to it is a pure function and picklable arguments (an article's parsed text,
    the lexicon, ratings), so the event loop only waits on a future while a core does the work.
    """

    def __init__(self, size: int = 0) -> None:
        self.size = size or machine_size()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    def _executor(self) -> ProcessPoolExecutor:
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.size, mp_context=_context())
            log.info("worker pool started", extra={"workers": self.size})
        return self._pool

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """``fn(*args)`` in a worker process; its exception, if any, is raised here."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), partial(fn, *args))

    @property
    def started(self) -> bool:
        return self._pool is not None

    async def close(self, grace_s: float = CLOSE_GRACE_S) -> None:
        """Cancel queued work, give running work ``grace_s`` to end, then stop the processes.

        Called after the commands in flight were drained: work still running then (a very long
        article) is cut off, and stores nothing; its caller is told Parley is restarting."""
        self._closed = True
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # The pool's processes are not public before Python 3.14 (terminate_workers).
        processes = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        await asyncio.to_thread(_join_all, processes, grace_s)
        for process in processes:
            if process.is_alive():
                log.warning("analysis cut off by shutdown", extra={"pid": process.pid})
                process.terminate()
        await asyncio.to_thread(pool.shutdown, wait=True)
