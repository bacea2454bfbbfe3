"""Token buckets per member, per channel and per contributor, so nobody can flood a channel.

Buckets run on wall-clock time. One process keeps them in memory and saves them
(``parley.store.ratelimits``) so a restart refills nothing; processes sharing a PostgreSQL
database spend from the same rows of that table instead (``SharedBuckets``), so four processes
let through what one would, not four times as much. A clock stepping backwards refills nothing.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
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

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.time) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()
        self.dirty: set[str] = set()

    def seed(self, key: str, tokens: float, updated: float) -> None:
        """Put back a bucket saved before a restart."""
        self._buckets[key] = Bucket(min(self.capacity, max(0.0, tokens)), updated)

    def take_dirty(self) -> list[tuple[str, float, float]]:
        """The buckets spent from since the last call: (key, tokens, updated)."""
        out = [(k, b.tokens, b.updated) for k in self.dirty if (b := self._buckets.get(k))]
        self.dirty.clear()
        return out

    def wait_for(self, key: str, per_minute: int | None = None) -> float:
        """Seconds until ``key`` may act again; 0.0 means it may now (and a token is spent).

        ``per_minute`` overrides the default rate for this key (a server's own setting)."""
        capacity = self.capacity if per_minute is None else float(per_minute)
        rate = capacity / 60.0
        if capacity <= 0:
            return 0.0  # limit switched off
        now = self.clock()
        bucket = self._buckets.pop(key, None) or Bucket(capacity, now)
        elapsed = max(0.0, now - bucket.updated)
        bucket.tokens = min(capacity, bucket.tokens + elapsed * rate)
        bucket.updated = max(now, bucket.updated)
        self._buckets[key] = bucket
        self.dirty.add(key)
        if len(self._buckets) > MAX_KEYS:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / rate

    async def take(self, key: str, per_minute: int | None = None) -> float:
        return self.wait_for(key, per_minute)


class Buckets(Protocol):
    """Where a limit's buckets live: in this process, or in the shared database."""

    capacity: float

    async def take(self, key: str, per_minute: int | None = None) -> float:
        """Seconds until ``key`` may act again; 0.0 means it may now (and a token is spent)."""
        ...


PRUNE_EVERY = 1000  # takes between clearing out buckets nobody used for a while


class SharedBuckets:
    """Token buckets in the database: every process on it spends from the same bucket.

    The clock is wall time (seconds since the epoch), the one clock processes on several
    machines share; keep them synchronised (NTP).
    """

    def __init__(self, db: Database, scope: str, per_minute: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.db, self.scope = db, scope
        self.capacity = float(per_minute)
        self.clock = clock
        self._takes = 0

    async def take(self, key: str, per_minute: int | None = None) -> float:
        capacity = self.capacity if per_minute is None else float(per_minute)
        if capacity <= 0:
            return 0.0
        now = self.clock()
        self._takes += 1
        if self._takes % PRUNE_EVERY == 0:  # a full bucket is as good as no row
            await ratelimits.prune(self.db, now)
        return await ratelimits.take(self.db, self.scope, key, capacity, capacity / 60.0, now)


@dataclass
class Throttle:
    """Why a request must wait, and for how long."""

    scope: str
    per_minute: int
    seconds: float


class RateLimits:
    """The three limits Parley applies to members; moderators and admins are never throttled."""

    def __init__(self, member: int, channel: int, contributions: int,
                 clock: Callable[[], float] = time.time, shared: Database | None = None
                 ) -> None:
        self.clock = clock
        self.shared = shared is not None

        def buckets(scope: str, per_minute: int) -> Buckets:
            if shared is not None:
                return SharedBuckets(shared, scope, per_minute, clock)
            return TokenBuckets(per_minute, clock)

        self.member = buckets("member", member)
        self.channel = buckets("channel", channel)
        self.contributions = buckets("contributions", contributions)

    @property
    def scopes(self) -> dict[str, TokenBuckets]:
        """The in-memory buckets by the name they are saved under (none when shared: their
        rows in the database are the buckets themselves, nothing to save or load)."""
        named = {"member": self.member, "channel": self.channel,
                 "contributions": self.contributions}
        return {k: b for k, b in named.items() if isinstance(b, TokenBuckets)}

    async def check(self, request: Request, contributes: bool,
                    server: Mapping[str, int] | None = None) -> Throttle | None:
        """Spend a token from each bucket the request draws on, or say which one is empty.

        ``server`` holds the server's own limits (``member``, ``channel``, ``contributions``)
        where it set them; the others are the defaults."""
        if request.role >= Role.MODERATOR:
            return None
        own = server or {}
        place = f"{request.platform}:{request.workspace}"
        checks = [("you", self.member, f"{place}:{request.user}", own.get("member")),
                  ("this channel", self.channel, f"{place}:{request.channel}",
                   own.get("channel"))]
        if contributes:
            checks.insert(0, ("your ratings and contributions", self.contributions,
                              f"{place}:{request.user}", own.get("contributions")))
        for scope, buckets, key, per_minute in checks:
            wait = await buckets.take(key, per_minute)
            if wait > 0:
                limit = int(buckets.capacity) if per_minute is None else per_minute
                return Throttle(scope, limit, wait)
        return None
