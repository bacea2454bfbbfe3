"""Token buckets per member, per channel and per contributor, so nobody can flood a channel.

One process keeps its buckets in memory; processes sharing a PostgreSQL database keep them in
it (``SharedBuckets``), so four processes let through what one would, not four times as much.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from parley.core.models import Request, Role
from parley.store import ratelimits
from parley.store.db import Database

MAX_KEYS = 50_000  # buckets kept in memory; the least recently used are dropped first


@dataclass
class Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """``per_minute`` tokens refill evenly; a full bucket allows a burst of that many."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()

    def wait_for(self, key: str) -> float:
        """Seconds until ``key`` may act again; 0.0 means it may now (and a token is spent)."""
        if self.capacity <= 0:
            return 0.0  # limit switched off
        now = self.clock()
        bucket = self._buckets.pop(key, None) or Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self._buckets[key] = bucket
        if len(self._buckets) > MAX_KEYS:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    async def take(self, key: str) -> float:
        return self.wait_for(key)


class Buckets(Protocol):
    """Where a limit's buckets live: in this process, or in the shared database."""

    capacity: float

    async def take(self, key: str) -> float:
        """Seconds until ``key`` may act again; 0.0 means it may now (and a token is spent)."""
        ...


PRUNE_EVERY = 1000  # takes between clearing out buckets nobody used for a while


class SharedBuckets:
    """Token buckets in the database: every process on it spends from the same bucket.

    The clock is wall time (seconds since the epoch), the one clock processes on several
    machines share; keep them synchronised (NTP).
    """

    def __init__(self, db: Database, per_minute: int, clock: Callable[[], float] = time.time
                 ) -> None:
        self.db = db
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._takes = 0

    async def take(self, key: str) -> float:
        if self.capacity <= 0:
            return 0.0
        now = self.clock()
        self._takes += 1
        if self._takes % PRUNE_EVERY == 0:  # a full bucket is as good as no row
            await ratelimits.prune(self.db, now - self.capacity / self.rate - 60.0)
        return await ratelimits.take(self.db, key, self.capacity, self.rate, now)


@dataclass
class Throttle:
    """Why a request must wait, and for how long."""

    scope: str
    per_minute: int
    seconds: float


class RateLimits:
    """The three limits Parley applies to members; moderators and admins are never throttled."""

    def __init__(self, member: int, channel: int, contributions: int,
                 clock: Callable[[], float] = time.monotonic, shared: Database | None = None
                 ) -> None:
        def buckets(per_minute: int) -> Buckets:
            if shared is not None:
                return SharedBuckets(shared, per_minute)
            return TokenBuckets(per_minute, clock)

        self.member = buckets(member)
        self.channel = buckets(channel)
        self.contributions = buckets(contributions)

    async def check(self, request: Request, contributes: bool) -> Throttle | None:
        """Spend a token from each bucket the request draws on, or say which one is empty."""
        if request.role >= Role.MODERATOR:
            return None
        place = f"{request.platform}:{request.workspace}"
        checks = [("you", self.member, f"{place}:{request.user}"),
                  ("this channel", self.channel, f"{place}:{request.channel}")]
        if contributes:
            checks.insert(0, ("your ratings and contributions", self.contributions,
                              f"{place}:{request.user}"))
        for scope, buckets, key in checks:
            wait = await buckets.take(key)
            if wait > 0:
                return Throttle(scope, int(buckets.capacity), wait)
        return None
