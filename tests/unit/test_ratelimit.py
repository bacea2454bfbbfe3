"""Rate limits: token buckets per member, channel and contributor, with a friendly reply."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from parley.cli.app import open_services
from parley.core.models import Request, Role
from parley.core.ratelimit import TokenBuckets
from parley.core.registry import run_line
from parley.core.settings import Settings
from parley.store import counterpoints
from tests.conftest import make_settings


@pytest.fixture
def limited(tmp_path: Path, backend: str) -> Callable[..., Settings]:
    """Settings with the given limits, on SQLite (buckets in memory, saved) and on PostgreSQL
    (buckets shared in the database)."""
    extra = {"parley_database_url": backend} if backend.startswith("postgresql://") else {}
    return lambda **limits: make_settings(tmp_path, **extra, **limits)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_refills_evenly() -> None:
    clock = Clock()
    buckets = TokenBuckets(6, clock)  # one token every ten seconds
    assert [buckets.wait_for("u") for _ in range(6)] == [0.0] * 6
    assert buckets.wait_for("u") == 10.0
    assert buckets.wait_for("v") == 0.0  # another key has its own bucket
    clock.now += 5
    assert buckets.wait_for("u") == 5.0
    clock.now += 5
    assert buckets.wait_for("u") == 0.0
    clock.now += 3600  # a long rest refills to the burst size, not beyond
    assert [buckets.wait_for("u") for _ in range(7)][-1] > 0


def test_zero_switches_a_limit_off() -> None:
    buckets = TokenBuckets(0, Clock())
    assert all(buckets.wait_for("u") == 0.0 for _ in range(1000))


def _request(user: str, channel: str = "general", role: Role = Role.MEMBER) -> Request:
    return Request(workspace="w1", channel=channel, user=user, role=role, command="help")


async def test_a_flooding_member_is_throttled_politely_and_others_are_not(
        limited: Callable[..., Settings]) -> None:
    settings = limited(parley_rate_member_per_minute=5,
                       parley_rate_channel_per_minute=100)
    async with open_services(settings) as services:
        replies = [await run_line(services.registry, "/summary short", _request("flood"),
                                  services) for _ in range(6)]
        assert [r.kind for r in replies[:5]] == ["answer"] * 5
        slow = replies[5]
        assert slow.kind == "error" and slow.ephemeral and slow.title == "Slow down"
        assert "more than 5 a minute from you" in slow.text and "Try again in 12 s" in slow.text
        other = await run_line(services.registry, "/summary short", _request("calm"), services)
        assert other.kind == "answer"
        mod = _request("flood", role=Role.MODERATOR)
        assert (await run_line(services.registry, "/summary short", mod, services)).kind \
            == "answer"


async def test_a_busy_channel_is_throttled_across_members(limited: Callable[..., Settings]) -> None:
    settings = limited(parley_rate_channel_per_minute=4)
    async with open_services(settings) as services:
        replies = [await run_line(services.registry, "/help", _request(f"u{i}"), services)
                   for i in range(5)]
        assert [r.is_error for r in replies] == [False] * 4 + [True]
        assert "from this channel" in replies[-1].text
        elsewhere = await run_line(services.registry, "/help", _request("u9", "random"), services)
        assert elsewhere.kind != "error"


async def test_rating_floods_are_throttled_and_store_nothing_more(
        limited: Callable[..., Settings]) -> None:
    settings = limited(parley_rate_contributions_per_minute=3)
    async with open_services(settings) as services:
        replies = [await run_line(services.registry, f"/rate cp{i} helpful", _request("rater"),
                                  services) for i in range(1, 6)]
        assert [r.title for r in replies[3:]] == ["Slow down", "Slow down"]
        assert "ratings and contributions" in replies[3].text
        stored = await counterpoints.all_ratings(services.db)
        assert sorted(cp for _, cp, _ in stored) == [1, 2, 3]
        # reading is still allowed while contributing is throttled
        assert (await run_line(services.registry, "/summary short", _request("rater"),
                               services)).kind == "answer"


async def test_contribution_limits_hold_across_a_restart_even_after_a_crash(
        limited: Callable[..., Settings]) -> None:
    settings = limited(parley_rate_contributions_per_minute=3)
    async with open_services(settings) as first:
        for i in range(1, 4):
            reply = await run_line(first.registry, f"/rate cp{i} helpful", _request("rater"),
                                   first)
            assert reply.kind == "info", reply.text
        # a new process on the same file while this one never closed (as after a SIGKILL)
        async with open_services(settings, load_example=False) as restarted:
            again = await run_line(restarted.registry, "/rate cp4 helpful", _request("rater"),
                                   restarted)
            assert again.title == "Slow down", again.text
            other = await run_line(restarted.registry, "/rate cp4 helpful", _request("other"),
                                   restarted)
            assert other.kind == "info"
    async with open_services(settings) as after_clean_stop:
        reply = await run_line(after_clean_stop.registry, "/rate cp5 helpful",
                               _request("rater"), after_clean_stop)
        assert reply.title == "Slow down"
    assert len(await _ratings(settings)) == 4


async def _ratings(settings: Settings) -> list[tuple[str, int, float]]:
    async with open_services(settings, load_example=False) as services:
        return await counterpoints.all_ratings(services.db)
