"""The warm thread that starts a question's encoding while the loop goes on (issue #19)."""

from __future__ import annotations

import threading
import time

import pytest

from parley.core.meaning.handoff import HandOff


def _where(tag: str) -> tuple[str, str]:
    return tag, threading.current_thread().name


def _fails(message: str) -> None:
    raise ValueError(message)


def test_a_job_runs_on_the_one_named_thread_and_has_started_when_submit_returns() -> None:
    thread = HandOff("test-handoff", handoff_s=5.0)
    started = threading.Event()

    def job(tag: str) -> tuple[str, str]:
        started.set()
        return _where(tag)

    future = thread.submit(job, "first")
    # submit waited (the GIL released) until the thread took the job, so it is under way now,
    # before the caller runs another line.
    assert started.is_set()
    assert future.result(timeout=5) == ("first", "test-handoff")
    assert thread.submit(_where, "second").result(timeout=5) == ("second", "test-handoff")


def test_a_failing_job_hands_its_error_to_the_caller_and_the_thread_goes_on() -> None:
    thread = HandOff("test-handoff-errors", handoff_s=5.0)
    with pytest.raises(ValueError, match="no such question"):
        thread.submit(_fails, "no such question").result(timeout=5)
    assert thread.submit(_where, "after").result(timeout=5) == ("after", "test-handoff-errors")


def test_a_caller_does_not_wait_behind_a_job_already_under_way() -> None:
    thread = HandOff("test-handoff-busy", handoff_s=5.0)
    release = threading.Event()
    first = thread.submit(lambda _: release.wait(5), None)
    second_started = threading.Event()

    def second_job(_: None) -> str:
        second_started.set()
        return "second"

    began = time.monotonic()
    second = thread.submit(second_job, None)  # returns at once: waiting 5 s would help nothing
    assert time.monotonic() - began < 2.5  # half the hand-off wait it would otherwise take
    assert not second_started.is_set() and not second.done()
    release.set()
    assert first.result(timeout=5) is True
    assert second.result(timeout=5) == "second"
