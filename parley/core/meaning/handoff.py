"""One warm thread that really starts a job while its caller goes on with its own work.

A thread woken to run a job needs the GIL before it can reach the C code that releases it (the
encoder's ``session.run``); a caller that goes straight on running Python holds the GIL, so the
woken thread waits up to the interpreter's switch interval (5 ms) and the two do not overlap.
So the caller waits, the GIL released, until the thread has taken the job (at most
``HANDOFF_S``), and only then goes on; when the thread is still busy with an earlier job the
caller does not wait (under load the loop would idle for nothing).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")
A = TypeVar("A")
HANDOFF_S = 0.002  # a thread wakes in tens of microseconds; past this the caller goes on anyway


@dataclass
class _Job:
    fn: Callable[[Any], Any]
    arg: Any
    future: Future[Any] = field(default_factory=Future)
    taken: threading.Event = field(default_factory=threading.Event)


class HandOff:
    """A single thread, started on first use and kept (a daemon: it holds nothing to save)."""

    def __init__(self, name: str, handoff_s: float = HANDOFF_S) -> None:
        self.name = name
        self.handoff_s = handoff_s
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._pending = 0  # jobs submitted and not yet finished

    def submit(self, fn: Callable[[A], T], arg: A) -> Future[T]:
        """``fn(arg)`` on the thread, once it has taken the job (or ``handoff_s`` passed)."""
        job = _Job(fn, arg)
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name=self.name, daemon=True)
                self._thread.start()
            idle = self._pending == 0
            self._pending += 1
        self._jobs.put(job)
        if idle:
            job.taken.wait(self.handoff_s)
        return job.future

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if not job.future.set_running_or_notify_cancel():
                    continue
                job.taken.set()
                try:
                    job.future.set_result(job.fn(job.arg))
                except BaseException as error:  # the caller's to handle, as from an executor
                    job.future.set_exception(error)
            finally:
                with self._lock:
                    self._pending -= 1


@cache
def question_thread() -> HandOff:
    """The process's thread for questions' encodings (the encoder is the process's too)."""
    return HandOff("parley-question-encoder")
