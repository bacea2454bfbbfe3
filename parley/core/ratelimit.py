"""Token buckets per member, per channel and per contributor, so nobody can flood a channel.

Buckets run on wall-clock time so they can be saved and survive a restart (``parley.store.
ratelimits``); a clock stepping backwards refills nothing.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from parley.core.models import Request, Role

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


@dataclass
class Throttle:
    """Why a request must wait, and for how long."""

    scope: str
    per_minute: int
    seconds: float


class RateLimits:
    """The three limits Parley applies to members; moderators and admins are never throttled."""

    def __init__(self, member: int, channel: int, contributions: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.member = TokenBuckets(member, clock)
        self.channel = TokenBuckets(channel, clock)
        self.contributions = TokenBuckets(contributions, clock)

    @property
    def scopes(self) -> dict[str, TokenBuckets]:
        """The buckets by the name they are saved under."""
        return {"member": self.member, "channel": self.channel,
                "contributions": self.contributions}

    def check(self, request: Request, contributes: bool,
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
            wait = buckets.wait_for(key, per_minute)
            if wait > 0:
                limit = int(buckets.capacity) if per_minute is None else per_minute
                return Throttle(scope, limit, wait)
        return None
